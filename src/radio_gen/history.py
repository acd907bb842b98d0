"""Run history: one row per build attempt in the station's SQLite file.

The file is shared with the article store (another module owns those tables), so this
module only ever migrates and touches its own `runs` table; `stationdb` owns the file
(pragmas, migrations, clock, error type). Times are stored as UTC ISO-8601 text and
handed back as aware datetimes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from radio_gen import stationdb
from radio_gen.stationdb import Schema, StationDbError, create_tables, transaction


class Outcome(StrEnum):
    """How a run ended (stored as its text in the `outcome` column)."""

    RUNNING = "running"
    OK = "ok"
    #: Published, but without a single news item: identification and notices only.
    DEGRADED = "degraded"
    FAILED = "failed"
    ABANDONED = "abandoned"
    MISSED = "missed"
    STOPPED = "stopped"


E = TypeVar("E", bound=StrEnum)

RUNNING, OK, DEGRADED, FAILED = Outcome.RUNNING, Outcome.OK, Outcome.DEGRADED, Outcome.FAILED
ABANDONED, MISSED, STOPPED = Outcome.ABANDONED, Outcome.MISSED, Outcome.STOPPED
#: Outcomes whose program was published (the build time counts as built).
PUBLISHED = (OK, DEGRADED)


class Trigger(StrEnum):
    """What started a run (stored as its text in the `trigger` column)."""

    SCHEDULED = "scheduled"
    CATCH_UP = "catch-up"
    RUN_NOW = "run-now"
    #: A `radio-gen build` typed by a person.
    MANUAL = "manual"


MANUAL = Trigger.MANUAL

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id        INTEGER PRIMARY KEY,
    program   TEXT    NOT NULL,
    scheduled TEXT    NOT NULL,   -- the build time this run is for (UTC ISO-8601)
    broadcast TEXT,               -- when the program airs (UTC ISO-8601)
    trigger   TEXT    NOT NULL,   -- scheduled, catch-up, run-now, manual
    attempt   INTEGER NOT NULL DEFAULT 1,
    started   TEXT    NOT NULL,
    ended     TEXT,
    outcome   TEXT    NOT NULL,   -- running, ok, degraded, failed, abandoned, missed, stopped
    output    TEXT,               -- the published MP3
    warnings  TEXT    NOT NULL DEFAULT '[]',  -- JSON list: fallbacks, skipped sources
    error     TEXT,
    pid       INTEGER NOT NULL,
    failed_sources TEXT NOT NULL DEFAULT '[]'  -- JSON list of the sources that failed in this run
);
CREATE INDEX IF NOT EXISTS runs_program_scheduled ON runs (program, scheduled);
"""


#: The station file's one error type (the article store raises the same).
HistoryError = StationDbError


def _add_failed_sources(db: sqlite3.Connection) -> None:
    """A file written before failed sources were kept gains the column."""
    if "failed_sources" not in {row[1] for row in db.execute("PRAGMA table_info(runs)")}:
        db.execute("ALTER TABLE runs ADD COLUMN failed_sources TEXT NOT NULL DEFAULT '[]'")


TABLES = Schema("runs", (SCHEMA, _add_failed_sources))


@dataclass(frozen=True)
class Run:
    id: int
    program: str
    scheduled: dt.datetime
    broadcast: dt.datetime | None
    trigger: Trigger | str
    attempt: int
    started: dt.datetime
    ended: dt.datetime | None
    outcome: Outcome | str
    output: str | None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    pid: int = 0
    failed_sources: list[str] = field(default_factory=list)

    @property
    def duration(self) -> float | None:
        return (self.ended - self.started).total_seconds() if self.ended else None


def _text(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("history times must be timezone-aware")
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")


def _moment(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class History:
    """The `runs` table of one station file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        create_tables(path, TABLES)

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return transaction(self.path, StationDbError, "run history")

    def start(self, program: str, scheduled: dt.datetime, broadcast: dt.datetime | None,
              trigger: str, attempt: int = 1) -> int:
        """Record that a build attempt began; returns the row id for `finish`."""
        with self._connect() as db:
            cursor = db.execute(
                "INSERT INTO runs (program, scheduled, broadcast, trigger, attempt, started, outcome, pid)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (program, _text(scheduled), _text(broadcast) if broadcast else None, trigger, attempt,
                 _text(stationdb.now()), RUNNING.value, os.getpid()))
            return int(cursor.lastrowid)

    def finish(self, run_id: int, outcome: Outcome, *, output: str | None = None,
               warnings: list[str] | None = None, error: str | None = None,
               failed_sources: list[str] | None = None) -> None:
        with self._connect() as db:
            db.execute("UPDATE runs SET ended = ?, outcome = ?, output = ?, warnings = ?, error = ?,"
                       " failed_sources = ? WHERE id = ?",
                       (_text(stationdb.now()), Outcome(outcome).value, output,
                        json.dumps(warnings or [], ensure_ascii=False), error,
                        json.dumps(failed_sources or [], ensure_ascii=False), run_id))

    def first_started(self) -> dt.datetime | None:
        """When the station's first build began (any program, any trigger); None before any."""
        with self._connect() as db:
            row = db.execute("SELECT MIN(started) FROM runs WHERE outcome != ?", (MISSED.value,)).fetchone()
        return _moment(row[0]) if row else None

    def record_missed(self, program: str, scheduled: dt.datetime, broadcast: dt.datetime, reason: str) -> bool:
        """A build time that passed unbuilt, so that `status` shows the gap.

        Build times before the station's first run are not gaps (the station did not exist
        yet): they are not recorded, and False is returned.
        """
        first = self.first_started()
        if first is None or scheduled < first:
            return False
        now = _text(stationdb.now())
        with self._connect() as db:
            db.execute(
                "INSERT INTO runs (program, scheduled, broadcast, trigger, attempt, started, ended, outcome,"
                " error, pid) VALUES (?, ?, ?, 'catch-up', 0, ?, ?, ?, ?, ?)",
                (program, _text(scheduled), _text(broadcast), now, now, MISSED.value, reason, os.getpid()))
        return True

    def source_failure_streak(self, source: str) -> int:
        """How many of the latest finished builds in a row `source` failed in (any program)."""
        streak = 0
        for run in self._select("WHERE outcome IN (?, ?, ?) ORDER BY id DESC LIMIT 50",
                                (OK.value, DEGRADED.value, FAILED.value)):
            if source not in run.failed_sources:
                break
            streak += 1
        return streak

    def unfinished(self, *, mine: bool) -> list[Run]:
        """`running` rows of this process (mine=True), or of processes that are gone (mine=False)."""
        rows = self._select("WHERE outcome = ?", (RUNNING.value,))
        if mine:
            return [r for r in rows if r.pid == os.getpid()]
        return [r for r in rows if r.pid != os.getpid() and not pid_alive(r.pid)]

    def built(self, program: str, scheduled: dt.datetime) -> Run | None:
        """The run that published a program for this build time, if there is one."""
        rows = self._select("WHERE program = ? AND scheduled = ? AND outcome IN (?, ?) ORDER BY id DESC LIMIT 1",
                            (program, _text(scheduled), OK.value, DEGRADED.value))
        return rows[0] if rows else None

    def has_record(self, program: str, scheduled: dt.datetime) -> bool:
        """Whether anything at all (run or miss) was recorded for this build time."""
        return bool(self._select("WHERE program = ? AND scheduled = ? LIMIT 1", (program, _text(scheduled))))

    def last_runs(self, program: str | None = None, limit: int = 5) -> list[Run]:
        """Newest first."""
        if program is None:
            return self._select("ORDER BY id DESC LIMIT ?", (limit,))
        return self._select("WHERE program = ? ORDER BY id DESC LIMIT ?", (program, limit))

    def typical_duration(self, program: str) -> float:
        """Seconds the last successful build took (0 when none), to judge whether a retry fits."""
        rows = self._select("WHERE program = ? AND outcome IN (?, ?) ORDER BY id DESC LIMIT 1",
                            (program, OK.value, DEGRADED.value))
        return (rows[0].duration or 0.0) if rows else 0.0

    def _select(self, where: str, params: tuple) -> list[Run]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT id, program, scheduled, broadcast, trigger, attempt, started, ended, outcome,"
                f" output, warnings, error, pid, failed_sources FROM runs {where}", params).fetchall()
        return [Run(id=r[0], program=r[1], scheduled=_moment(r[2]), broadcast=_moment(r[3]),
                    trigger=_enum(Trigger, r[4]), attempt=r[5], started=_moment(r[6]), ended=_moment(r[7]),
                    outcome=_enum(Outcome, r[8]), output=r[9],
                    warnings=json.loads(r[10] or "[]"), error=r[11], pid=r[12],
                    failed_sources=json.loads(r[13] or "[]")) for r in rows]


def _enum(kind: type[E], text: str) -> E | str:
    """A stored outcome or trigger as its enum (text written by another version is kept as it is)."""
    try:
        return kind(text)
    except ValueError:
        return text
