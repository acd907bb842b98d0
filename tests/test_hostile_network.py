"""Hostile peers for web sources: one deadline per fetch, a budget per build, a network policy.

Each peer is a real socket server on 127.0.0.1 (or 127.0.0.2, another loopback address)
that misbehaves in one way; the fetch must end within its deadline plus a little, say
why with the real elapsed time, and never fetch what the policy forbids.
"""

from __future__ import annotations

import gzip
import re
import time
import tracemalloc
from pathlib import Path

import pytest

from helpers.cli import run_cli, rundown_of
from helpers.fast_build import warm_station
from helpers.station import make_station
from helpers.netfaults import black_hole, drip, raw_http, reply
from radio_gen.intake.sources.fetch import Budget, FetchError, FetchSettings, fetch

LOCAL = frozenset({"127.0.0.1"})
PAGE = ("<html><head><title>Xã ra quân làm thủy lợi nội đồng mùa khô</title></head><body><article>"
        "<h1>Xã ra quân làm thủy lợi nội đồng mùa khô</h1>"
        + "<p>Sáng nay, bà con các thôn trong xã ra quân nạo vét kênh mương nội đồng.</p>" * 8
        + "</article></body></html>").encode()
#: How much later than its deadline a fetch may end: thread hand-over and a busy machine.
SLACK = 2.5
#: The deadlines under test: short, so that each case waits well under a second, yet long
#: enough that a dripped response head (about 70 bytes, DRIP s apart) arrives before it.
DEADLINE = 0.5
DRIP = 0.002


def timed_fetch(url: str, settings: FetchSettings) -> tuple[float, str]:
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch(url, settings)
    return time.monotonic() - started, str(caught.value)


@pytest.mark.parametrize("dripped", [
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: ",               # headers never end
    b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nContent-Type: text/html\r\n\r\n<html>",  # body drips
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n100000\r\n",      # a chunk that never ends
])
def test_a_dripping_server_cannot_extend_the_deadline(dripped: bytes) -> None:
    with raw_http(drip(dripped, interval=DRIP)) as base:
        elapsed, message = timed_fetch(base + "/", FetchSettings(timeout=DEADLINE, allow_hosts=LOCAL))
    assert DEADLINE <= elapsed < DEADLINE + SLACK
    match = re.search(rf"timed out after (\d+\.\d) s \(limit {DEADLINE:g} s\)", message)
    assert match and abs(float(match.group(1)) - elapsed) < 0.5, "the message gives the real elapsed time"


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_server_that_never_answers_is_cut_at_the_deadline(scheme: str) -> None:
    """For https the client waits in the TLS handshake: the same deadline holds there."""
    with black_hole() as port:
        elapsed, message = timed_fetch(f"{scheme}://127.0.0.1:{port}/",
                                       FetchSettings(timeout=DEADLINE, allow_hosts=LOCAL))
    assert DEADLINE <= elapsed < DEADLINE + SLACK and "timed out after" in message


def test_redirects_share_the_deadline_and_are_limited() -> None:
    with raw_http(reply("302 Found", {"Location": "/again"})) as base:
        _, message = timed_fetch(base + "/", FetchSettings(timeout=5, allow_hosts=LOCAL))
    assert "more than 5 redirects" in message


def test_a_redirect_to_another_scheme_is_refused() -> None:
    with raw_http(reply("301 Moved", {"Location": "ftp://127.0.0.1/pub/tin.html"})) as base:
        _, message = timed_fetch(base + "/", FetchSettings(timeout=5, allow_hosts=LOCAL))
    assert "only http:// and https://" in message


def test_internal_addresses_are_refused_unless_allowed() -> None:
    with raw_http(reply("200 OK", {"Content-Type": "text/html"}, PAGE)) as base:
        port = base.rsplit(":", 1)[1]
        for url in (base + "/", f"http://localhost:{port}/", f"http://[::ffff:127.0.0.1]:{port}/"):
            _, message = timed_fetch(url, FetchSettings(timeout=5))
            assert "internal address" in message and "allow_hosts" in message, url
        assert fetch(base + "/", FetchSettings(timeout=5, allow_hosts=LOCAL)).data == PAGE


def test_a_redirect_to_an_internal_address_is_refused_even_from_an_allowed_host() -> None:
    with raw_http(reply("200 OK", {"Content-Type": "text/html"}, b"secret admin page"), host="127.0.0.2") as inner:
        with raw_http(reply("302 Found", {"Location": inner + "/admin"})) as base:
            _, message = timed_fetch(base + "/", FetchSettings(timeout=5, allow_hosts=LOCAL))
    assert "127.0.0.2 is an internal address" in message


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_compression_bomb_is_refused_without_unpacking_it(encoding: str) -> None:
    import zlib

    zeros = b"\0" * 20_000_000   # 20 times the limit, 2.5 times the memory the fetch may hold
    bomb = gzip.compress(zeros, 9) if encoding == "gzip" else zlib.compress(zeros, 9)
    del zeros
    with raw_http(reply("200 OK", {"Content-Type": "text/html", "Content-Encoding": encoding}, bomb)) as base:
        tracemalloc.start()
        try:
            _, message = timed_fetch(base + "/", FetchSettings(timeout=10, max_bytes=1_000_000, allow_hosts=LOCAL))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert "too large once decompressed" in message
    assert peak < 8_000_000, f"held {peak:,} bytes"


def test_a_compressed_page_is_read() -> None:
    with raw_http(reply("200 OK", {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"},
                        gzip.compress(PAGE))) as base:
        fetched = fetch(base + "/", FetchSettings(timeout=5, allow_hosts=LOCAL))
    assert fetched.data == PAGE and fetched.charset == "utf-8"


def test_a_spent_budget_stops_every_fetch() -> None:
    budget = Budget(DEADLINE)
    with raw_http(drip(b"HTTP/1.1 200 OK\r\n", interval=DRIP)) as base:
        elapsed, message = timed_fetch(base + "/", FetchSettings(timeout=30, allow_hosts=LOCAL, budget=budget))
        assert elapsed < DEADLINE + SLACK and f"intake budget of {DEADLINE:g} s is spent" in message
        elapsed, message = timed_fetch(base + "/", FetchSettings(timeout=30, allow_hosts=LOCAL, budget=budget))
    assert elapsed < 0.5 and "not fetched" in message


def _web_station(tmp_path: Path, sources: str, articles_settings: str, config: Path | None = None) -> Path:
    config = config or make_station(tmp_path)
    text = config.read_text("utf-8").replace('[articles]\nfolders = ["articles"]\n',
                                             '[articles]\nfolders = ["articles"]\n' + articles_settings + sources)
    config.write_text(text, encoding="utf-8")
    return config


def test_a_dripping_listing_holds_articles_fetch_no_longer_than_its_timeout(tmp_path: Path) -> None:
    """The tryout's case: a listing that drips for minutes with `timeout = 3` took 241 s."""
    with raw_http(drip(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>", interval=DRIP)) as base:
        config = _web_station(tmp_path, f'[[articles.sources]]\nkind = "listing"\nname = "drip"\nurl = "{base}/"\n'
                                        'link_pattern = "tin"\n',
                              f'timeout = {DEADLINE}\nallow_hosts = ["127.0.0.1"]\n')
        started = time.monotonic()
        done = run_cli("articles", "fetch", "--config", str(config), timeout=120)
        elapsed = time.monotonic() - started
    assert "Traceback" not in done.stderr
    assert elapsed < DEADLINE + 10, f"took {elapsed:.0f} s"  # the CLI's own start-up included
    assert re.search(rf"drip: failed: .*timed out after \d+\.\d s \(limit {DEADLINE:g} s\)", done.stdout + done.stderr)


def test_the_intake_budget_ends_the_intake_and_the_program_is_still_built(
        tmp_path: Path) -> None:
    built = warm_station(tmp_path)   # its folder's articles' audio is cached
    sources = "".join(f'[[articles.sources]]\nkind = "page"\nname = "slow {n}"\nurl = "BASE/{n}"\n' for n in range(5))
    with raw_http(drip(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n", interval=DRIP)) as base:
        config = _web_station(tmp_path, sources.replace("BASE", base),   # 1 s: the lowest budget a station may set
                              'timeout = 30\nbudget_seconds = 1\nallow_hosts = ["127.0.0.1"]\n', built)
        started = time.monotonic()
        done = run_cli("build", "--config", str(config), "--date", "2026-11-26", timeout=300)
        elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    rundown = rundown_of(done)
    assert len(rundown["articles"]) == 2, "the folder's articles still air"
    warnings = "\n".join(rundown["warnings"])
    assert "intake budget of 1 s" in warnings
    assert elapsed < 90, f"took {elapsed:.0f} s: five 30 s timeouts would be 150 s"


def test_a_station_behind_a_proxy_still_fetches_and_keeps_its_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    """HTTP_PROXY / HTTPS_PROXY / NO_PROXY are honoured as urllib did; the proxy itself may be on the LAN."""
    heads: list[bytes] = []

    def proxy(conn, head, stop):  # type: ignore[no-untyped-def]
        heads.append(head)
        if head.startswith(b"CONNECT "):
            conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
        else:
            reply("200 OK", {"Content-Type": "text/html"}, PAGE)(conn, head, stop)

    with raw_http(proxy) as base:
        for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
            monkeypatch.setenv(name, base)
        for name in ("no_proxy", "NO_PROXY"):
            monkeypatch.setenv(name, "")
        fetched = fetch("http://tin.radio-gen.invalid/tin/1.html", FetchSettings(timeout=5))
        assert fetched.data == PAGE and heads[-1].startswith(b"GET http://tin.radio-gen.invalid/tin/1.html ")
        _, message = timed_fetch("https://tin.radio-gen.invalid/", FetchSettings(timeout=5))
        assert heads[-1].startswith(b"CONNECT tin.radio-gen.invalid:443 ") and "refused a tunnel" in message
        asked = len(heads)
        _, message = timed_fetch("http://127.0.0.1:9/admin", FetchSettings(timeout=5))
        assert "internal address" in message and len(heads) == asked, \
            "a literal internal address never reaches the proxy"
