"""When programs are built and air: pure rules, in the station's timezone.

A program is built at its `build` time and airs at its `broadcast` time. When the
broadcast time of day is not after the build time (build 23:30, broadcast 00:15), the
program airs the next day, and `weekdays` name the broadcast days: the build days are
then the day before each. Everything here is a pure function of a clock reading, so
the scheduler, `status` and the tests share one set of rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from radio_gen.programs import WEEKDAYS, ProgramConfig


@dataclass(frozen=True)
class Occurrence:
    """One build of one program: when it is built and when it airs."""

    program: str
    build_at: dt.datetime
    broadcast_at: dt.datetime

    @property
    def date(self) -> dt.date:
        """The program's date is the day it airs."""
        return self.broadcast_at.date()


@dataclass(frozen=True)
class CatchUp:
    """What start-up does about the latest build time that passed, and why."""

    build: bool
    reason: str
    occurrence: Occurrence | None
    missed: bool = False


def airs_next_day(program: ProgramConfig) -> bool:
    return program.broadcast <= program.build


def build_days(program: ProgramConfig) -> tuple[str, ...]:
    """Weekdays on which the build runs (the day before when it airs after midnight)."""
    if not airs_next_day(program):
        return program.weekdays
    return tuple(WEEKDAYS[(WEEKDAYS.index(day) - 1) % 7] for day in program.weekdays)


def make_trigger(program: ProgramConfig, tz: ZoneInfo) -> CronTrigger:
    """A cron trigger in the station's timezone (`from_crontab` would ignore it)."""
    days = [d for d in WEEKDAYS if d in build_days(program)]
    return CronTrigger(day_of_week=",".join(days), hour=program.build.hour, minute=program.build.minute,
                       second=program.build.second, timezone=tz)


def occurrence_on(program: ProgramConfig, day: dt.date, tz: ZoneInfo) -> Occurrence:
    """The build that starts on `day` (whether or not `day` is a build day)."""
    build_at = dt.datetime.combine(day, program.build, tzinfo=tz)
    air_day = day + dt.timedelta(days=1) if airs_next_day(program) else day
    return Occurrence(program.id, build_at, dt.datetime.combine(air_day, program.broadcast, tzinfo=tz))


def last_occurrence(program: ProgramConfig, tz: ZoneInfo, now: dt.datetime) -> Occurrence | None:
    """The latest build time at or before `now` on a build day (None if none this week)."""
    local = now.astimezone(tz)
    days = build_days(program)
    for back in range(8):
        day = local.date() - dt.timedelta(days=back)
        if WEEKDAYS[day.weekday()] not in days:
            continue
        occurrence = occurrence_on(program, day, tz)
        if occurrence.build_at <= local:
            return occurrence
    return None


def next_occurrence(program: ProgramConfig, tz: ZoneInfo, now: dt.datetime) -> Occurrence:
    """The next build after `now`, as the scheduler's trigger will fire it."""
    fire = make_trigger(program, tz).get_next_fire_time(None, now.astimezone(tz))
    return occurrence_on(program, fire.date(), tz)


def deadline(occurrence: Occurrence, grace_minutes: int) -> dt.datetime:
    """The last moment a build for this occurrence is still worth making."""
    return occurrence.broadcast_at + dt.timedelta(minutes=grace_minutes)


def catch_up(program: ProgramConfig, tz: ZoneInfo, now: dt.datetime, grace_minutes: int,
             built_at: dt.datetime | None) -> CatchUp:
    """Decide whether the latest passed build time must be built now.

    `built_at` is when history says that occurrence was already built (None if not).
    """
    occurrence = last_occurrence(program, tz, now)
    if occurrence is None:
        return CatchUp(False, "no build day in the past week", None)
    when = f"build time {occurrence.build_at:%Y-%m-%d %H:%M:%S}"
    if built_at is not None:
        return CatchUp(False, f"{when} already built at {built_at.astimezone(tz):%Y-%m-%d %H:%M:%S}", occurrence)
    limit = deadline(occurrence, grace_minutes)
    grace = f" + {grace_minutes} min grace" if grace_minutes else ""
    if now.astimezone(tz) < limit:
        return CatchUp(True, f"{when} passed unbuilt; still before broadcast "
                             f"{occurrence.broadcast_at:%Y-%m-%d %H:%M}{grace}: building now", occurrence)
    return CatchUp(False, f"{when} passed unbuilt, but broadcast {occurrence.broadcast_at:%Y-%m-%d %H:%M}"
                          f"{grace} is over: not built", occurrence, missed=True)
