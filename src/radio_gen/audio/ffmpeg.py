"""Find ffmpeg once, explicitly: PATH differs under schedulers and service managers."""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

from radio_gen.audio import AudioError

_FALLBACKS = ("/usr/bin", "/usr/local/bin", "/opt/homebrew/bin")


def _find(tool: str) -> str | None:
    override = os.environ.get(f"RADIO_GEN_{tool.upper()}")
    if override:
        return override if Path(override).is_file() else None
    return shutil.which(tool) or next((str(Path(d) / tool) for d in _FALLBACKS if (Path(d) / tool).is_file()), None)


def _required(tool: str) -> str:
    path = _find(tool)
    if path is None:
        raise AudioError(f"{tool} is not installed: run `sudo apt-get install ffmpeg`")
    return path


@functools.cache
def ffmpeg() -> str:
    """Path of the ffmpeg binary, or AudioError saying how to install it."""
    return _required("ffmpeg")


@functools.cache
def ffprobe() -> str:
    """Path of ffprobe (shipped with ffmpeg), or AudioError saying how to install it."""
    return _required("ffprobe")


def configure_pydub() -> None:
    """Point pydub at the resolved binaries instead of letting it search PATH."""
    from pydub import AudioSegment

    AudioSegment.converter = ffmpeg()
    AudioSegment.ffmpeg = ffmpeg()
    AudioSegment.ffprobe = ffprobe()
