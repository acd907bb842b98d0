"""Put a finished program where loudspeaker systems fetch it, atomically.

Every file is written under a temporary name in the destination folder and renamed
into place, so a crash never leaves a half-written program at a published path.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import tempfile
import time
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
        raise PublishError(f"cannot write in {final.parent}: {_reason(exc)}") from None
    os.close(fd)
    return Path(name)


#: A temporary file untouched this long belongs to a build that died (writes are streamed).
STALE_PARTIAL_SECONDS = 300


def remove_stale_partials(final: Path, older_than: float = STALE_PARTIAL_SECONDS) -> list[Path]:
    """Delete temporary files of `final` left by a build that was killed."""
    removed = []
    if not final.parent.is_dir():
        return removed
    cutoff = time.time() - older_than
    for leftover in final.parent.glob(f".{final.name}.*.partial"):
        try:
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()
                removed.append(leftover)
        except OSError:
            continue
    return removed


class Staging:
    """A program's files, written under temporary names, then renamed into place together.

    Nothing is renamed until every file is complete, so a full disk or a crash leaves
    the previous program (MP3, rundown, script and latest copy) as it was.
    """

    def __init__(self) -> None:
        self._staged: list[tuple[Path, Path]] = []

    def reserve(self, final: Path) -> Path:
        """A temporary path whose content will become `final` on commit."""
        temp = temp_path(final)
        self._staged.append((temp, final))
        return temp

    def write_text(self, final: Path, text: str) -> None:
        temp = self.reserve(final)
        try:
            temp.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise PublishError(f"cannot write {final}: {_reason(exc)}") from None

    def copy(self, source: Path, final: Path) -> None:
        temp = self.reserve(final)
        try:
            shutil.copyfile(source, temp)
        except OSError as exc:
            raise PublishError(f"cannot write {final}: {_reason(exc)}") from None

    def commit(self) -> None:
        """Flush every file to disk, then rename each into place."""
        try:
            for temp, _ in self._staged:
                with open(temp, "rb") as handle:
                    os.fsync(handle.fileno())
                os.chmod(temp, 0o644)
            for temp, final in self._staged:
                os.replace(temp, final)
        except OSError as exc:
            raise PublishError(f"cannot publish in {self._staged[0][1].parent}: {_reason(exc)}") from None
        self._staged.clear()

    def discard(self) -> None:
        for temp, _ in self._staged:
            temp.unlink(missing_ok=True)
        self._staged.clear()

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.discard()


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    return exc.strerror or str(exc)
