"""edge-tts at its network boundary, offline: refused and hanging connections fall back in time."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from helpers.station import make_station
from helpers.netfaults import black_hole, proxy_env, refused_port
from radio_gen.config import load_config
from radio_gen.tts.base import EngineError, EngineUnavailable
from radio_gen.tts.chain import EngineChain
from radio_gen.tts.engines.edge import MALE, EdgeEngine
from radio_gen.tts.engines.espeak import EspeakEngine
from radio_gen.tts.roles import Announcers


@pytest.mark.parametrize("fault", ["refused", "hanging"])
def test_edge_fails_within_its_timeout_and_leaves_no_file(tmp_path: Path, fault: str) -> None:
    with black_hole() as hole:
        port = refused_port() if fault == "refused" else hole
        started = time.monotonic()
        with pytest.raises(EngineError) as caught:
            EdgeEngine(MALE, timeout=0.3, proxy=f"http://127.0.0.1:{port}").synthesize("Xin chào.", tmp_path / "x.mp3")
        elapsed = time.monotonic() - started
    assert elapsed < 5, f"took {elapsed:.1f} s"
    expected = "cannot reach" if fault == "refused" else "no answer within 0.3 s"
    assert expected in caught.value.reason
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fault", ["refused", "hanging"])
def test_announcer_on_edge_and_gtts_falls_back_to_espeak_within_the_timeouts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str) -> None:
    extra = '[voices.B]\nengine = "edge-tts"\nvoice = "vi-VN-NamMinhNeural"\nrate = 1.2\npitch = 5\n'
    station = make_station(tmp_path, engines='["gtts", "espeak-ng"]', extra=extra)
    station.write_text(station.read_text(encoding="utf-8").replace("[speech]", "[speech]\ngtts_timeout = 0.3"),
                       encoding="utf-8")
    with black_hole() as hole:
        for key, value in proxy_env(refused_port() if fault == "refused" else hole).items():
            monkeypatch.setenv(key, value)
        chain = Announcers(load_config(station)).chain_for_role("B")
        assert [e.name for e in chain.engines] == ["edge-tts", "gtts", "espeak-ng"]
        started = time.monotonic()
        work = tmp_path / "work"
        work.mkdir()
        spoken = chain.speak("Bà con chú ý.", work, "s0")
        elapsed = time.monotonic() - started
    assert spoken.engine == "espeak-ng" and spoken.voice == "espeak-ng:vi:180:p55"
    assert [f.split(":")[0] for f in spoken.failures] == ["edge-tts", "gtts"]
    assert elapsed < 10, f"took {elapsed:.1f} s"
    assert [p.name for p in work.iterdir()] == ["s0-espeak-ng.wav"], "failed engines leave no files"


def test_breaker_stops_paying_the_timeout_after_repeated_hangs(tmp_path: Path) -> None:
    with black_hole() as hole:
        chain = EngineChain([EdgeEngine(timeout=0.2, proxy=f"http://127.0.0.1:{hole}"), EspeakEngine()],
                            max_consecutive_failures=2)
        started = time.monotonic()
        results = [chain.speak("Câu thử.", tmp_path, f"s{i}") for i in range(5)]
        elapsed = time.monotonic() - started
    assert [len(r.failures) for r in results] == [1, 1, 0, 0, 0]
    assert "edge-tts" in chain.disabled and elapsed < 6


def test_edge_without_its_package_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "edge_tts", None)  # what a station without the extra has
    engine = EdgeEngine()
    assert "radio-gen[edge]" in (engine.check() or "")
    with pytest.raises(EngineUnavailable, match=r"radio-gen\[edge\]"):
        engine.synthesize("Xin chào.", tmp_path / "x.mp3")


def test_rate_and_pitch_become_edge_settings() -> None:
    engine = EdgeEngine(MALE, rate=0.85, pitch=-8)
    assert engine.voice_id == "edge-tts:vi-VN-NamMinhNeural:0.85:-8"


@pytest.mark.net
def test_edge_speaks_vietnamese_online(tmp_path: Path) -> None:
    dest = tmp_path / "x.mp3"
    EdgeEngine(MALE, timeout=30).synthesize("Xin chào quý vị và các bạn.", dest)
    assert dest.stat().st_size > 1000
