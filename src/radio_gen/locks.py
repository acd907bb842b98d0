"""OS file locks: one scheduler per station, one build per program at a time.

`fcntl.flock` locks belong to the open file, so the kernel releases them when the
process dies, however it dies (SIGKILL, power cut): a stale lock never blocks the next
start. The lock file keeps the holder's PID so that a refusal can name it.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from radio_gen.errors import RadioGenError

#: How often a waiting build looks at the lock again.
POLL_SECONDS = 0.2


class LockError(RadioGenError):
    """A lock is held by another process, or its file cannot be created."""


class SchedulerAlreadyRunning(LockError):
    """A second scheduler for the same station."""


class ProgramBusy(LockError):
    """The same program is being built by another process."""


def scheduler_lock_path(station_dir: Path) -> Path:
    return station_dir / "scheduler.lock"


def program_lock_path(station_dir: Path, program_id: str) -> Path:
    return station_dir / "locks" / f"build-{program_id}.lock"


def holder_pid(path: Path) -> int | None:
    """The PID written by the process holding (or last holding) the lock at `path`."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None


def is_locked(path: Path) -> bool | None:
    """True while some live process holds the lock at `path`; None if it cannot be read."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


class FileLock:
    """An exclusive flock on `path`; the holder writes its PID into the file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        if self._fd is not None:
            raise RuntimeError(f"{self.path} is already held by this object")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise LockError(f"cannot create the lock file {self.path}: {exc.strerror or exc}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
        finally:
            os.close(fd)  # closing the last descriptor drops the flock


def acquire_scheduler_lock(station_dir: Path) -> FileLock:
    """The station's single-scheduler lock, or SchedulerAlreadyRunning naming the holder."""
    lock = FileLock(scheduler_lock_path(station_dir))
    if not lock.try_acquire():
        pid = holder_pid(lock.path)
        who = f"PID {pid}" if pid else "another process"
        raise SchedulerAlreadyRunning(
            f"a scheduler for this station is already running ({who}, lock {lock.path}); "
            "stop it first, or use `radio-gen status` to see what it does")
    return lock


@contextmanager
def program_lock(station_dir: Path, program_id: str, wait_seconds: float,
                 on_wait: Callable[[int | None], None] | None = None) -> Iterator[None]:
    """Hold the build lock of one program; wait up to `wait_seconds`, then ProgramBusy.

    `radio-gen build`, `run-now` and the scheduler all take it, so two builds of the
    same program never write the same files at the same time.
    """
    lock = FileLock(program_lock_path(station_dir, program_id))
    deadline = time.monotonic() + max(0.0, wait_seconds)
    told = False
    while not lock.try_acquire():
        if time.monotonic() >= deadline:
            pid = holder_pid(lock.path)
            who = f"PID {pid}" if pid else "another process"
            raise ProgramBusy(f"program '{program_id}' is being built by {who}; waited {wait_seconds:g} s "
                              f"(lock {lock.path}; raise [schedule] build_lock_wait_seconds to wait longer)")
        if not told and on_wait is not None:
            on_wait(holder_pid(lock.path))
            told = True
        time.sleep(POLL_SECONDS)
    try:
        yield
    finally:
        lock.release()
