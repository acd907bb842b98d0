"""Build and broadcast times: catch-up decisions (golden cases) and the cron triggers."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from helpers.paths import DATA

from radio_gen.programs import WEEKDAYS, ProgramConfig
from radio_gen.timetable import build_days, catch_up, make_trigger, next_occurrence

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _cases() -> list:
    rows = []
    for line in (DATA / "catch_up_cases.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            now, build, broadcast, days, grace, built, decision, occurrence, why = line.split("\t")
            rows.append(pytest.param(now, build, broadcast, days, int(grace), built == "yes", decision,
                                     occurrence, id=why))
    return rows


def _program(build: str, broadcast: str, days: str = "all") -> ProgramConfig:
    weekdays = WEEKDAYS if days == "all" else tuple(days.split(","))
    return ProgramConfig(id="sang", title="Sáng", broadcast=dt.time.fromisoformat(broadcast),
                         build=dt.time.fromisoformat(build), weekdays=weekdays)


@pytest.mark.parametrize("now, build, broadcast, days, grace, built, decision, occurrence", _cases())
def test_catch_up_decision(now: str, build: str, broadcast: str, days: str, grace: int, built: bool,
                           decision: str, occurrence: str) -> None:
    program = _program(build, broadcast, days)
    moment = dt.datetime.fromisoformat(now)
    result = catch_up(program, TZ, moment, grace, moment - dt.timedelta(minutes=5) if built else None)
    got = "build" if result.build else ("missed" if result.missed else "skip")
    assert got == decision, result.reason
    assert result.occurrence.build_at == dt.datetime.fromisoformat(occurrence)
    assert result.occurrence.broadcast_at > result.occurrence.build_at
    assert result.reason  # every decision is explained in the log


def test_the_catch_up_file_is_not_empty() -> None:
    assert len(_cases()) >= 10


def test_cron_trigger_fires_in_the_station_timezone_on_build_days_only() -> None:
    program = _program("05:00:30", "05:30", "mon,thu")
    trigger = make_trigger(program, TZ)
    # 2026-11-26 is a Thursday; from 05:01 Vietnam time the next build is Monday's
    fire = trigger.get_next_fire_time(None, dt.datetime(2026, 11, 26, 5, 1, tzinfo=TZ))
    assert fire == dt.datetime(2026, 11, 30, 5, 0, 30, tzinfo=TZ)
    # asked from a UTC clock (the machine may not be set to Vietnam time)
    fire = trigger.get_next_fire_time(None, dt.datetime(2026, 11, 25, 21, 0, tzinfo=dt.timezone.utc))
    assert fire.astimezone(dt.timezone.utc) == dt.datetime(2026, 11, 25, 22, 0, 30, tzinfo=dt.timezone.utc)


def test_a_program_airing_after_midnight_is_built_the_evening_before() -> None:
    program = _program("23:30", "00:15", "mon,sun")
    assert build_days(program) == ("sun", "sat")
    nxt = next_occurrence(program, TZ, dt.datetime(2026, 11, 26, 12, 0, tzinfo=TZ))
    assert nxt.build_at == dt.datetime(2026, 11, 28, 23, 30, tzinfo=TZ)  # Saturday evening
    assert nxt.broadcast_at == dt.datetime(2026, 11, 29, 0, 15, tzinfo=TZ)  # Sunday's program
    assert nxt.date == dt.date(2026, 11, 29)
