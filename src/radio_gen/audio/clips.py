"""Clips: the station's own files, or built-in tunes synthesized from sine tones.

The built-in signature tune and stinger are generated here (no recording, no
copyright): a station replaces them by dropping `nhac-hieu.mp3` (or .wav, .ogg, .flac)
and `stinger.mp3` into its clips folder.
"""

from __future__ import annotations

import math
from array import array
from pathlib import Path

from radio_gen.audio import SAMPLE_RATE, AudioError
from radio_gen.audio.pcm import decode_to_pcm

CLIP_SUFFIXES = (".mp3", ".wav", ".ogg", ".flac", ".m4a")

# (frequency Hz, duration s) — a pentatonic call in C, like a village loudspeaker jingle.
TUNES: dict[str, list[tuple[float, float]]] = {
    "nhac-hieu": [(523.25, 0.30), (587.33, 0.30), (659.25, 0.30), (783.99, 0.45), (659.25, 0.30),
                  (783.99, 0.30), (880.00, 0.60), (783.99, 0.30), (659.25, 0.30), (523.25, 0.90)],
    "stinger": [(783.99, 0.16), (1046.50, 0.32)],
}


def find_clip(name: str, clips_dir: Path | None) -> Path | None:
    """The station's own file for clip `name`, if it has one."""
    if clips_dir is None or not clips_dir.is_dir():
        return None
    for suffix in CLIP_SUFFIXES:
        candidate = clips_dir / f"{name}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def load_clip(name: str, clips_dir: Path | None) -> bytes:
    """Internal-format PCM of clip `name`; AudioError when there is no such clip."""
    own = find_clip(name, clips_dir)
    if own is not None:
        return decode_to_pcm(own)
    if name in TUNES:
        return synthesize_tune(TUNES[name])
    raise AudioError(f"no clip named '{name}' (put {name}.mp3 in {clips_dir or 'the clips folder'})")


def synthesize_tune(notes: list[tuple[float, float]], volume: float = 0.35) -> bytes:
    """Notes with a soft attack and decay and a gentle second harmonic."""
    samples = array("h")
    for frequency, duration in notes:
        count = int(duration * SAMPLE_RATE)
        attack, release = int(0.01 * SAMPLE_RATE), int(0.35 * count)
        step = 2 * math.pi * frequency / SAMPLE_RATE
        for i in range(count):
            envelope = min(1.0, i / attack) * (min(1.0, (count - i) / release) if release else 1.0)
            value = math.sin(step * i) + 0.3 * math.sin(2 * step * i)
            samples.append(int(32767 * volume * envelope * value / 1.3))
    samples.extend([0] * int(0.2 * SAMPLE_RATE))
    return samples.tobytes()
