"""Shared test helpers: run the real CLI from this checkout's sources."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src"
DATA = Path(__file__).resolve().parent / "data"

if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

from radio_gen import clock  # noqa: E402

#: The moment every CLI run of the tests happens at, whatever the wall clock says: the tests
#: build the 05:30 program of Thursday 26 November 2026, half an hour before it airs.
TEST_NOW = "2026-11-26T05:00:00+07:00"
#: Test articles without a dateline are dated the day before by their modification time.
ARTICLE_MTIME = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))).timestamp()


def cli_env(**extra: str) -> dict[str, str]:
    """Environment for a CLI subprocess that imports this checkout's sources."""
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


def run_cli(*args: str, input: str | None = None, env: dict[str, str] | None = None,
            timeout: float = 300, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `radio-gen ARGS` through the real entry point (python -m radio_gen)."""
    return subprocess.run(
        [sys.executable, "-m", "radio_gen", *args],
        input=input, capture_output=True, text=True, timeout=timeout,
        env=env if env is not None else cli_env(), cwd=cwd,
    )


@pytest.fixture(autouse=True)
def test_clock(monkeypatch: pytest.MonkeyPatch) -> str:
    """In-process library calls read the same clock as the CLI runs of the tests."""
    monkeypatch.setenv(clock.ENV, TEST_NOW)
    return TEST_NOW


@pytest.fixture
def wall_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process library calls read the machine's clock (tests that time real files or waits)."""
    monkeypatch.delenv(clock.ENV, raising=False)


@pytest.fixture
def cli():
    return run_cli


STATION_TOML = """\
[station]
name = "Đài Truyền thanh huyện Thử Nghiệm"
district = "huyện Thử Nghiệm"
province = "tỉnh Kiểm Tra"

[[programs]]
id = "sang"
title = "Chương trình thời sự buổi sáng"
broadcast = "05:30"

[articles]
folders = ["articles"]

[speech]
engines = {engines}

[output]
dir = "out"
"""

SHORT_ARTICLES = {
    "a.txt": "Huyện ra quân làm thủy lợi\n\nSáng nay, các xã ra quân nạo vét kênh mương.",
    "b.txt": "Xã hỗ trợ hộ nghèo\n\nXã đã trao quà cho các hộ nghèo trong thôn.",
}


def make_station(root: Path, *, engines: str = '["espeak-ng"]', articles: dict[str, str | bytes] | None = None,
                 extra: str = "") -> Path:
    """A station folder with a config, a small articles folder and an output folder."""
    (root / "articles").mkdir(parents=True, exist_ok=True)
    for name, content in (SHORT_ARTICLES if articles is None else articles).items():
        path = root / "articles" / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        os.utime(path, (ARTICLE_MTIME, ARTICLE_MTIME))
    config = root / "station.toml"
    config.write_text(STATION_TOML.format(engines=engines) + extra, encoding="utf-8")
    return config


@pytest.fixture
def station(tmp_path: Path) -> Path:
    return make_station(tmp_path)


def best_seconds(call: Callable[[], object], repeat: int = 3) -> float:
    """The best of `repeat` timings of `call()`, for scaling tests: a busy neighbour on a shared
    machine slows one run, not all of them."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - started)
    return best
