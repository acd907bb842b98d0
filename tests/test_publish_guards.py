"""Publish guards: latest/ plays today's or the next program only; a program without news is degraded."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers.cli import cli_env, run_cli
from helpers.fast_build import warm_station


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(config: Path, date: str, now: str | None = None, *extra: str):  # type: ignore[no-untyped-def]
    env = cli_env(RADIO_GEN_NOW=now) if now else cli_env()
    return run_cli("build", "--config", str(config), "--date", date, *extra, env=env)


def build_news(config: Path, date: str, now: str | None = None):  # type: ignore[no-untyped-def]
    """The same articles for any date (an ad hoc folder: no store, no date filter)."""
    return build(config, date, now, "--articles", str(config.parent / "articles"))


@pytest.fixture(scope="module")
def news_station(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A station whose 2026-11-26 program was built with news (05:00, before it airs): its folder."""
    root = tmp_path_factory.mktemp("news")
    today = build_news(warm_station(root), "2026-11-26")
    assert today.returncode == 0, today.stderr
    return root


@pytest.fixture(scope="module")
def empty_station(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """A station without articles whose 2026-11-26 program was built: its folder and the build's run."""
    root = tmp_path_factory.mktemp("empty")
    return root, build(warm_station(root, articles={}), "2026-11-26")


def copy_of(station: Path, tmp_path: Path) -> Path:
    """A copy of a built station's folder (cache and output included): its station file. Its folders are
    named relative to the station file, so the copy builds in itself; the store, which knows articles by
    their absolute paths, stays behind."""
    shutil.copytree(station, tmp_path / "station", symlinks=True, ignore=shutil.ignore_patterns("radio-gen.sqlite*"))
    return tmp_path / "station" / "station.toml"


def test_only_today_or_the_next_broadcast_replaces_latest(news_station: Path, tmp_path: Path) -> None:
    config = copy_of(news_station, tmp_path)
    out = config.parent / "out"
    latest = out / "latest" / "sang.mp3"
    aired_today = sha(latest)
    assert aired_today == sha(out / "2026-11-26" / "sang.mp3")

    # Tomorrow's program, built before today's has aired, must not replace it; nor the day after.
    for date in ("2026-11-27", "2026-11-28", "2026-11-20"):
        ahead = build_news(config, date)
        assert ahead.returncode == 0, ahead.stderr
        assert sha(latest) == aired_today, f"{date} replaced latest/"
        assert "neither today" in ahead.stderr and "latest/sang.mp3 is unchanged" in ahead.stderr
        assert "latest:   unchanged" in ahead.stdout
        dated = out / date / "sang.mp3"
        assert dated.is_file() and json.loads(dated.with_suffix(".json").read_text("utf-8"))["latest"] is False

    # After today's broadcast, tomorrow's program is the next one: it goes to latest/.
    evening = build_news(config, "2026-11-27", "2026-11-26T18:00:00+07:00")
    assert evening.returncode == 0, evening.stderr
    assert sha(latest) == sha(out / "2026-11-27" / "sang.mp3") != aired_today


def test_a_program_without_news_is_degraded_with_its_own_exit_status(
        empty_station: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    root, done = empty_station
    assert done.returncode == 3, done.stderr
    assert "DEGRADED" in done.stderr and "Traceback" not in done.stderr
    # By default it still airs: identification and notices reach the loudspeakers.
    latest = root / "out" / "latest" / "sang.mp3"
    assert sha(latest) == sha(root / "out" / "2026-11-26" / "sang.mp3")
    status = run_cli("status", "--config", str(root / "station.toml"))
    assert "degraded" in status.stdout and " manual " in status.stdout


def test_publish_degraded_false_keeps_latest(news_station: Path, tmp_path: Path) -> None:
    config = copy_of(news_station, tmp_path)
    latest = config.parent / "out" / "latest" / "sang.mp3"
    with_news = sha(latest)
    config.write_text(config.read_text("utf-8").replace('dir = "out"', 'dir = "out"\npublish_degraded = false')
                      .replace('folders = ["articles"]', 'folders = ["empty"]'), encoding="utf-8")
    (config.parent / "empty").mkdir()
    done = build(config, "2026-11-26")
    assert done.returncode == 3, done.stderr
    assert sha(latest) == with_news
    assert "publish_degraded = false" in done.stderr
    rundown = json.loads((config.parent / "out" / "2026-11-26" / "sang.json").read_text("utf-8"))
    assert rundown["outcome"] == "degraded" and rundown["articles"] == []


def test_run_now_records_degraded_and_exits_3(empty_station: tuple[Path, subprocess.CompletedProcess[str]],
                                              tmp_path: Path) -> None:
    config = copy_of(empty_station[0], tmp_path)   # its audio cache makes the same program at little cost
    done = run_cli("run-now", "sang", "--config", str(config), "--date", "2026-11-26")
    assert done.returncode == 3, done.stderr
    status = run_cli("status", "--config", str(config))
    [line] = [line for line in status.stdout.splitlines() if " run-now " in line]
    assert " degraded " in line


def test_help_documents_the_three_exit_statuses() -> None:
    text = run_cli("build", "--help").stdout
    assert "exit status:" in text
    for line in ("0  the program was built", "3  degraded", "1  failed"):
        assert line in text
