"""Running `radio-gen`: in this process (fast, the default) or as a real process.

`run_cli` calls `radio_gen.cli.main([...])` with its own stdin, stdout, stderr, environment and
working folder, and puts back whatever the run changed (environment, folder, logging), so a
test reads the same `returncode`, `stdout` and `stderr` as from a process. Tests that need a
real process (signals, the daemon, locks held by another process, faketime, a hung child,
`python -m radio_gen` itself) use `run_cli_process` and are marked `process`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers.paths import SRC
from radio_gen import clock

#: The moment every CLI run of the tests happens at, whatever the wall clock says: the tests
#: build the 05:30 program of Thursday 26 November 2026, half an hour before it airs.
TEST_NOW = "2026-11-26T05:00:00+07:00"
#: Test articles without a dateline are dated the day before by their modification time.
ARTICLE_MTIME = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))).timestamp()

#: Loggers whose handlers, level and propagation a run may set (the daemon's `setup_logging`).
_LOGGERS = ("", "radio_gen", "apscheduler")
#: Functions that remember what they found in the environment for the life of a process
#: (RADIO_GEN_FFMPEG): forgotten before each run, as a new process starts without them.
_ENVIRONMENT_CACHES = (("radio_gen.audio.ffmpeg", "ffmpeg"), ("radio_gen.audio.ffmpeg", "ffprobe"))
#: Signals whose handlers a run may set (the daemon's): put back after it, in the main thread.
_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
#: Variables that only mean something to a new process: a run with them must be a real one.
_PROCESS_ONLY = ("LD_PRELOAD", "FAKETIME")


@dataclass(frozen=True)
class DemoBuild:
    """The demo built by `radio-gen build` with no station file (conftest's `demo_build`)."""

    done: subprocess.CompletedProcess[str]
    state: Path   #: XDG_STATE_HOME of the run: the demo station is built in state/radio-gen/demo
    cwd: Path     #: the empty folder it ran in


def cli_env(**extra: str) -> dict[str, str]:
    """Environment for a CLI run that imports this checkout's sources and reads the test clock."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault(clock.ENV, TEST_NOW)
    env.update(extra)
    return env


def wall_clock_env(**extra: str) -> dict[str, str]:
    """Like `cli_env`, but the CLI reads the machine's clock (the daemon, faketime tests)."""
    env = cli_env(**extra)
    env.pop(clock.ENV, None)
    return env


def run_cli_process(*args: str, input: str | None = None, env: dict[str, str] | None = None,
                    timeout: float = 300, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `radio-gen ARGS` through the real entry point (python -m radio_gen) in a new process."""
    return subprocess.run(
        [sys.executable, "-m", "radio_gen", *args],
        input=input, capture_output=True, text=True, timeout=timeout,
        env=env if env is not None else cli_env(), cwd=cwd,
    )


def _stream(errors: str) -> io.TextIOWrapper:
    """A text stream over bytes, encoded as a process's UTF-8 stdout/stderr would be."""
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors=errors, write_through=True)


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    raw = stream.buffer.getvalue()  # type: ignore[attr-defined]
    # As `subprocess.run(text=True)` reads a pipe: strict UTF-8, universal newlines.
    return raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def _forget_environment() -> None:
    for module, name in _ENVIRONMENT_CACHES:
        getattr(importlib.import_module(module), name).cache_clear()
    # urlopen's opener is made at its first use and keeps the proxies the environment named then
    # (a run offline behind a refused proxy would send the next run's webhook there too).
    urllib.request.install_opener(None)


def run_cli(*args: str, input: str | None = None, env: dict[str, str] | None = None,
            timeout: float = 300, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `radio-gen ARGS` in this process: `main([...])` with captured output.

    `timeout` is accepted for the callers' sake and not enforced: a run that may hang belongs to
    `run_cli_process`."""
    from radio_gen.cli import main

    run_env = env if env is not None else cli_env()
    if any(run_env.get(name) != os.environ.get(name) for name in _PROCESS_ONLY):
        raise ValueError(f"{_PROCESS_ONLY} only act on a new process: use run_cli_process")
    # The error handlers of a process's standard streams under a UTF-8 locale.
    stdin = io.TextIOWrapper(io.BytesIO((input or "").encode("utf-8", "surrogateescape")), encoding="utf-8",
                             errors="surrogateescape")
    stdout, stderr = _stream("surrogateescape"), _stream("backslashreplace")
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    saved_streams, saved_tempdir = (sys.stdin, sys.stdout, sys.stderr), tempfile.tempdir
    loggers = [logging.getLogger(name) for name in _LOGGERS]
    saved_logging = [(lg.handlers[:], lg.level, lg.propagate) for lg in loggers], logging.raiseExceptions
    saved_signals = {number: signal.getsignal(number) for number in _SIGNALS}
    try:
        os.environ.clear()
        os.environ.update(run_env)
        if cwd is not None:
            os.chdir(cwd)
        # `main` sets up logging with basicConfig, which does nothing while the root logger has a
        # handler (pytest's): the run starts, as a process does, with none.
        logging.getLogger().handlers[:] = []
        tempfile.tempdir = None  # found again from the run's TMPDIR, as a new process would
        _forget_environment()
        sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
        try:
            status = main(list(args))
        except SystemExit as exc:  # argparse's usage errors and --help, `sys.exit` anywhere
            if isinstance(exc.code, str):
                print(exc.code, file=sys.stderr)
            status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        for logger, (handlers, level, propagate) in zip(loggers, saved_logging[0]):
            for handler in logger.handlers:
                if handler not in handlers:
                    handler.close()
            logger.handlers[:] = handlers
            logger.setLevel(level)
            logger.propagate = propagate
        logging.raiseExceptions = saved_logging[1]
        for number, handler in saved_signals.items():
            if signal.getsignal(number) is not handler and handler is not None:
                signal.signal(number, handler)
        os.chdir(saved_cwd)
        tempfile.tempdir = saved_tempdir
        os.environ.clear()
        os.environ.update(saved_env)
        _forget_environment()  # nor does what the run found leak into the test
    return subprocess.CompletedProcess(["radio-gen", *args], status, _text(stdout), _text(stderr))


def rundown_of(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    """The rundown a build wrote beside the MP3 whose path it printed last."""
    return json.loads(Path(done.stdout.strip().splitlines()[-1]).with_suffix(".json").read_text("utf-8"))
