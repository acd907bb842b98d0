"""The station's SQLite file, shared by modules that each keep their own tables.

One place owns the file for all of them: the connection (WAL, because the scheduler,
the newsroom and the CLI use it at once; a busy timeout; foreign keys), the clock the
rows are stamped with, the schema of each part (articles, runs, users, approvals) as an
ordered list of migrations whose progress is kept in a `schema_versions` table, and
one error type, `StationDbError`, for a file that cannot be opened, read or written.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from radio_gen import clock
from radio_gen.errors import RadioGenError

BUSY_TIMEOUT_SECONDS = 10.0

#: A migration is a SQL script or a function of the connection, run inside the migration's transaction.
Migration = str | Callable[[sqlite3.Connection], None]


class StationDbError(RadioGenError):
    """The station's SQLite file cannot be opened, read or written."""


@dataclass(frozen=True)
class Schema:
    """One module's tables: `migrations[n]` brings them from version n to n + 1.

    Files written before the version table existed are at version 0 for it, so every
    migration must hold on tables that already have its change (CREATE ... IF NOT
    EXISTS, a column added only when it is missing).
    """

    part: str
    migrations: tuple[Migration, ...]

    @property
    def version(self) -> int:
        return len(self.migrations)


def now() -> dt.datetime:
    """The moment rows are stamped with: aware, in UTC (stored as ISO-8601 text)."""
    return clock.now(dt.timezone.utc)


def connect(path: Path, error: type[RadioGenError] = StationDbError) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), with the station's pragmas."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise error(f"cannot open the station store {path}: {exc}") from None
    try:
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        db.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        db.close()
        raise error(f"cannot open the station store {path}: {exc}") from None
    return db


def migrate(db: sqlite3.Connection, schema: Schema) -> None:
    """Bring `schema.part` up to date; two processes opening an old file at once are both fine."""
    db.execute("CREATE TABLE IF NOT EXISTS schema_versions (part TEXT PRIMARY KEY, version INTEGER NOT NULL)")
    row = db.execute("SELECT version FROM schema_versions WHERE part = ?", (schema.part,)).fetchone()
    if row is not None and row[0] >= schema.version:
        return
    db.execute("BEGIN IMMEDIATE")       # the write lock first: the other process waits, then finds it done
    try:
        row = db.execute("SELECT version FROM schema_versions WHERE part = ?", (schema.part,)).fetchone()
        for migration in schema.migrations[row[0] if row else 0:]:
            if isinstance(migration, str):
                for statement in _statements(migration):
                    db.execute(statement)
            else:
                migration(db)
        db.execute("INSERT INTO schema_versions (part, version) VALUES (?, ?) "
                   "ON CONFLICT (part) DO UPDATE SET version = excluded.version", (schema.part, schema.version))
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


def _statements(script: str) -> list[str]:
    """A script's statements, for running one by one inside a transaction (`executescript` commits first)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return [s for s in statements if s]


def open_db(path: Path, schema: Schema, error: type[RadioGenError] = StationDbError) -> sqlite3.Connection:
    """A connection to the station file with `schema`'s tables up to date."""
    db = connect(path, error)
    try:
        db.execute("PRAGMA journal_mode = WAL")     # kept by the file: once per open is plenty
        migrate(db, schema)
    except sqlite3.Error as exc:
        db.close()
        raise error(f"cannot open the station store {path}: {exc}") from None
    return db


def create_tables(path: Path, schema: Schema, error: type[RadioGenError] = StationDbError) -> None:
    """Make sure a module's tables exist and are up to date (for modules that connect per use)."""
    open_db(path, schema, error).close()


@contextmanager
def transaction(path: Path, error: type[RadioGenError] = StationDbError, what: str = "station store", *,
                immediate: bool = False) -> Iterator[sqlite3.Connection]:
    """One transaction: committed on success, rolled back on any error.

    `immediate` takes the write lock at once, so a read-then-write decision is not
    interleaved with another process's. `what` names the tables in error messages.
    """
    db = connect(path, error)
    try:
        db.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
        yield db
        db.execute("COMMIT")
    except BaseException as exc:
        if db.in_transaction:
            db.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            raise error(f"cannot use the {what} in {path}: {exc}") from None
        raise
    finally:
        db.close()
