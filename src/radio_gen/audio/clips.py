"""Clips: the station's own files, or built-in tunes synthesized from sine tones.

The built-in signature tune and stinger are generated here (no recording, no
copyright): a station replaces them by dropping `nhac-hieu.mp3` (or .wav, .ogg, .flac)
and `stinger.mp3` into its clips folder.
"""

from __future__ import annotations

import functools
import os
import re
import stat
from pathlib import Path

import numpy as np

from radio_gen.audio import SAMPLE_RATE, AudioError
from radio_gen.audio.pcm import decode_to_pcm

CLIP_SUFFIXES = (".mp3", ".wav", ".ogg", ".flac", ".m4a")
#: A station's jingle is a few minutes at most; a larger file is a mistake, not a clip.
MAX_CLIP_BYTES = 100 * 1024 * 1024
_NAME = re.compile(r"^(?!\.)[\w.-]{1,64}$")

# (frequency Hz, duration s) — a pentatonic call in C, like a village loudspeaker jingle.
TUNES: dict[str, list[tuple[float, float]]] = {
    "nhac-hieu": [(523.25, 0.30), (587.33, 0.30), (659.25, 0.30), (783.99, 0.45), (659.25, 0.30),
                  (783.99, 0.30), (880.00, 0.60), (783.99, 0.30), (659.25, 0.30), (523.25, 0.90)],
    "stinger": [(783.99, 0.16), (1046.50, 0.32)],
}


def find_clip(name: str, clips_dir: Path | None) -> Path | None:
    """The station's own file for clip `name`, if it has a usable one (see `clip_problem`)."""
    for candidate in _candidates(name, clips_dir):
        if clip_problem(candidate, clips_dir) is None:  # type: ignore[arg-type]
            return candidate
    return None


def clip_problem(path: Path, clips_dir: Path) -> str | None:
    """Why a file in the clips folder is not played, or None: only regular files of sensible
    size whose real place is in the clips folder (a FIFO would hang ffmpeg, a link could
    put any audio file of the machine on the air)."""
    try:
        real, folder = path.resolve(strict=True), clips_dir.resolve(strict=True)
        if not real.is_relative_to(folder):
            return f"{path.name} is a link to a file outside the clips folder"
        info = real.stat()
    except (OSError, RuntimeError):
        return f"{path.name} cannot be read"
    if not stat.S_ISREG(info.st_mode):
        return f"{path.name} is not a regular file"
    if info.st_size > MAX_CLIP_BYTES:
        return f"{path.name} is {info.st_size:,} bytes (limit {MAX_CLIP_BYTES:,})"
    return None


def _candidates(name: str, clips_dir: Path | None) -> list[Path]:
    if clips_dir is None or not _NAME.match(name) or not clips_dir.is_dir():
        return []
    return [clips_dir / f"{name}{suffix}" for suffix in CLIP_SUFFIXES
            if os.path.lexists(clips_dir / f"{name}{suffix}")]


def load_clip(name: str, clips_dir: Path | None) -> bytes:
    """Internal-format PCM of clip `name`; AudioError when there is no such clip."""
    own = find_clip(name, clips_dir)
    if own is not None:
        return decode_to_pcm(own)
    if name in TUNES:
        return _builtin(name)
    refused = [clip_problem(c, clips_dir) for c in _candidates(name, clips_dir)]  # type: ignore[arg-type]
    if refused:
        raise AudioError(f"clip '{name}' not played: {'; '.join(r for r in refused if r)}")
    raise AudioError(f"no clip named '{name}' (put {name}.mp3 in {clips_dir or 'the clips folder'})")


@functools.lru_cache(maxsize=8)
def _builtin(name: str) -> bytes:
    """A built-in tune, made once per process: a program plays the stinger before every item."""
    return synthesize_tune(tuple(TUNES[name]))


def synthesize_tune(notes: tuple[tuple[float, float], ...] | list[tuple[float, float]],
                    volume: float = 0.35) -> bytes:
    """Notes with a soft attack and decay and a gentle second harmonic."""
    parts = []
    for frequency, duration in notes:
        count = int(duration * SAMPLE_RATE)
        attack, release = int(0.01 * SAMPLE_RATE), int(0.35 * count)
        i = np.arange(count)
        envelope = np.minimum(1.0, i / attack) * (np.minimum(1.0, (count - i) / release) if release else 1.0)
        phase = 2 * np.pi * frequency / SAMPLE_RATE * i
        value = np.sin(phase) + 0.3 * np.sin(2 * phase)
        parts.append((32767 * volume * envelope * value / 1.3).astype(np.int16))
    parts.append(np.zeros(int(0.2 * SAMPLE_RATE), dtype=np.int16))
    return np.concatenate(parts).astype("<i2").tobytes()
