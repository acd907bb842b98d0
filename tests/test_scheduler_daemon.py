"""The real `radio-gen schedule` daemon as a subprocess: on time, once, locked, caught up, retried, stopped.

Stations run in UTC with build times to the second ("HH:MM:SS"), so a build a few
seconds ahead needs no test-only hook; espeak-ng and one short article keep a build
around a second (the demo articles, ~5 s, where a build must be caught in progress).
"""

from __future__ import annotations

import datetime as dt
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from helpers.cli import run_cli, wall_clock_env
from helpers.sched_support import (DaemonProcess, clock, mp3_seconds, published, runs, seed_first_run, wait_until,
                                   write_station)
from radio_gen.config import load_config
from radio_gen.history import History
from radio_gen.timetable import last_occurrence

pytestmark = pytest.mark.process  # every test runs the scheduler daemon (signals, kill, its own clock)

STARTED = "scheduler started"


def ok_runs(root: Path) -> list:
    return [r for r in runs(root) if r.outcome == "ok" and r.output != "(earlier run)"]


def test_builds_the_program_once_at_its_build_time(tmp_path: Path) -> None:
    write_station(tmp_path, build=clock(+5), broadcast=clock(+600))
    with DaemonProcess(tmp_path) as daemon:
        daemon.wait_for(STARTED)
        assert not published(tmp_path), "built before its build time"
        status = run_cli("status", "--config", str(tmp_path / "station.toml"), timeout=60, env=wall_clock_env())
        assert f"scheduler: running (PID {daemon.pid})" in status.stdout, status.stdout + status.stderr
        wait_until(lambda: ok_runs(tmp_path), 60, "the scheduled build")
        time.sleep(2)  # a duplicate would start within this window (same second, catch-up, coalescing)
        assert daemon.stop() == 0
    out = daemon.output()
    assert out.count("build started") == 1, out
    [run] = runs(tmp_path)[-1:]
    assert [r.outcome for r in runs(tmp_path) if r.outcome != "missed"] == ["ok"]
    assert run.trigger == "scheduled" and run.attempt == 1
    [mp3] = published(tmp_path)
    assert run.output == str(mp3) and mp3_seconds(mp3) > 5
    assert (tmp_path / "state" / "logs" / "scheduler.log").read_text(encoding="utf-8").count("build finished") == 1
    assert "received SIGTERM" in out and "scheduler stopped" in out


def test_second_daemon_refused_and_a_killed_daemons_lock_and_build_do_not_block(tmp_path: Path) -> None:
    # build time passed, broadcast ahead: the daemon catches up at once, with the long program
    write_station(tmp_path, build=clock(-60), broadcast=clock(+600), long_program=True)
    with DaemonProcess(tmp_path, name="first") as first:
        first.wait_for(STARTED)
        second = run_cli("schedule", "--config", str(tmp_path / "station.toml"), timeout=60, env=wall_clock_env())
        assert second.returncode == 1
        assert "already running" in second.stderr and f"PID {first.pid}" in second.stderr
        assert "Traceback" not in second.stderr
        wait_until(lambda: any(r.outcome == "running" for r in runs(tmp_path)), 60, "a build in progress")
        first.signal(signal.SIGKILL)
        first.wait()
    killed_run = runs(tmp_path)[-1]
    if killed_run.outcome == "running":  # killed mid-build: nothing may be at the published path
        assert not published(tmp_path)
    with DaemonProcess(tmp_path, name="next") as following:
        following.wait_for(STARTED)
        wait_until(lambda: ok_runs(tmp_path), 90, "the catch-up build of the next daemon")
        assert following.stop() == 0
    by_id = {r.id: r for r in runs(tmp_path)}
    if killed_run.outcome == "running":
        assert by_id[killed_run.id].outcome == "abandoned"
        assert f"PID {first.pid}" in by_id[killed_run.id].error
        assert "never finished" in following.output()
    [mp3] = published(tmp_path)
    assert mp3_seconds(mp3) > 30
    assert len(ok_runs(tmp_path)) == 1
    assert not list((tmp_path / "out").rglob("*.partial")), "the killed build's temporary file was left behind"


def test_catch_up_outside_the_grace_is_missed_and_inside_it_is_built(tmp_path: Path) -> None:
    build, broadcast = clock(-300), clock(-60)  # both passed while "the machine was off"
    write_station(tmp_path, build=build, broadcast=broadcast)
    seed_first_run(tmp_path)
    with DaemonProcess(tmp_path, name="no-grace") as daemon:
        daemon.wait_for("catch-up:")
        daemon.wait_for("next build")
        assert daemon.stop() == 0
    assert "is over: not built" in daemon.output()
    assert not published(tmp_path)
    [_, missed] = runs(tmp_path)
    assert missed.outcome == "missed" and "not built" in missed.error

    write_station(tmp_path, build=build, broadcast=broadcast, schedule={"catch_up_grace_minutes": 10})
    with DaemonProcess(tmp_path, name="grace") as daemon:
        wait_until(lambda: ok_runs(tmp_path), 60, "the catch-up build")
        assert daemon.stop() == 0
    assert "+ 10 min grace: building now" in daemon.output()
    [run] = ok_runs(tmp_path)
    assert run.trigger == "catch-up" and run.scheduled == missed.scheduled
    assert len(published(tmp_path)) == 1


def test_catch_up_skips_a_build_time_that_history_says_was_built(tmp_path: Path) -> None:
    station = write_station(tmp_path, build=clock(-120), broadcast=clock(+600))
    config = load_config(station)
    occurrence = last_occurrence(config.programs[0], config.tz, dt.datetime.now(config.tz))
    history = History(config.store_path)
    history.finish(history.start("sang", occurrence.build_at, occurrence.broadcast_at, "scheduled"), "ok",
                   output="/earlier/sang.mp3")
    with DaemonProcess(tmp_path) as daemon:
        daemon.wait_for("catch-up:")
        daemon.wait_for("next build")
        assert daemon.stop() == 0
    assert "already built at" in daemon.output()
    assert "build started" not in daemon.output()
    assert not published(tmp_path)
    assert [r.outcome for r in runs(tmp_path)] == ["ok"]


def test_a_failed_build_is_retried_and_the_retry_succeeds(tmp_path: Path) -> None:
    """The first attempt fails for real: espeak-ng (the whole chain) finds no voice data.

    ESPEAK_DATA_PATH points at an empty folder (a missing folder would make espeak-ng
    fall back to its default), so every espeak-ng call fails and the build raises
    BuildError; once history shows that failure, the test puts the real data there (a
    symlink), as an operator would repair a broken install, and the retry must succeed.
    """
    version = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True, check=True).stdout
    real_data = Path(re.search(r"Data at: (\S+)", version).group(1))
    data = tmp_path / "espeak-data"
    data.mkdir()
    write_station(tmp_path, build=clock(-60), broadcast=clock(+600),
                  schedule={"retries": 2, "retry_delay_seconds": 3})
    with DaemonProcess(tmp_path, env=wall_clock_env(ESPEAK_DATA_PATH=str(data))) as daemon:
        wait_until(lambda: any(r.outcome == "failed" for r in runs(tmp_path)), 60, "the failed first attempt")
        data.rmdir()
        data.symlink_to(real_data)
        wait_until(lambda: ok_runs(tmp_path), 60, "the retry")
        assert daemon.stop() == 0
    first, second = [r for r in runs(tmp_path) if r.outcome != "missed"]
    assert (first.attempt, first.outcome) == (1, "failed")
    assert "no speech could be synthesized" in first.error
    assert (second.attempt, second.outcome, second.trigger) == (2, "ok", "catch-up")
    assert "retrying in 3 s" in daemon.output()
    assert len(published(tmp_path)) == 1


def test_a_manual_build_refuses_while_the_daemon_builds_the_same_program(tmp_path: Path) -> None:
    station = write_station(tmp_path, build=clock(-60), broadcast=clock(+600), long_program=True,
                            schedule={"build_lock_wait_seconds": 1})
    with DaemonProcess(tmp_path) as daemon:
        wait_until(lambda: any(r.outcome == "running" for r in runs(tmp_path)), 60, "a build in progress")
        manual = run_cli("build", "--config", str(station), timeout=60, env=wall_clock_env())
        running = [r for r in runs(tmp_path) if r.outcome == "running"]
        wait_until(lambda: ok_runs(tmp_path), 90, "the daemon's build")
        assert daemon.stop() == 0
    assert running, "the daemon's build (~5 s) ended before the manual build (1 s wait) gave up"
    assert manual.returncode == 1
    assert f"program 'sang' is being built by PID {daemon.pid}" in manual.stderr
    [mp3] = published(tmp_path)
    assert mp3_seconds(mp3) > 30


@pytest.mark.parametrize("signals", [1, 2], ids=["sigterm-finishes", "second-sigterm-abandons"])
def test_sigterm_during_a_build_leaves_a_complete_program_or_none(tmp_path: Path, signals: int) -> None:
    write_station(tmp_path, build=clock(-60), broadcast=clock(+600), long_program=True)
    with DaemonProcess(tmp_path) as daemon:
        wait_until(lambda: any(r.outcome == "running" for r in runs(tmp_path)), 60, "a build in progress")
        for _ in range(signals):
            daemon.signal(signal.SIGTERM)
            time.sleep(0.1)
        code = daemon.wait(90)
    [run] = [r for r in runs(tmp_path) if r.outcome != "missed"]
    leftovers = [p for p in (tmp_path / "out").rglob("*.mp3")]
    if run.outcome == "ok":
        [mp3] = published(tmp_path)
        assert run.output == str(mp3) and mp3_seconds(mp3) > 30
        assert (mp3.with_suffix(".json")).is_file()
    else:
        assert run.outcome == "abandoned" and "nothing was published" in run.error
        assert leftovers == [], "a program appeared although history says abandoned"
        # the next start removes the abandoned build's hidden temporary file and builds again
        with DaemonProcess(tmp_path, name="next") as following:
            wait_until(lambda: ok_runs(tmp_path), 90, "the catch-up build of the next daemon")
            assert following.stop() == 0
        assert mp3_seconds(published(tmp_path)[0]) > 30
    assert not list((tmp_path / "out").rglob("*.partial"))
    if signals == 1:
        assert code == 0 and run.outcome == "ok"  # the build in progress is finished
    else:
        assert code in (0, 1)


def test_sighup_reloads_the_station_file_and_keeps_the_schedule_on_a_broken_one(tmp_path: Path) -> None:
    station = write_station(tmp_path, build=clock(+7200), broadcast=clock(+9000))
    with DaemonProcess(tmp_path) as daemon:
        daemon.wait_for(STARTED)
        good = station.read_text(encoding="utf-8")
        station.write_text(good.replace("[[programs]]", "[[programs]\n"), encoding="utf-8")
        daemon.signal(signal.SIGHUP)
        daemon.wait_for("reload refused")
        write_station(tmp_path, build=clock(+4), broadcast=clock(+600))
        daemon.signal(signal.SIGHUP)
        daemon.wait_for("configuration reloaded")
        wait_until(lambda: ok_runs(tmp_path), 60, "the build at the reloaded time")
        assert daemon.stop() == 0
    assert "not valid TOML" in daemon.output()
    assert len(published(tmp_path)) == 1
