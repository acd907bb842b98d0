"""`radio-gen run-now` and `radio-gen status` through the real CLI, and the [schedule] keys."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from helpers.cli import run_cli, wall_clock_env
from helpers.station import toml_table
from helpers.sched_support import clock, published, runs, write_station

from radio_gen.config import ConfigError, load_config
from radio_gen.programs import ScheduleSettings


def test_run_now_builds_and_records_and_status_shows_it(tmp_path: Path) -> None:
    station = write_station(tmp_path, build=clock(+3600), broadcast=clock(+5400))
    done = run_cli("run-now", "sang", "--config", str(station), timeout=120, env=wall_clock_env())
    assert done.returncode == 0, done.stderr
    [mp3] = published(tmp_path)
    assert done.stdout.strip() == str(mp3)
    [run] = runs(tmp_path)
    assert (run.trigger, run.outcome, run.output) == ("run-now", "ok", str(mp3))

    status = run_cli("status", "--config", str(station), timeout=60, env=wall_clock_env())
    assert status.returncode == 0, status.stderr
    assert "scheduler: not running" in status.stdout
    assert "next build: " in status.stdout and "(UTC)" in status.stdout
    assert "run-now" in status.stdout and " ok " in status.stdout and str(mp3) in status.stdout


def test_status_of_a_new_station_has_no_runs_and_creates_nothing(tmp_path: Path) -> None:
    station = write_station(tmp_path, build="05:00", broadcast="05:30")
    status = run_cli("status", "--config", str(station), timeout=60, env=wall_clock_env())
    assert status.returncode == 0, status.stderr
    assert "no runs recorded yet" in status.stdout
    assert "airs" in status.stdout and "05:30" in status.stdout
    assert not (tmp_path / "state" / "radio-gen.sqlite").exists()


def test_run_now_after_the_broadcast_is_not_retried(tmp_path: Path) -> None:
    """A failing build whose broadcast time has passed gets one attempt, not `retries` more.

    espeak-ng is given an empty data folder, so it fails for real on every segment.
    """
    empty = tmp_path / "no-voice-data"
    empty.mkdir()
    station = write_station(tmp_path, build="05:00", broadcast="05:30",
                            schedule={"retries": 2, "retry_delay_seconds": 1})
    yesterday = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1)).date().isoformat()
    done = run_cli("run-now", "sang", "--config", str(station), "--date", yesterday, timeout=120,
                   env=wall_clock_env(ESPEAK_DATA_PATH=str(empty)))
    assert done.returncode == 1
    assert "radio-gen: error: program 'sang' was not built (1 attempt(s))" in done.stderr
    assert "no speech could be synthesized" in done.stderr and "Traceback" not in done.stderr
    assert [(r.outcome, r.attempt) for r in runs(tmp_path)] == [("failed", 1)]
    assert not published(tmp_path)


def test_run_now_names_the_programs_when_the_name_is_wrong(tmp_path: Path) -> None:
    station = write_station(tmp_path, build="05:00", broadcast="05:30")
    done = run_cli("run-now", "sangg", "--config", str(station), timeout=60, env=wall_clock_env())
    assert done.returncode == 1
    assert "no program 'sangg' (this station has: sang)" in done.stderr


def test_schedule_settings_default_and_read(tmp_path: Path) -> None:
    station = write_station(tmp_path, build="05:00:30", broadcast="05:30")
    config = load_config(station)
    assert config.schedule == ScheduleSettings(retries=2, retry_delay_seconds=60, catch_up_grace_minutes=0,
                                               build_lock_wait_seconds=600)
    assert config.programs[0].build == dt.time(5, 0, 30)
    write_station(tmp_path, build="05:00", broadcast="05:30",
                  schedule={"retries": 0, "retry_delay_seconds": 5, "catch_up_grace_minutes": 15})
    config = load_config(station)
    assert (config.schedule.retries, config.schedule.retry_delay_seconds,
            config.schedule.catch_up_grace_minutes) == (0, 5, 15)


@pytest.mark.parametrize("key, value, message", [
    ("retries", "-1", "key 'schedule.retries': must be between 0 and 20, got -1"),
    ("retry_delay_seconds", '"60"', "key 'schedule.retry_delay_seconds': must be a whole number, got '60'"),
    ("catch_up_grace_minutes", "2000", "key 'schedule.catch_up_grace_minutes': must be between 0 and 1440"),
    ("build_lock_wait_seconds", "true", "key 'schedule.build_lock_wait_seconds': must be a whole number, not true"),
])
def test_bad_schedule_settings_are_named(tmp_path: Path, key: str, value: str, message: str) -> None:
    station = write_station(tmp_path, build="05:00", broadcast="05:30", schedule=toml_table(f"{key} = {value}"))
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        load_config(station)
    done = run_cli("status", "--config", str(station), timeout=60, env=wall_clock_env())
    assert done.returncode == 1 and message in done.stderr
