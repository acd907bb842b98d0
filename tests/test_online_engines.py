"""Online engines under load: spaced requests, retries on HTTP 429/5xx, a hard timeout per request.

"Google" is a local TLS endpoint behind a proxy that answers every request with the
status under test (tests/helpers/netfaults.py), so gTTS makes real HTTP requests and gets real
HTTP errors; the station falls back to espeak-ng as it would on air.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from helpers.cli import cli_env, run_cli, rundown_of
from helpers.station import SHORT_ARTICLES, make_station
from helpers.netfaults import answering_proxy, black_hole, proxy_env

GTTS_FIRST = '["gtts", "espeak-ng"]\ngtts_timeout = 5'
#: One short article: the opening, the item and the closing still make pieces for two threads,
#: and gTTS is switched off after three failures; more articles would only add espeak-ng work.
ONE_ARTICLE = {"a.txt": SHORT_ARTICLES["a.txt"]}
#: Seconds the gate puts between the starts of two requests.
SPACING = 0.25


@pytest.mark.parametrize("status", [429, 503])
def test_rate_limited_or_failing_service_is_retried_with_spacing(tmp_path: Path, status: int) -> None:
    config = make_station(tmp_path, engines=GTTS_FIRST, articles=ONE_ARTICLE, extra=(
        f"\n[audio]\nonline_retries = 1\nonline_backoff_seconds = 0.05\nonline_min_interval = {SPACING}\n"))
    with answering_proxy(status, tmp_path) as stats:
        done = run_cli("build", "--config", str(config), "--date", "2026-11-26",
                       env=cli_env(**proxy_env(stats["port"])))
    assert done.returncode == 0, done.stderr
    rundown = rundown_of(done)
    assert {s["engine"] for s in rundown["segments"] if s["kind"] == "speech"} == {"espeak-ng"}
    # Every segment's request is retried once; the engine is switched off after three such failures.
    assert 6 <= stats["requests"] <= 14, stats["requests"]
    assert any("(2 attempts)" in f for s in rundown["segments"] for f in s.get("fallbacks", []))
    # Two threads ask at once; the gate spaces the starts of their requests SPACING s apart.
    # (A client may open a spare tunnel now and then: judge by the median and the whole span.)
    times = stats["times"]
    gaps = sorted(b - a for a, b in zip(times, times[1:]))
    assert gaps[len(gaps) // 2] >= 0.85 * SPACING, gaps
    spare_tunnels = sum(gap < SPACING / 2 for gap in gaps)  # opened beside a request, not a request of its own
    assert times[-1] - times[0] >= 0.9 * SPACING * (stats["requests"] - 1 - spare_tunnels), (times, stats["requests"])
    assert any("switched off" in w and "gtts" in w for w in rundown["warnings"])


def test_hanging_service_is_cut_off_by_the_hard_timeout(tmp_path: Path) -> None:
    # gTTS would wait 60 s per request on a connection that never answers; the hard limit is 1 s.
    config = make_station(tmp_path, engines='["gtts", "espeak-ng"]\ngtts_timeout = 60', articles=ONE_ARTICLE,
                          extra="\n[audio]\nonline_timeout = 1\n")   # 1 s: the lowest hard limit a station may set
    with black_hole() as port:
        started = time.monotonic()
        done = run_cli("build", "--config", str(config), "--date", "2026-11-26", env=cli_env(**proxy_env(port)))
        elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    rundown = rundown_of(done)
    assert {s["engine"] for s in rundown["segments"] if s["kind"] == "speech"} == {"espeak-ng"}
    assert any("hard limit" in w for w in rundown["warnings"])
    assert elapsed < 30, f"took {elapsed:.0f} s"
