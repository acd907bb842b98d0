"""Measure real audio files with ffprobe/ffmpeg (duration, tags, loudness, silence)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path


def probe(path: Path) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", str(path)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def duration(path: Path) -> float:
    return float(probe(path)["format"]["duration"])


def tags(path: Path) -> dict[str, str]:
    return {k.lower(): v for k, v in probe(path)["format"].get("tags", {}).items()}


def mean_volume_db(path: Path) -> float:
    err = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-i", str(path), "-af", "volumedetect",
                          "-f", "null", "-"], capture_output=True, text=True, check=True).stderr
    return float(re.search(r"mean_volume: (-?[\d.]+|-inf) dB", err).group(1))


def silent_seconds(path: Path, noise_db: float = -50, min_len: float = 0.5) -> float:
    err = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-i", str(path), "-af",
                          f"silencedetect=noise={noise_db}dB:d={min_len}", "-f", "null", "-"],
                         capture_output=True, text=True, check=True).stderr
    return sum(float(x) for x in re.findall(r"silence_duration: ([\d.]+)", err))
