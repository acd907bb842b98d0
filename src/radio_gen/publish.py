"""Put a finished program where loudspeaker systems fetch it, atomically.

Every file is written under a temporary name in the destination folder and renamed
into place, so a crash never leaves a half-written program at a published path.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from radio_gen.errors import RadioGenError


class PublishError(RadioGenError):
    """The output folder cannot be written (missing, read-only, disk full)."""


@dataclass(frozen=True)
class ProgramPaths:
    """Where one program's files go."""

    folder: Path
    mp3: Path
    rundown: Path
    script: Path
    latest: Path


def program_paths(out_dir: Path, date: dt.date, program_id: str) -> ProgramPaths:
    folder = out_dir / date.isoformat()
    return ProgramPaths(folder, folder / f"{program_id}.mp3", folder / f"{program_id}.json",
                        folder / f"{program_id}.txt", out_dir / "latest" / f"{program_id}.mp3")


def temp_path(final: Path) -> Path:
    """A hidden temporary name beside `final` (same filesystem, so rename is atomic)."""
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".partial", dir=final.parent)
    except OSError as exc:
        raise PublishError(f"cannot write in {final.parent}: {exc.strerror or exc}") from None
    os.close(fd)
    return Path(name)


def commit(temp: Path, final: Path) -> None:
    """Rename a complete temporary file into place (flushed to disk first)."""
    try:
        with open(temp, "rb") as handle:
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, final)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise PublishError(f"cannot publish {final}: {exc.strerror or exc}") from None


def write_text(final: Path, text: str) -> None:
    temp = temp_path(final)
    try:
        temp.write_text(text, encoding="utf-8")
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise PublishError(f"cannot write {final}: {exc.strerror or exc}") from None
    commit(temp, final)


def update_latest(mp3: Path, latest: Path) -> None:
    """Replace `latest/<program>.mp3` by a copy of the newest build, atomically."""
    temp = temp_path(latest)
    try:
        shutil.copyfile(mp3, temp)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise PublishError(f"cannot update {latest}: {exc.strerror or exc}") from None
    commit(temp, latest)
