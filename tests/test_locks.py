"""OS locks: held by a live process, freed by its death; `radio-gen build` waits or refuses."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers.cli import cli_env, run_cli
from helpers.sched_support import clock, published, runs, write_station

from radio_gen.history import Run
from radio_gen.locks import (ProgramBusy, SchedulerAlreadyRunning, acquire_scheduler_lock, is_locked,
                             program_lock, scheduler_lock_path)

HOLDER = """
import sys, time
from pathlib import Path
from radio_gen.history import Run
from radio_gen.locks import acquire_scheduler_lock
lock = acquire_scheduler_lock(Path(sys.argv[1]))
print("held", flush=True)
time.sleep(120)
"""


@pytest.mark.process
def test_a_lock_held_by_another_process_names_it_and_dies_with_it(tmp_path: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)], stdout=subprocess.PIPE, text=True,
                              env=cli_env())
    try:
        assert holder.stdout.readline().strip() == "held"
        assert is_locked(scheduler_lock_path(tmp_path))
        with pytest.raises(SchedulerAlreadyRunning, match=f"PID {holder.pid}"):
            acquire_scheduler_lock(tmp_path)
    finally:
        holder.kill()  # SIGKILL: no clean-up code runs in the holder
        holder.wait()
    assert not is_locked(scheduler_lock_path(tmp_path))
    lock = acquire_scheduler_lock(tmp_path)
    assert scheduler_lock_path(tmp_path).read_text().strip() == str(os.getpid())
    lock.release()


def test_program_lock_waits_then_refuses_naming_the_holder(tmp_path: Path) -> None:
    with program_lock(tmp_path, "sang", 0):
        began = time.monotonic()
        with pytest.raises(ProgramBusy, match=rf"'sang' is being built by PID {os.getpid()}"):
            with program_lock(tmp_path, "sang", 0.5):
                pass
        assert time.monotonic() - began >= 0.5
        with program_lock(tmp_path, "chieu", 0):  # another program is independent
            pass
    with program_lock(tmp_path, "sang", 0):  # released
        pass


def test_manual_build_refuses_while_the_program_is_being_built(tmp_path: Path) -> None:
    # No wait: the refusal is the same after any wait (test_program_lock_waits_then_refuses_naming_the_holder
    # times one).
    station = write_station(tmp_path, build=clock(+7200), broadcast=clock(+9000),
                            schedule={"build_lock_wait_seconds": 0})
    with program_lock(tmp_path / "state", "sang", 0):
        done = run_cli("build", "--config", str(station), timeout=60)
    assert done.returncode == 1
    assert f"'sang' is being built by PID {os.getpid()}" in done.stderr
    assert "Traceback" not in done.stderr
    assert not published(tmp_path)


class _WaitSeen(logging.Handler):
    """Sees the build say that it waits for the lock."""

    def __init__(self) -> None:
        super().__init__()
        self.seen = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if "is being built by PID" in record.getMessage():
            self.seen.set()


def test_manual_build_waits_for_the_build_in_progress_then_builds(tmp_path: Path) -> None:
    station = write_station(tmp_path, build=clock(+7200), broadcast=clock(+9000),
                            schedule={"build_lock_wait_seconds": 60})
    held = threading.Event()
    waiting = _WaitSeen()
    while_held: list[tuple[list[Path], list[Run]]] = []

    def hold() -> None:
        # Held until the build says it waits, and a little longer, in which a build that did not wait
        # would have recorded its start (no timer that a slow build could outlast).
        with program_lock(tmp_path / "state", "sang", 0):
            held.set()
            waiting.seen.wait(30)
            time.sleep(0.3)
            while_held.append((published(tmp_path), runs(tmp_path)))

    logging.getLogger("radio_gen").addHandler(waiting)
    holder = threading.Thread(target=hold)
    try:
        holder.start()
        held.wait(10)
        began = time.monotonic()
        done = run_cli("build", "--config", str(station), timeout=90)
        holder.join()
    finally:
        logging.getLogger("radio_gen").removeHandler(waiting)
    assert done.returncode == 0, done.stderr
    assert waiting.seen.is_set() and time.monotonic() - began >= 0.3
    assert while_held == [([], [])], "the build waited for the lock before it started"
    assert "is being built by PID" in done.stderr and "waiting up to 60 s" in done.stderr
    assert len(published(tmp_path)) == 1
