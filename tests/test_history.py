"""The run history in the station's real SQLite file, shared with other tables."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from radio_gen.history import ABANDONED, FAILED, OK, RUNNING, History, HistoryError

UTC = dt.timezone.utc
BUILD = dt.datetime(2026, 11, 25, 22, 0, tzinfo=UTC)  # 05:00 in Vietnam
AIR = BUILD + dt.timedelta(minutes=30)


def test_runs_table_lives_beside_other_tables_and_uses_wal(tmp_path: Path) -> None:
    store = tmp_path / "radio-gen.sqlite"
    with sqlite3.connect(store) as db:  # another module's table, created first
        db.execute("CREATE TABLE articles (id TEXT PRIMARY KEY, title TEXT)")
        db.execute("INSERT INTO articles VALUES ('a1', 'Tin xã')")
    History(store)
    History(store)  # opening again is harmless (CREATE TABLE IF NOT EXISTS)
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT * FROM articles").fetchall() == [("a1", "Tin xã")]
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        versions = dict(db.execute("SELECT part, version FROM schema_versions"))
    assert tables == {"articles", "runs", "schema_versions"}
    assert versions == {"runs": 2}


def test_a_run_is_recorded_from_start_to_end(tmp_path: Path) -> None:
    history = History(tmp_path / "s.sqlite")
    run_id = history.start("sang", BUILD, AIR, "scheduled")
    [running] = history.last_runs("sang")
    assert running.outcome == RUNNING and running.ended is None and history.built("sang", BUILD) is None
    history.finish(run_id, OK, output="/out/2026-11-26/sang.mp3", warnings=["nguồn web bị bỏ qua"])
    [run] = history.last_runs("sang")
    assert (run.program, run.scheduled, run.broadcast, run.trigger, run.outcome) == \
        ("sang", BUILD, AIR, "scheduled", OK)
    assert run.warnings == ["nguồn web bị bỏ qua"] and run.output.endswith("sang.mp3")
    assert run.duration is not None and run.duration >= 0
    assert history.built("sang", BUILD).id == run_id
    # the same moment written in another timezone is the same build time
    assert history.built("sang", BUILD.astimezone(dt.timezone(dt.timedelta(hours=7)))) is not None
    assert history.built("chieu", BUILD) is None and history.built("sang", BUILD + dt.timedelta(days=1)) is None


def test_newest_runs_first_and_typical_duration_from_the_last_success(tmp_path: Path) -> None:
    history = History(tmp_path / "s.sqlite")
    assert history.typical_duration("sang") == 0.0
    for attempt, outcome in ((1, FAILED), (2, OK), (1, FAILED)):
        history.finish(history.start("sang", BUILD, AIR, "catch-up", attempt), outcome)
    assert [(r.attempt, r.outcome) for r in history.last_runs("sang", 2)] == [(1, FAILED), (2, OK)]
    assert history.typical_duration("sang") >= 0.0


def test_runs_of_a_dead_process_are_found_and_mine_are_not(tmp_path: Path) -> None:
    history = History(tmp_path / "s.sqlite")
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(child.stdout)
    mine = history.start("sang", BUILD, AIR, "scheduled")
    with sqlite3.connect(history.path) as db:
        db.execute("UPDATE runs SET pid = ? WHERE id = ?", (dead_pid, mine))
    alive = history.start("chieu", BUILD, AIR, "scheduled")
    assert [r.id for r in history.unfinished(mine=False)] == [mine]
    assert [r.id for r in history.unfinished(mine=True)] == [alive]
    history.finish(mine, ABANDONED, error="stopped")
    assert history.unfinished(mine=False) == []


def test_a_busy_database_is_waited_for_not_failed(tmp_path: Path) -> None:
    history = History(tmp_path / "s.sqlite")
    other = sqlite3.connect(history.path, check_same_thread=False, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer (the article store) holds the write lock
    stamp = BUILD.isoformat()
    other.execute("INSERT INTO runs (program, scheduled, trigger, started, outcome, pid) "
                  "VALUES ('chieu', ?, 'scheduled', ?, 'ok', 0)", (stamp, stamp))
    releaser = threading.Timer(0.2, lambda: other.execute("COMMIT"))
    releaser.start()
    began = time.monotonic()
    history.start("sang", BUILD, AIR, "scheduled")
    assert time.monotonic() - began >= 0.1  # it waited for the lock (held 0.2 s), it did not fail
    releaser.join()
    other.close()
    assert len(history.last_runs()) == 2


def test_an_unusable_store_is_a_clear_error(tmp_path: Path) -> None:
    not_a_db = tmp_path / "radio-gen.sqlite"
    not_a_db.write_bytes(b"this is not SQLite" * 100)
    with pytest.raises(HistoryError, match="radio-gen.sqlite"):
        History(not_a_db)
