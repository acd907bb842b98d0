"""Separately encoded MP3 pieces: frame counts give exact durations; joining keeps them and tags."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from helpers.audio_probe import duration, tags
from radio_gen.audio import AudioError, SAMPLE_RATE, loudness
from radio_gen.audio.encode import Mp3Encoder
from radio_gen.audio.mp3 import count_frames, join
from radio_gen.audio.settings import Mp3Settings


def piece(path: Path, seconds: float, settings: Mp3Settings, freq: float = 440.0) -> Path:
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    with Mp3Encoder(path, settings) as encoder:
        encoder.write(loudness.to_pcm((0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)))
    return path


@pytest.mark.parametrize("settings", [Mp3Settings(), Mp3Settings(48, 24000, 1), Mp3Settings(128, 48000, 2)])
def test_frame_count_is_the_decoded_duration(tmp_path: Path, settings: Mp3Settings) -> None:
    mp3 = piece(tmp_path / "p.mp3", 3.3, settings)
    counted = count_frames(mp3)
    assert counted.sample_rate == settings.sample_rate
    assert abs(counted.seconds - duration(mp3)) < 0.002
    assert 3.3 < counted.seconds < 3.3 + 0.1, "encoder delay and padding add less than a tenth"


def test_joined_program_lasts_the_sum_of_its_pieces_and_carries_tags(tmp_path: Path) -> None:
    settings = Mp3Settings()
    pieces = [piece(tmp_path / f"p{i}.mp3", s, settings, f) for i, (s, f) in enumerate([(2.0, 440), (5.5, 660),
                                                                                        (1.2, 880)])]
    program = tmp_path / "program.mp3"
    join(pieces, program, {"title": "Chương trình ngày 26/11/2026", "artist": "Đài huyện Minh Sơn",
                           "album": "Thời sự", "date": "2026-11-26", "genre": "Speech"})
    assert abs(duration(program) - sum(count_frames(p).seconds for p in pieces)) < 0.01
    tag = tags(program)
    assert tag["title"] == "Chương trình ngày 26/11/2026" and tag["artist"] == "Đài huyện Minh Sơn"
    assert tag["date"].startswith("2026")


def test_a_damaged_piece_is_refused(tmp_path: Path) -> None:
    mp3 = piece(tmp_path / "p.mp3", 1.0, Mp3Settings())
    mp3.write_bytes(mp3.read_bytes()[:-50])
    with pytest.raises(AudioError, match="truncated"):
        count_frames(mp3)
    (tmp_path / "junk.mp3").write_bytes(b"ID3" + bytes(500))
    with pytest.raises(AudioError, match="not a Layer III frame"):
        count_frames(tmp_path / "junk.mp3")
