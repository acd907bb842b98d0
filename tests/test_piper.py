"""Piper for real, offline: a tiny generated voice model loaded by path and by name."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import pytest

from helpers.audio_probe import probe
from radio_gen.tts.base import EngineError, EngineUnavailable
from radio_gen.tts.chain import EngineChain
from radio_gen.tts.engines.espeak import EspeakEngine
from radio_gen.tts.engines.piper import PiperEngine, read_voice_info, voice_paths
from helpers.tiny_piper_voice import SAMPLE_RATE, write_voice

TEXT = "Xin chào quý vị và các bạn. Hôm nay trời nắng đẹp."


@pytest.fixture(scope="module")
def voices_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("voices")
    write_voice(folder, "vi_VN-tiny-x_low")
    write_voice(folder, "en_US-tiny-x_low", language="en_US", espeak_voice="en-us")
    return folder


def _seconds(path: Path) -> float:
    with wave.open(str(path)) as wav:
        return wav.getnframes() / wav.getframerate()


def test_voice_loaded_by_path_speaks_a_real_wav(voices_dir: Path, tmp_path: Path) -> None:
    dest = tmp_path / "s.wav"
    PiperEngine(str(voices_dir / "vi_VN-tiny-x_low.onnx"), tmp_path / "elsewhere").synthesize(TEXT, dest)
    stream = probe(dest)["streams"][0]
    assert stream["codec_name"] == "pcm_s16le"
    assert int(stream["sample_rate"]) == SAMPLE_RATE and stream["channels"] == 1
    assert float(probe(dest)["format"]["duration"]) > 0.5
    assert list(tmp_path.iterdir()) == [dest], "no .part file may stay behind"


def test_voice_by_name_from_the_voices_folder_and_longer_text_is_longer(voices_dir: Path, tmp_path: Path) -> None:
    engine = PiperEngine("vi_VN-tiny-x_low", voices_dir)
    engine.synthesize("Xin chào.", tmp_path / "short.wav")
    engine.synthesize(TEXT + " " + TEXT, tmp_path / "long.wav")
    assert _seconds(tmp_path / "long.wav") > 3 * _seconds(tmp_path / "short.wav")
    assert engine.check() is None
    assert engine.voice_id == "piper:vi_VN-tiny-x_low:1"


def test_speaking_rate_reaches_the_model(voices_dir: Path, tmp_path: Path) -> None:
    PiperEngine("vi_VN-tiny-x_low", voices_dir, rate=1.0).synthesize(TEXT, tmp_path / "normal.wav")
    PiperEngine("vi_VN-tiny-x_low", voices_dir, rate=1.25).synthesize(TEXT, tmp_path / "fast.wav")
    ratio = _seconds(tmp_path / "fast.wav") / _seconds(tmp_path / "normal.wav")
    assert ratio == pytest.approx(0.8, abs=0.02)


def test_a_voice_that_is_not_vietnamese_is_refused(voices_dir: Path, tmp_path: Path) -> None:
    engine = PiperEngine("en_US-tiny-x_low", voices_dir)
    with pytest.raises(EngineUnavailable, match="speaks en_US, not Vietnamese.*vi_VN"):
        engine.synthesize(TEXT, tmp_path / "x.wav")
    assert "not Vietnamese" in (engine.check() or "")
    assert list(tmp_path.iterdir()) == []


def test_missing_voice_says_how_to_install_it_and_the_chain_falls_back(tmp_path: Path) -> None:
    engine = PiperEngine("vi_VN-vais1000-medium", tmp_path / "voices")
    assert "radio-gen voices install vi_VN-vais1000-medium" in (engine.check() or "")
    chain = EngineChain([engine, EspeakEngine()])
    spoken = chain.speak("Xin chào.", tmp_path, "s0")
    assert spoken.engine == "espeak-ng" and spoken.voice.startswith("espeak-ng:vi")
    assert "voices install vi_VN-vais1000-medium" in spoken.failures[0]
    assert "piper" in chain.disabled


def test_voice_without_its_config_or_with_a_broken_one(voices_dir: Path, tmp_path: Path) -> None:
    model = tmp_path / "vi_VN-half-low.onnx"
    model.write_bytes((voices_dir / "vi_VN-tiny-x_low.onnx").read_bytes())
    with pytest.raises(EngineUnavailable, match="incomplete.*config"):
        PiperEngine(str(model), tmp_path).synthesize("Xin chào.", tmp_path / "x.wav")
    model.with_name(model.name + ".json").write_text(json.dumps({"audio": {}}), encoding="utf-8")
    with pytest.raises(EngineUnavailable, match="not a Piper voice config"):
        PiperEngine(str(model), tmp_path).synthesize("Xin chào.", tmp_path / "x.wav")


def test_corrupt_model_fails_cleanly(voices_dir: Path, tmp_path: Path) -> None:
    model = tmp_path / "vi_VN-broken-low.onnx"
    model.write_bytes(b"not an onnx model" * 10)
    (tmp_path / "vi_VN-broken-low.onnx.json").write_bytes((voices_dir / "vi_VN-tiny-x_low.onnx.json").read_bytes())
    with pytest.raises(EngineError, match="cannot load voice 'vi_VN-broken-low'"):
        PiperEngine(str(model), tmp_path).synthesize("Xin chào.", tmp_path / "x.wav")
    assert not (tmp_path / "x.wav").exists()


def test_voice_paths_by_name_and_by_path(tmp_path: Path) -> None:
    assert voice_paths("vi_VN-a-low", tmp_path) == (tmp_path / "vi_VN-a-low.onnx", tmp_path / "vi_VN-a-low.onnx.json")
    model, config = voice_paths("/opt/voices/x.onnx", tmp_path)
    assert model == Path("/opt/voices/x.onnx") and config == Path("/opt/voices/x.onnx.json")


def test_voice_info_reads_language_and_quality(voices_dir: Path) -> None:
    info = read_voice_info(voices_dir / "vi_VN-tiny-x_low.onnx")
    assert (info.name, info.language, info.quality, info.sample_rate) == \
        ("vi_VN-tiny-x_low", "vi_VN", "x_low", SAMPLE_RATE)
    assert info.is_vietnamese
