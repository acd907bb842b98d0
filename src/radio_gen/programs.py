"""The station's programs (`[[programs]]`) and how the scheduler runs them (`[schedule]`).

When a program airs, when it is built and on which days, read from the station file;
`timetable` turns them into occurrences and the scheduler runs them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import ClassVar

from radio_gen.settings_reader import TableReader, closest, keys_of, setting, show
from radio_gen.intake.sources.settings import NEWS_MINUTES

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: What an operator may write in `weekdays`: English names, and the Vietnamese way of
#: counting (thứ 2 = Monday … thứ 7 = Saturday, chủ nhật = Sunday).
_WEEKDAY_NAMES = {
    **{d: d for d in WEEKDAYS},
    **dict(zip(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"), WEEKDAYS)),
    **{f"{prefix}{n}": WEEKDAYS[n - 2] for n in range(2, 8) for prefix in ("thu", "thứ", "t")},
    **dict(zip(("thứhai", "thứba", "thứtư", "thứnăm", "thứsáu", "thứbảy"), WEEKDAYS)),
    "cn": "sun", "chủnhật": "sun",
}
DEFAULT_PROGRAM_TITLE = "Chương trình thời sự"


@dataclass(frozen=True)
class ProgramConfig:
    """One daily program (e.g. `sang` at 05:30, `chieu` at 17:00)."""

    TABLE: ClassVar[str] = "programs"

    id: str
    title: str
    broadcast: dt.time
    build: dt.time
    weekdays: tuple[str, ...] = WEEKDAYS
    max_items: int = setting(8, low=1, high=100)
    template: str = setting("program.j2")
    #: Reading time for news items; None: `[articles] news_minutes`.
    news_minutes: float | None = setting(None, kind=float, **NEWS_MINUTES)
    #: Built the day before it airs (build time not before broadcast time, e.g. 23:30 for 00:15).
    build_day_before: bool = setting(False)

    @classmethod
    def from_table(cls, r: TableReader) -> ProgramConfig:
        pid = r.get("id", str, required=True)
        if not pid.replace("-", "").replace("_", "").isalnum() or not pid.isascii():
            raise r.fail("id", f"must be short ASCII letters, digits, '-' or '_' (it names files), got {show(pid)}")
        broadcast = r.time("broadcast")
        build, day_before = _build_time(r, broadcast)
        return cls(id=pid, title=r.get("title", str, DEFAULT_PROGRAM_TITLE), broadcast=broadcast, build=build,
                   weekdays=_weekdays(r), build_day_before=day_before,
                   **r.fill(cls, skip=("build_day_before",)))


def _weekdays(r: TableReader) -> tuple[str, ...]:
    """Broadcast days as the operator names them, in English or the Vietnamese way (thu2 = Monday)."""
    raw = r.get("weekdays", list, list(WEEKDAYS))
    if not raw:
        raise r.fail("weekdays", "must name at least one day, e.g. [\"mon\", \"tue\"]")
    days = set()
    for item in raw:
        if not isinstance(item, str):
            raise r.fail("weekdays", f"must list day names in quotes, got {show(item)}")
        day = _WEEKDAY_NAMES.get(re.sub(r"\s+", "", unicodedata.normalize("NFC", item).lower()))
        if day is None:
            raise r.fail("weekdays", f"unknown day {show(item)}{closest(item, _WEEKDAY_NAMES)} (write mon, tue, "
                                     "wed, thu, fri, sat, sun; or thu2 … thu7 and cn: thứ 2 is Monday, "
                                     "chủ nhật Sunday)")
        days.add(day)
    return tuple(d for d in WEEKDAYS if d in days)


def _clock_text(time: dt.time) -> str:
    return time.isoformat(timespec="seconds" if time.second else "minutes")


def _build_time(r: TableReader, broadcast: dt.time) -> tuple[dt.time, bool]:
    """The build time and whether it falls on the day before the broadcast.

    A build time not before the broadcast time means the day before: written on purpose
    (23:30 for 00:15) it needs `build_day_before = true`; by mistake (06:00 for 05:30) it
    would air news a day old, so without that key it is an error that says so.
    """
    day = dt.date(2000, 1, 2)
    default = (dt.datetime.combine(day, broadcast) - dt.timedelta(minutes=30)).time()
    build = r.time("build", _clock_text(default)) if "build" in r.table else default
    day_before = r.value(ProgramConfig, "build_day_before")
    needs_day_before = build >= broadcast
    if "build" not in r.table:
        return build, needs_day_before
    if needs_day_before and not day_before:
        early = dt.timedelta(days=1) - (dt.datetime.combine(day, build) - dt.datetime.combine(day, broadcast))
        hours = early.total_seconds() / 3600
        amount = f"~{hours:.1f} h".replace(".0 h", " h") if hours >= 2 else f"{round(hours * 60)} min"
        raise r.fail("build", f"{_clock_text(build)} is not before broadcast {_clock_text(broadcast)}: the program "
                              f"would be built {amount} early, the day before it airs, with yesterday's news. "
                              f"Set build before the broadcast (e.g. \"{_clock_text(default)}\"), or add "
                              "build_day_before = true if it must be built the day before")
    if day_before and not needs_day_before:
        raise r.fail("build_day_before", f"is true, but build {_clock_text(build)} comes before broadcast "
                                         f"{_clock_text(broadcast)} on the same day: remove build_day_before, or "
                                         "set a build time not before the broadcast")
    return build, needs_day_before


@dataclass(frozen=True)
class ScheduleSettings:
    """`[schedule]`: how the scheduler daemon retries, catches up and shares programs with manual builds."""

    TABLE: ClassVar[str] = "schedule"

    #: Extra attempts after a failed build, while it can still finish before the broadcast.
    retries: int = setting(2, low=0, high=20)
    retry_delay_seconds: int = setting(60, low=0, high=3600)
    #: A missed build is still made at start-up until broadcast time + this many minutes.
    catch_up_grace_minutes: int = setting(0, low=0, high=1440)
    #: How long `radio-gen build` waits for a build of the same program to finish.
    build_lock_wait_seconds: int = setting(600, low=0, high=7200)

    @classmethod
    def from_table(cls, r: TableReader) -> ScheduleSettings:
        return cls(**r.fill(cls))


#: The tables this module owns, and their keys.
TABLES: dict[str, frozenset[str]] = {
    ProgramConfig.TABLE: keys_of(ProgramConfig, "id", "title", "broadcast", "build", "weekdays"),
    ScheduleSettings.TABLE: keys_of(ScheduleSettings),
}
