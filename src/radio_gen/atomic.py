"""Files that are either the old version or the new one, never half of either.

Every writer of a file that something else may read at the same time (the audio cache,
the lexicon, a listen sample, a downloaded voice, an engine's output) writes under a
temporary name in the same folder and renames it over the file when it is complete: a
crash, a full disk or an engine that dies leaves the old file and a stray temporary
file, never a truncated one. (`publish.Staging` does the same for a whole program.)
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_counter = itertools.count()


def temp_name(path: Path) -> Path:
    """A name next to `path` that no other process or thread uses now: `.NAME.PID.THREAD.N.part`."""
    return path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.{next(_counter)}.part")


@contextmanager
def replacing(path: Path, *, mode: int | None = None, fsync: bool = False) -> Iterator[Path]:
    """A temporary path for the block to write; renamed over `path` when the block ends without error.

    On any error the temporary file is removed and `path` is untouched. `mode` sets the
    permissions (else the umask decides, as for any new file); `fsync` flushes the data
    to disk before the rename, for files that must survive a power cut (the lexicon).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_name(path)
    try:
        yield temp
        if fsync:
            fd = os.open(temp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    finally:
        try:
            temp.unlink(missing_ok=True)
        except OSError:
            pass


def write_bytes(path: Path, data: bytes, *, mode: int | None = None, fsync: bool = False) -> None:
    """`path` holds `data`, all of it or (on OSError) what it held before."""
    with replacing(path, mode=mode, fsync=fsync) as temp:
        temp.write_bytes(data)


def write_text(path: Path, text: str, *, mode: int | None = None, fsync: bool = False) -> None:
    """UTF-8 text with "\\n" line ends, written as `write_bytes` does."""
    write_bytes(path, text.encode("utf-8"), mode=mode, fsync=fsync)
