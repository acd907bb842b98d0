"""The one place "now" comes from.

Every date-dependent decision (today's program, an article's age, the history's
timestamps) asks this module, so that tests, and an operator rehearsing a date, can
set the clock with `RADIO_GEN_NOW` (ISO 8601, e.g. `2026-11-26T05:00:00+07:00`; a
time without an offset is in the station's timezone). The wall clock is used otherwise.
"""

from __future__ import annotations

import datetime as dt
import os

from radio_gen.errors import RadioGenError

ENV = "RADIO_GEN_NOW"


class ClockError(RadioGenError):
    """RADIO_GEN_NOW is set but is not a date and time."""


def _fixed() -> dt.datetime | None:
    text = os.environ.get(ENV, "").strip()
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise ClockError(f"{ENV}={text!r} is not an ISO date and time such as 2026-11-26T05:00:00+07:00") from None


def now(tz: dt.tzinfo = dt.timezone.utc) -> dt.datetime:
    """The current moment in `tz` (aware)."""
    fixed = _fixed()
    if fixed is None:
        return dt.datetime.now(tz)
    if fixed.tzinfo is None:
        fixed = fixed.replace(tzinfo=tz)
    return fixed.astimezone(tz)


def today(tz: dt.tzinfo = dt.timezone.utc) -> dt.date:
    """Today's date in `tz`."""
    return now(tz).date()


def timestamp() -> float:
    """Seconds since the epoch, as `time.time()` but from this clock."""
    return now().timestamp()
