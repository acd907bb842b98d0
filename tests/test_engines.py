"""Engines and the fallback chain, at their real boundaries (espeak-ng binary, gTTS's HTTP)."""

from __future__ import annotations

import time
import wave
from pathlib import Path

import pytest

from helpers.cli import cli_env, run_cli, rundown_of
from helpers.netfaults import black_hole, proxy_env, refused_port
from radio_gen.tts.settings import SpeechSettings
from radio_gen.tts import EngineError, UnknownEngine, create_engine
from radio_gen.tts.chain import AllEnginesFailed, EngineChain
from radio_gen.tts.engines.espeak import EspeakEngine
from radio_gen.tts.engines.gtts import GttsEngine


def test_espeak_writes_a_real_wav(tmp_path: Path) -> None:
    dest = tmp_path / "x.wav"
    EspeakEngine().synthesize("Xin chào bà con.", dest)
    with wave.open(str(dest)) as wav:
        assert wav.getnframes() / wav.getframerate() > 0.5


def test_text_starting_with_a_dash_is_spoken_not_parsed(tmp_path: Path) -> None:
    dest = tmp_path / "x.wav"
    EspeakEngine().synthesize("--help mọi người", dest)
    assert dest.stat().st_size > 1000


def test_unknown_engine_lists_valid_names() -> None:
    with pytest.raises(UnknownEngine, match="espeak-ng.*gtts|gtts.*espeak-ng"):
        create_engine("festival", SpeechSettings())


@pytest.mark.parametrize("fault", ["refused", "hanging"])
def test_gtts_fails_fast_and_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str) -> None:
    dest = tmp_path / "x.mp3"
    with black_hole() as hole:
        port = refused_port() if fault == "refused" else hole
        for key, value in proxy_env(port).items():
            monkeypatch.setenv(key, value)
        started = time.monotonic()
        with pytest.raises(EngineError) as caught:
            GttsEngine(timeout=0.3).synthesize("Xin chào.", dest)
    assert time.monotonic() - started < 10
    assert "gtts" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_chain_falls_back_and_switches_off_a_failing_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in proxy_env(refused_port()).items():
        monkeypatch.setenv(key, value)
    chain = EngineChain([GttsEngine(timeout=0.3), EspeakEngine()], max_consecutive_failures=2)
    results = [chain.speak("Câu thử số một.", tmp_path, f"s{i}") for i in range(4)]
    assert [r.engine for r in results] == ["espeak-ng"] * 4
    assert [len(r.failures) for r in results] == [1, 1, 0, 0]
    assert "gtts" in chain.disabled


def test_chain_with_no_working_engine_raises(tmp_path: Path) -> None:
    broken = EspeakEngine()
    broken.binary = None
    with pytest.raises(AllEnginesFailed):
        EngineChain([broken]).speak("Xin chào.", tmp_path, "s0")
    assert list(tmp_path.iterdir()) == []


def test_build_falls_back_within_timeout_when_network_hangs(station: Path) -> None:
    station.write_text(station.read_text("utf-8").replace('engines = ["espeak-ng"]',
                                                          'engines = ["gtts", "espeak-ng"]\ngtts_timeout = 0.3'),
                       encoding="utf-8")
    with black_hole() as port:
        started = time.monotonic()
        done = run_cli("build", "--config", str(station), "--date", "2026-11-26", env=cli_env(**proxy_env(port)))
        elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert elapsed < 60
    rundown = rundown_of(done)
    assert {s["engine"] for s in rundown["segments"] if s["kind"] == "speech"} == {"espeak-ng"}
    assert any("engine gtts was switched off" in w for w in rundown["warnings"])


@pytest.mark.net
def test_gtts_speaks_vietnamese_online(tmp_path: Path) -> None:
    dest = tmp_path / "x.mp3"
    GttsEngine(timeout=15).synthesize("Xin chào bà con.", dest)
    assert dest.stat().st_size > 1000
