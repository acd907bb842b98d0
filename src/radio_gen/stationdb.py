"""The station's SQLite file, shared by modules that each keep their own tables.

One way to open it for all of them: WAL (the scheduler, the newsroom and the CLI use it
at once), a busy timeout, one transaction per use, and SQLite errors turned into the
caller's own error type.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from radio_gen.errors import RadioGenError

BUSY_TIMEOUT_SECONDS = 10.0


def _open(path: Path, error: type[RadioGenError]) -> sqlite3.Connection:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise error(f"cannot open the station store {path}: {exc}") from None


def create_tables(path: Path, schema: str, error: type[RadioGenError]) -> None:
    """Create a module's tables if they are missing (and switch the file to WAL)."""
    db = _open(path, error)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(schema)
    except sqlite3.Error as exc:
        raise error(f"cannot set up the station store {path}: {exc}") from None
    finally:
        db.close()


@contextmanager
def transaction(path: Path, error: type[RadioGenError], what: str, *,
                immediate: bool = False) -> Iterator[sqlite3.Connection]:
    """One transaction: committed on success, rolled back on any error.

    `immediate` takes the write lock at once, so a read-then-write decision is not
    interleaved with another process's. `what` names the tables in error messages.
    """
    db = _open(path, error)
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
