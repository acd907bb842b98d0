"""Audio: one internal format, clips, joining, loudness and MP3 encoding."""

from __future__ import annotations

from radio_gen.errors import RadioGenError

#: The internal format every piece is converted to once: 24 kHz mono 16-bit PCM.
SAMPLE_RATE = 24_000
CHANNELS = 1
SAMPLE_WIDTH = 2
BYTES_PER_SECOND = SAMPLE_RATE * CHANNELS * SAMPLE_WIDTH


class AudioError(RadioGenError):
    """ffmpeg is missing, or an audio file cannot be decoded or encoded."""


def seconds(pcm_bytes: int) -> float:
    """Duration of `pcm_bytes` bytes of internal-format audio."""
    return pcm_bytes / BYTES_PER_SECOND


def silence(duration: float) -> bytes:
    """Internal-format silence, whole samples only."""
    return bytes(int(duration * SAMPLE_RATE) * SAMPLE_WIDTH * CHANNELS)
