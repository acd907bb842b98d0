"""The loudness meter and limiter against ffmpeg's own EBU R128 meter, on real speech and tones."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from radio_gen.audio import SAMPLE_RATE, loudness
from radio_gen.audio.pcm import decode_to_pcm

SENTENCES = ("Sáng nay, các xã trong huyện đồng loạt ra quân nạo vét kênh mương, chuẩn bị nước cho vụ "
             "đông xuân. Hơn ba nghìn người đã tham gia, làm sạch gần bốn mươi cây số kênh.")


def ebur128(pcm: bytes, tmp_path: Path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) of internal-format PCM, by ffmpeg."""
    return ebur128_each([pcm], tmp_path)[0]


def ebur128_each(pcms: list[bytes], folder: Path) -> list[tuple[float, float]]:
    """ebur128 of several PCM inputs, each by its own meter in one ffmpeg run (an ffmpeg start
    costs more than measuring seconds of audio)."""
    command = ["ffmpeg", "-hide_banner", "-nostats"]
    for index, pcm in enumerate(pcms):
        raw = folder / f"x{index}.raw"
        raw.write_bytes(pcm)
        command += ["-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", "1", "-i", str(raw)]
    command += ["-filter_complex", ";".join(f"[{i}:a]ebur128=peak=true[m{i}]" for i in range(len(pcms)))]
    for index in range(len(pcms)):
        command += ["-map", f"[m{index}]", "-f", "null", "-"]
    err = subprocess.run(command, capture_output=True, text=True, check=True).stderr
    found = {}
    for meter, summary in re.findall(r"\[Parsed_ebur128_(\d+) @ [^\]]*\] Summary:(.*?Peak:[^\n]*)", err, re.S):
        found[int(meter)] = (float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1)),
                             float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary).group(1)))
    assert sorted(found) == list(range(len(pcms))), err[-2000:]
    return [found[index] for index in range(len(pcms))]


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    wav = tmp_path_factory.mktemp("speech") / "s.wav"
    subprocess.run(["espeak-ng", "-v", "vi", "-w", str(wav), SENTENCES], check=True)
    return decode_to_pcm(wav)


def tone(freq: float, amplitude: float, seconds: float = 4.0) -> bytes:
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return loudness.to_pcm((amplitude * np.sin(2 * np.pi * freq * t + 0.4)).astype(np.float32))


TONES = [(100, 0.5), (997, 0.25), (3000, 0.1), (8000, 0.7)]


@pytest.fixture(scope="module")
def tones_by_ffmpeg(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[float, float], tuple[bytes, float]]:
    """Each tone of TONES and ffmpeg's integrated loudness of it, measured in one ffmpeg run."""
    pcms = [tone(freq, amplitude) for freq, amplitude in TONES]
    measured = ebur128_each(pcms, tmp_path_factory.mktemp("tones"))
    return {key: (pcm, lufs) for key, pcm, (lufs, _) in zip(TONES, pcms, measured)}


@pytest.mark.parametrize("freq, amplitude", TONES)
def test_meter_agrees_with_ffmpeg_on_tones(freq: float, amplitude: float,
                                           tones_by_ffmpeg: dict[tuple[float, float], tuple[bytes, float]]) -> None:
    pcm, theirs = tones_by_ffmpeg[(freq, amplitude)]
    ours = loudness.integrated(loudness.block_powers(loudness.to_float(pcm)))
    assert abs(ours - theirs) <= 0.2


def test_meter_agrees_with_ffmpeg_on_speech(speech: bytes, tmp_path: Path) -> None:
    samples = loudness.to_float(speech)
    theirs, peak = ebur128(speech, tmp_path)
    assert abs(loudness.integrated(loudness.block_powers(samples)) - theirs) <= 0.2
    assert abs(loudness.true_peak_db(samples) - peak) <= 0.5


def test_gating_ignores_silence(tmp_path: Path) -> None:
    pcm = tone(997, 0.25, 3.0)
    padded = pcm + bytes(SAMPLE_RATE * 2 * 20)     # ungated, 20 s of silence would take 8.8 LU off
    level = loudness.integrated(loudness.block_powers(loudness.to_float(pcm)))
    gated = loudness.integrated(loudness.block_powers(loudness.to_float(padded)))
    assert abs(gated - level) < 0.5
    assert abs(gated - ebur128(padded, tmp_path)[0]) <= 0.2
    assert loudness.integrated(loudness.block_powers(np.zeros(SAMPLE_RATE, dtype=np.float32))) == loudness.SILENT


TARGETS = [-23.0, -18.0, -16.0]


@pytest.fixture(scope="module")
def leveled_by_ffmpeg(speech: bytes, tmp_path_factory: pytest.TempPathFactory
                      ) -> dict[float, tuple[loudness.Leveled, tuple[float, float]]]:
    """The speech leveled to each of TARGETS, and ffmpeg's (LUFS, peak) of it, in one ffmpeg run."""
    leveled = [loudness.level(speech, target, -1.0) for target in TARGETS]
    measured = ebur128_each([one.pcm for one in leveled], tmp_path_factory.mktemp("leveled"))
    return dict(zip(TARGETS, zip(leveled, measured)))


@pytest.mark.parametrize("target", TARGETS)
def test_level_reaches_the_target_under_the_peak_ceiling(
        speech: bytes, target: float,
        leveled_by_ffmpeg: dict[float, tuple[loudness.Leveled, tuple[float, float]]]) -> None:
    leveled, (lufs, peak) = leveled_by_ffmpeg[target]
    assert abs(lufs - (target + loudness.ENCODER_LOSS_LU)) <= 0.5
    assert peak <= -1.0 - loudness.ENCODER_HEADROOM_DB + 0.3
    assert abs(leveled.lufs - lufs) <= 0.3, "the figure the rundown records is what ffmpeg measures"
    assert len(leveled.pcm) == len(speech)


def test_limiter_holds_the_ceiling_on_hard_clicks(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    samples = (0.05 * rng.standard_normal(SAMPLE_RATE * 3)).astype(np.float32)
    samples[rng.integers(0, len(samples), 40)] = 0.99            # isolated clicks far above the speech
    envelope = loudness.peak_envelope(samples)
    out, peak = loudness.limited_gain(samples, envelope, loudness.step_peaks(envelope), 6.0, -3.0)
    _, measured = ebur128(loudness.to_pcm(out), tmp_path)
    assert measured <= -3.0 + 0.3 and 20 * np.log10(peak) <= -3.0 + 1e-3
    quiet = np.abs(samples) < 0.2
    assert np.median(np.abs(out[quiet]) / np.maximum(np.abs(samples[quiet]), 1e-6)) > 1.8, \
        "away from the clicks the gain is applied in full"


def test_unreachable_target_stops_at_what_the_limiter_allows(speech: bytes) -> None:
    # espeak-ng peaks ~19 dB above its loudness: under a -3 dBTP ceiling it tops out near -14 LUFS.
    leveled = loudness.level(speech, -8.0, -1.0)
    assert -16.0 < leveled.lufs < -8.0 + loudness.ENCODER_LOSS_LU
    assert leveled.true_peak_db <= -3.0 + 1e-3


def test_near_silence_is_not_pumped_up() -> None:
    whisper = tone(997, 0.0005)
    leveled = loudness.level(whisper, -16.0, -1.0)
    assert leveled.gain_db <= loudness.MAX_GAIN_DB
    assert leveled.lufs < -30
