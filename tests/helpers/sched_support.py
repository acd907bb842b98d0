"""Helpers for the scheduler tests: a small station on disk and the real daemon as a subprocess."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from helpers.station import station_toml
from helpers.cli import wall_clock_env
from helpers.paths import SRC

from radio_gen.audio.ffmpeg import ffprobe
from radio_gen.config import load_config
from radio_gen.history import History, Run

DEMO_ARTICLES = SRC / "radio_gen" / "demo" / "articles"
SHORT_ARTICLE = "Tin ngắn của xã\n\nSáng nay, xã họp dân bàn việc làm đường.\n"


def clock(offset_seconds: float = 0) -> str:
    """A UTC time of day `offset_seconds` from now, to the second, as the config writes it."""
    return (dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=offset_seconds)).strftime("%H:%M:%S")


def write_station(root: Path, *, build: str, broadcast: str, schedule: dict[str, object] | None = None,
                  long_program: bool = False, program_id: str = "sang") -> Path:
    """A station in `root` (UTC, espeak-ng only); `long_program` reads the 7 demo articles (~5 s build)."""
    articles = root / "articles"
    if not articles.exists():
        if long_program:
            shutil.copytree(DEMO_ARTICLES, articles)
        else:
            articles.mkdir(parents=True)
            (articles / "01-tin.txt").write_text(SHORT_ARTICLE, encoding="utf-8")
        # Dated an hour ago by the clock the daemon reads (the wall clock, or faketime's).
        hour_ago = time.time() - 3600
        for path in articles.iterdir():
            os.utime(path, (hour_ago, hour_ago))
    # Near midnight a build "in 5 s" can fall after a broadcast "in 10 min": the evening before.
    day_before = dt.time.fromisoformat(broadcast) <= dt.time.fromisoformat(build)
    path = root / "station.toml"
    path.write_text(station_toml(
        station={"name": "Đài Truyền thanh xã Thử", "timezone": "UTC", "dir": "state"},
        programs=[{"id": program_id, "title": "Chương trình buổi sáng", "build": build, "broadcast": broadcast,
                   "build_day_before": day_before}],
        schedule=schedule or {}), encoding="utf-8")
    return path


def published(root: Path, program_id: str = "sang") -> list[Path]:
    return sorted((root / "out").glob(f"????-??-??/{program_id}.mp3"))


def runs(root: Path) -> list[Run]:
    """All recorded runs, oldest first."""
    config = load_config(root / "station.toml")
    if not config.store_path.exists():
        return []
    return list(reversed(History(config.store_path).last_runs(limit=1000)))


def seed_first_run(root: Path, days_ago: float = 1) -> None:
    """Record a run `days_ago`: the station existed before, so a passed build time counts as missed."""
    from radio_gen import clock as station_clock
    from radio_gen.history import OK

    config = load_config(root / "station.toml")
    then = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days_ago)
    previous = os.environ.get(station_clock.ENV)
    os.environ[station_clock.ENV] = then.isoformat()
    try:
        history = History(config.store_path)
        run_id = history.start("sang", then, then, "manual")
        history.finish(run_id, OK, output="(earlier run)")
    finally:
        if previous is None:
            os.environ.pop(station_clock.ENV, None)
        else:
            os.environ[station_clock.ENV] = previous


def wait_until(condition: Callable[[], object], timeout: float = 60, what: str = "condition") -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")


def mp3_seconds(path: Path) -> float:
    """Duration as ffprobe reads it: a truncated or broken file fails here."""
    done = subprocess.run([ffprobe(), "-v", "error", "-show_entries", "format=duration",
                           "-of", "default=nw=1:nk=1", str(path)], capture_output=True, text=True, check=True)
    return float(done.stdout.strip())


class DaemonProcess:
    """`radio-gen schedule --config …` as a real subprocess, its output in a file."""

    def __init__(self, root: Path, env: dict[str, str] | None = None, name: str = "daemon") -> None:
        self.root = root
        self.log_path = root / f"{name}.out"
        self._log = open(self.log_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "radio_gen", "schedule", "--config", str(root / "station.toml")],
            stdout=self._log, stderr=subprocess.STDOUT, env=env or wall_clock_env(), cwd=root)
        self.pid = self.process.pid

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8")

    def wait_for(self, text: str, timeout: float = 60) -> None:
        def seen() -> bool:
            if text in self.output():
                return True
            if self.process.poll() is not None:
                raise AssertionError(f"daemon exited ({self.process.returncode}) before '{text}':\n{self.output()}")
            return False
        wait_until(seen, timeout, f"'{text}' in the daemon output:\n{self.output()}")

    def signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def stop(self, timeout: float = 60) -> int:
        if self.process.poll() is None:
            self.signal(signal.SIGTERM)
        return self.wait(timeout)

    def wait(self, timeout: float = 60) -> int:
        try:
            return self.process.wait(timeout)
        finally:
            self._log.close()

    def __enter__(self) -> "DaemonProcess":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self._log.close()
