"""Run history: one row per build attempt in the station's SQLite file.

The file is shared with the article store (another module owns those tables), so this
module only ever creates and touches its own `runs` table, with WAL and a busy timeout
because the scheduler, `run-now` and `status` may use the file at the same time.
Times are stored as UTC ISO-8601 text and handed back as aware datetimes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

from radio_gen import clock
from radio_gen.errors import RadioGenError
from radio_gen.stationdb import create_tables, transaction

#: What a row's outcome can be.
RUNNING, OK, FAILED, ABANDONED, MISSED = "running", "ok", "failed", "abandoned", "missed"

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id        INTEGER PRIMARY KEY,
    program   TEXT    NOT NULL,
    scheduled TEXT    NOT NULL,   -- the build time this run is for (UTC ISO-8601)
    broadcast TEXT,               -- when the program airs (UTC ISO-8601)
    trigger   TEXT    NOT NULL,   -- scheduled, catch-up, run-now
    attempt   INTEGER NOT NULL DEFAULT 1,
    started   TEXT    NOT NULL,
    ended     TEXT,
    outcome   TEXT    NOT NULL,   -- running, ok, failed, abandoned, missed
    output    TEXT,               -- the published MP3
    warnings  TEXT    NOT NULL DEFAULT '[]',  -- JSON list: fallbacks, skipped sources
    error     TEXT,
    pid       INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_program_scheduled ON runs (program, scheduled);
"""


class HistoryError(RadioGenError):
    """The station's SQLite file cannot be opened or written."""


@dataclass(frozen=True)
class Run:
    id: int
    program: str
    scheduled: dt.datetime
    broadcast: dt.datetime | None
    trigger: str
    attempt: int
    started: dt.datetime
    ended: dt.datetime | None
    outcome: str
    output: str | None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    pid: int = 0

    @property
    def duration(self) -> float | None:
        return (self.ended - self.started).total_seconds() if self.ended else None


def _text(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("history times must be timezone-aware")
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")


def _moment(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def _now() -> dt.datetime:
    return clock.now(dt.timezone.utc)


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
        create_tables(path, SCHEMA, HistoryError)

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return transaction(self.path, HistoryError, "run history")

    def start(self, program: str, scheduled: dt.datetime, broadcast: dt.datetime | None,
              trigger: str, attempt: int = 1) -> int:
        """Record that a build attempt began; returns the row id for `finish`."""
        with self._connect() as db:
            cursor = db.execute(
                "INSERT INTO runs (program, scheduled, broadcast, trigger, attempt, started, outcome, pid)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (program, _text(scheduled), _text(broadcast) if broadcast else None, trigger, attempt,
                 _text(_now()), RUNNING, os.getpid()))
            return int(cursor.lastrowid)

    def finish(self, run_id: int, outcome: str, *, output: str | None = None,
               warnings: list[str] | None = None, error: str | None = None) -> None:
        with self._connect() as db:
            db.execute("UPDATE runs SET ended = ?, outcome = ?, output = ?, warnings = ?, error = ? WHERE id = ?",
                       (_text(_now()), outcome, output, json.dumps(warnings or [], ensure_ascii=False),
                        error, run_id))

    def record_missed(self, program: str, scheduled: dt.datetime, broadcast: dt.datetime, reason: str) -> None:
        """A build time that passed unbuilt, so that `status` shows the gap."""
        now = _text(_now())
        with self._connect() as db:
            db.execute(
                "INSERT INTO runs (program, scheduled, broadcast, trigger, attempt, started, ended, outcome,"
                " error, pid) VALUES (?, ?, ?, 'catch-up', 0, ?, ?, ?, ?, ?)",
                (program, _text(scheduled), _text(broadcast), now, now, MISSED, reason, os.getpid()))

    def unfinished(self, *, mine: bool) -> list[Run]:
        """`running` rows of this process (mine=True), or of processes that are gone (mine=False)."""
        rows = self._select("WHERE outcome = ?", (RUNNING,))
        if mine:
            return [r for r in rows if r.pid == os.getpid()]
        return [r for r in rows if r.pid != os.getpid() and not pid_alive(r.pid)]

    def built(self, program: str, scheduled: dt.datetime) -> Run | None:
        """The successful run for this build time, if there is one."""
        rows = self._select("WHERE program = ? AND scheduled = ? AND outcome = ? ORDER BY id DESC LIMIT 1",
                            (program, _text(scheduled), OK))
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
        rows = self._select("WHERE program = ? AND outcome = ? ORDER BY id DESC LIMIT 1", (program, OK))
        return (rows[0].duration or 0.0) if rows else 0.0

    def _select(self, where: str, params: tuple) -> list[Run]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT id, program, scheduled, broadcast, trigger, attempt, started, ended, outcome,"
                f" output, warnings, error, pid FROM runs {where}", params).fetchall()
        return [Run(id=r[0], program=r[1], scheduled=_moment(r[2]), broadcast=_moment(r[3]), trigger=r[4],
                    attempt=r[5], started=_moment(r[6]), ended=_moment(r[7]), outcome=r[8], output=r[9],
                    warnings=json.loads(r[10] or "[]"), error=r[11], pid=r[12]) for r in rows]
