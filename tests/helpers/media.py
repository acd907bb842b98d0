"""Real audio for tests: tones made by ffmpeg, and the pitch of a stretch of a built program."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np


def tone(path: Path, seconds: float, frequency: float = 440.0, *, volume: float = 0.5) -> bytes:
    """A real encoded tone (the format from the suffix); volume 0 for silence."""
    source = (f"sine=frequency={frequency}:duration={seconds}:sample_rate=44100" if volume
              else f"anullsrc=r=44100:cl=mono:d={seconds}")
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", source,
                    "-af", f"volume={volume or 1}", str(path)], check=True)
    return path.read_bytes()


def dominant_hz(mp3: Path, start: float, end: float) -> float:
    """The strongest frequency of a stretch of a built program, decoded by ffmpeg."""
    raw = subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-ss", f"{start + 0.1:.3f}", "-t",
                          f"{end - start - 0.2:.3f}", "-i", str(mp3), "-f", "s16le", "-ac", "1", "-ar", "24000", "-"],
                         capture_output=True, check=True).stdout
    samples = np.frombuffer(raw, dtype=np.int16).astype(np.float64)
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / 24000)[int(np.argmax(spectrum))])
