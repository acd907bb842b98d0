"""The station's audio cache: leveled speech and encoded pieces, stored by what made them.

A key is a hash of everything the audio depends on (engine voice, speed, text, loudness
target, format, MP3 settings), so a rebuild with unchanged text finds every segment and
asks no engine. Each file carries a checksum: a file damaged by a crash or a full disk
is detected, deleted and made again. The folder is kept under a size limit by deleting
what was least recently used. The cache is an accelerator only: if it cannot be read or
written the build goes on without it and says so once.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from radio_gen.atomic import write_bytes
from radio_gen.audio.loudness import Figures
from radio_gen.audio.settings import AudioSettings


class _Station(Protocol):
    """What the cache needs of a station: its folder and `[audio] cache_mb`, not the station file."""

    @property
    def cache_dir(self) -> Path: ...

    @property
    def audio(self) -> AudioSettings: ...

MB = 1024 * 1024
#: No cache file is larger (a segment is one paragraph's PCM, a piece a few minutes of MP3):
#: a bigger one (a 3 GiB sparse file, a link to /dev/zero) is damage, never read.
MAX_ENTRY_BYTES = 256 * MB
MAX_INDEX_BYTES = 16 * MB
#: Bumped when what a key means changes, so old entries are never reused wrongly.
CACHE_VERSION = 2
_MAGIC = b"RGPCM\x00\x01\x00"


def cache_key(*parts: object) -> str:
    """A stable hash of the parts (JSON-encoded, so 1 and "1" differ)."""
    raw = json.dumps([CACHE_VERSION, *parts], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@dataclass
class CacheStats:
    hits: int = 0
    corrupt: int = 0
    evicted: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CachedPiece:
    mp3: Path
    #: The piece's record as JSON (its reader, `render.PieceRecord`, knows its fields).
    meta: dict[str, Any]


class AudioCache:
    """`segments/` holds leveled PCM, `pieces/` holds encoded MP3 pieces with their rundown data."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self.stats = CacheStats()
        self._lock = threading.Lock()

    @classmethod
    def of_station(cls, config: _Station) -> "AudioCache":
        """The station's cache: `cache/audio` in its folder, limited to `[audio] cache_mb`."""
        return cls(config.cache_dir / "audio", config.audio.cache_mb * MB)

    # --- segments: leveled PCM ---------------------------------------------------------

    def get_segment(self, key: str) -> tuple[bytes, Figures] | None:
        """Leveled PCM and its loudness figures, or None (missing or damaged: make it again)."""
        path = self._path("segments", key, ".pcm")
        try:
            data = read_regular(path, MAX_ENTRY_BYTES)
        except FileNotFoundError:
            return None
        except NotRegular:
            self._discard(path)
            return None
        except OSError as exc:
            self._problem(f"cannot read {path}: {exc.strerror}")
            return None
        payload = data[40:]
        if data[:8] != _MAGIC or hashlib.sha256(payload).digest() != data[8:40]:
            self._discard(path)
            return None
        size = int.from_bytes(payload[:4], "big")
        try:
            figures = Figures.from_json(json.loads(payload[4:4 + size].decode("utf-8")))
        except (ValueError, KeyError, TypeError):
            self._discard(path)
            return None
        self._touch(path)
        self._count("hits")
        return payload[4 + size:], figures

    def has_segment(self, key: str) -> bool:
        """Whether a segment is stored (not read nor checked: `get_segment` does that)."""
        return self._path("segments", key, ".pcm").is_file()

    def put_segment(self, key: str, pcm: bytes, figures: Figures) -> None:
        meta = json.dumps(figures.to_json()).encode("utf-8")
        payload = len(meta).to_bytes(4, "big") + meta + pcm
        self._write(self._path("segments", key, ".pcm"), _MAGIC + hashlib.sha256(payload).digest() + payload)

    # --- pieces: encoded MP3 frames and their rundown -----------------------------------

    def get_piece(self, key: str) -> CachedPiece | None:
        mp3, index = self._path("pieces", key, ".mp3"), self._path("pieces", key, ".json")
        try:
            record = json.loads(read_regular(index, MAX_INDEX_BYTES).decode("utf-8"))
            digest = _file_sha256(mp3)
        except FileNotFoundError:
            return None
        except (OSError, ValueError):  # NotRegular included
            self._discard(index, mp3)
            return None
        if (not isinstance(record, dict) or record.get("sha256") != digest
                or not isinstance(record.get("meta"), dict)):
            self._discard(index, mp3)
            return None
        self._touch(mp3, index)
        self._count("hits")
        return CachedPiece(mp3, record["meta"])

    def discard_piece(self, key: str) -> None:
        """An entry whose rundown data its reader could not use: made again."""
        self._discard(self._path("pieces", key, ".json"), self._path("pieces", key, ".mp3"))

    def put_piece(self, key: str, mp3: Path, meta: dict[str, Any]) -> None:
        try:
            data = mp3.read_bytes()
        except OSError:
            return
        record = {"sha256": hashlib.sha256(data).hexdigest(), "meta": meta}
        if self._write(self._path("pieces", key, ".mp3"), data):
            self._write(self._path("pieces", key, ".json"), json.dumps(record).encode("utf-8"))

    # --- size limit ---------------------------------------------------------------------

    def trim(self) -> int:
        """Delete least recently used files until the cache fits its limit; how many went."""
        entries = self._entries()
        total = sum(size for _, size, _ in entries)
        removed = 0
        for _, size, path in sorted(entries, key=lambda e: e[0]):
            if total <= self.max_bytes:
                break
            try:
                path.unlink()
            except OSError:
                continue
            total -= size
            removed += 1
        self.stats.evicted += removed
        return removed

    def usage(self) -> int:
        """Bytes the cache holds now."""
        return sum(size for _, size, _ in self._entries())

    def _entries(self) -> list[tuple[float, int, Path]]:
        """(last used, size, path) of every file, temporary leftovers of killed builds included."""
        entries = []
        for folder in ("segments", "pieces"):
            for path in (self.root / folder).glob("*/*"):
                try:
                    info = path.stat()
                except OSError:
                    continue
                entries.append((info.st_mtime, info.st_size, path))
        return entries

    # --- plumbing -------------------------------------------------------------------------

    def _path(self, kind: str, key: str, suffix: str) -> Path:
        return self.root / kind / key[:2] / f"{key}{suffix}"

    def _write(self, path: Path, data: bytes) -> bool:
        try:
            write_bytes(path, data)
            return True
        except OSError as exc:
            self._problem(f"cannot store audio in the cache {self.root}: {exc.strerror or exc}")
            return False

    def _discard(self, *paths: Path) -> None:
        """A damaged entry: remove it so it is made again."""
        self._count("corrupt")
        for path in paths:
            try:
                path.unlink(missing_ok=True)
            except OSError:
                pass

    @staticmethod
    def _touch(*paths: Path) -> None:
        for path in paths:
            try:
                os.utime(path)
            except OSError:
                pass

    def _count(self, name: str) -> None:
        with self._lock:
            setattr(self.stats, name, getattr(self.stats, name) + 1)

    def _problem(self, message: str) -> None:
        with self._lock:
            if not self.stats.problems:
                self.stats.problems.append(f"{message} (the build goes on without the cache)")


class NotRegular(OSError):
    """A cache or clip file that is not a regular file of sensible size: damage, not data."""


def open_regular(path: Path, limit: int) -> tuple[int, int]:
    """(file descriptor, size) of `path` if it is a regular file of at most `limit` bytes.

    Opened without following a symbolic link and without blocking on a FIFO, so a link
    to /dev/zero, a pipe or a huge sparse file is refused before a byte is read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotRegular(f"{path} is a symbolic link") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(f"{path} is not a regular file")
        if info.st_size > limit:
            raise NotRegular(f"{path} is {info.st_size:,} bytes (limit {limit:,})")
    except BaseException:
        os.close(fd)
        raise
    return fd, info.st_size


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (see `open_regular`)."""
    fd, size = open_regular(path, limit)
    with os.fdopen(fd, "rb") as handle:
        return handle.read(size + 1)[:limit + 1]


def _file_sha256(path: Path) -> str:
    fd, size = open_regular(path, MAX_ENTRY_BYTES)
    digest = hashlib.sha256()
    with os.fdopen(fd, "rb") as handle:
        left = size
        while left > 0:
            block = handle.read(min(1 << 20, left))
            if not block:
                break
            digest.update(block)
            left -= len(block)
    return digest.hexdigest()
