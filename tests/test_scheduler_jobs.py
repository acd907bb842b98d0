"""The daemon's jobs in-process: ids and options given to APScheduler, late hand-over, reload."""

from __future__ import annotations

from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from helpers.sched_support import clock, published, runs, seed_first_run, write_station

from radio_gen.history import History
from radio_gen.runs import Runner
from radio_gen.scheduler import MISFIRE_GRACE_SECONDS, Daemon

#: The daemon runs on the machine's clock, as APScheduler does.
pytestmark = pytest.mark.usefixtures("wall_clock")


def _daemon(station: Path) -> Daemon:
    daemon = Daemon(station)
    daemon.history = History(daemon.config.store_path)
    daemon.runner = Runner(lambda: daemon.config, daemon.history, daemon.stop)
    daemon.scheduler = BackgroundScheduler(
        timezone=daemon.config.tz,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_SECONDS})
    return daemon


def test_jobs_have_deterministic_ids_and_follow_a_reload(tmp_path: Path) -> None:
    station = write_station(tmp_path, build="05:00", broadcast="05:30")
    daemon = _daemon(station)
    daemon._schedule_jobs()
    daemon.scheduler.start(paused=True)  # running, but nothing fires during the test
    try:
        _check_jobs(daemon, tmp_path)
    finally:
        daemon.scheduler.shutdown(wait=False)


def _check_jobs(daemon: Daemon, tmp_path: Path) -> None:
    daemon._schedule_jobs()  # scheduling again replaces, never duplicates
    [job] = daemon.scheduler.get_jobs()
    assert job.id == "build:sang"
    assert (job.max_instances, job.coalesce, job.misfire_grace_time) == (1, True, MISFIRE_GRACE_SECONDS)
    assert str(job.trigger.timezone) == "UTC" and "hour='5', minute='0', second='0'" in str(job.trigger)

    write_station(tmp_path, build="16:30", broadcast="17:00", program_id="chieu")
    daemon.reload()
    assert [j.id for j in daemon.scheduler.get_jobs()] == ["build:chieu"]
    assert "hour='16', minute='30'" in str(daemon.scheduler.get_jobs()[0].trigger)


def test_a_run_handed_over_after_the_broadcast_is_not_built_but_recorded(tmp_path: Path) -> None:
    # the PC was suspended from before the build time until after the broadcast
    daemon = _daemon(write_station(tmp_path, build=clock(-120), broadcast=clock(-30)))
    seed_first_run(tmp_path)
    daemon._job("sang", "scheduled")
    assert not published(tmp_path)
    [_, run] = runs(tmp_path)
    assert run.outcome == "missed" and "handed over late" in run.error
    daemon._job("sang", "scheduled")  # told again (coalesced): one record is enough
    assert len(runs(tmp_path)) == 2


def test_a_run_on_time_builds_for_its_build_time_and_not_twice(tmp_path: Path) -> None:
    daemon = _daemon(write_station(tmp_path, build=clock(-1), broadcast=clock(+600)))
    daemon._job("sang", "scheduled")
    daemon._job("sang", "catch-up")  # e.g. the catch-up job firing in the same second
    [run] = runs(tmp_path)
    assert (run.outcome, run.trigger) == ("ok", "scheduled")
    assert len(published(tmp_path)) == 1
