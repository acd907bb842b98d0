"""The station file's migrations: ordered, recorded per part, each run once, old files brought up to date."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from radio_gen.stationdb import Schema, StationDbError, create_tables, open_db, transaction


def _add_note(db: sqlite3.Connection) -> None:
    if "note" not in {row[1] for row in db.execute("PRAGMA table_info(things)")}:
        db.execute("ALTER TABLE things ADD COLUMN note TEXT NOT NULL DEFAULT ''")


V1 = Schema("things", ("CREATE TABLE IF NOT EXISTS things (id INTEGER PRIMARY KEY, name TEXT);",))
V2 = Schema("things", (*V1.migrations, _add_note, "INSERT INTO things (name, note) VALUES ('added by v3', 'x');"))


def _columns(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return [row[1] for row in db.execute("PRAGMA table_info(things)")]


def test_migrations_run_in_order_once_and_their_version_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "radio-gen.sqlite"
    create_tables(path, V1)
    assert _columns(path) == ["id", "name"]
    create_tables(path, V2)
    create_tables(path, V2)                     # opening again runs nothing: one row, not two
    assert _columns(path) == ["id", "name", "note"]
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT name FROM things").fetchall() == [("added by v3",)]
        assert db.execute("SELECT version FROM schema_versions WHERE part = 'things'").fetchone() == (3,)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_file_from_before_the_version_table_is_brought_up_to_date(tmp_path: Path) -> None:
    path = tmp_path / "radio-gen.sqlite"
    with sqlite3.connect(path) as db:           # written by a release that had no schema_versions
        db.execute("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT, note TEXT NOT NULL DEFAULT '')")
        db.execute("INSERT INTO things (name) VALUES ('old')")
    create_tables(path, V2)
    with sqlite3.connect(path) as db:
        assert [r[0] for r in db.execute("SELECT name FROM things ORDER BY id")] == ["old", "added by v3"]


def test_two_processes_opening_an_old_file_at_once_migrate_it_once(tmp_path: Path) -> None:
    path = tmp_path / "radio-gen.sqlite"
    create_tables(path, V1)
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            open_db(path, V2).close()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM things").fetchone() == (1,)


def test_a_failing_migration_changes_nothing_and_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "radio-gen.sqlite"
    create_tables(path, V1)
    broken = Schema("things", (*V1.migrations, "ALTER TABLE things ADD COLUMN x INTEGER;", "NOT SQL;"))
    with pytest.raises(StationDbError, match="radio-gen.sqlite"):
        create_tables(path, broken)
    assert _columns(path) == ["id", "name"]


def test_a_transaction_turns_sqlite_errors_into_the_station_error(tmp_path: Path) -> None:
    path = tmp_path / "radio-gen.sqlite"
    create_tables(path, V1)
    with pytest.raises(StationDbError, match="cannot use the things in .*radio-gen.sqlite"):
        with transaction(path, StationDbError, "things") as db:
            db.execute("INSERT INTO things (name) VALUES ('kept?')")
            db.execute("SELECT * FROM nowhere")
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM things").fetchone() == (0,)
