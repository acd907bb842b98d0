"""The station store on real SQLite: created on first use, WAL, duplicates, broadcasts, flags."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from pathlib import Path

import pytest

from radio_gen.intake.articles import Article
from radio_gen.intake.store import Store, StoreError

DAY = dt.date(2026, 11, 26)


def article(title: str = "Huyện ra quân làm thủy lợi", body: str = "Sáng nay, các xã ra quân nạo vét kênh mương.",
            url: str = "http://127.0.0.1/tin/1.html", source: str = "listing:portal") -> Article:
    return Article(title=title, body=body, source=source, location=url, published=DAY)


def test_created_on_first_use_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    path = tmp_path / "state" / "radio-gen.sqlite"
    with Store.open(path) as store:
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    tables = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"articles", "broadcasts"} <= tables and "runs" not in tables


def test_other_modules_tables_in_the_same_file_are_untouched(tmp_path: Path) -> None:
    path = tmp_path / "radio-gen.sqlite"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY, note TEXT)")
    other.execute("INSERT INTO runs (note) VALUES ('scheduler')")
    other.commit()
    other.close()
    with Store.open(path) as store:
        store.remember(article())
    assert sqlite3.connect(path).execute("SELECT note FROM runs").fetchall() == [("scheduler",)]


def test_duplicates_by_content_and_by_url(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.sqlite") as store:
        first = article()
        assert store.remember(first) == ("new", first.id)
        assert store.remember(first) == ("known", first.id)
        from_feed = article(title="Các xã ra quân làm thủy lợi", url="http://127.0.0.1/tin/1.html?utm=rss",
                            source="feed:rss")
        assert from_feed.id != first.id, "a different title makes a different content id"
        assert store.remember(from_feed) == ("duplicate", first.id), "same body: the same story"
        edited = article(body="Sáng nay, các xã ra quân nạo vét kênh mương nội đồng.")
        assert store.remember(edited) == ("updated", first.id), "same page, corrected text: still one article"
        [stored] = store.articles()
        assert stored.article.body.endswith("nội đồng.") and stored.id == first.id
        assert store.knows_url("http://127.0.0.1/tin/1.html") and not store.knows_url("http://127.0.0.1/x")
        assert store.knows_url("http://127.0.0.1/tin/1.html?utm=rss"), "the feed's address is not fetched again"


def test_broadcasts_are_recorded_per_program_and_date_and_a_rebuild_replaces_them(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.sqlite") as store:
        a, b = article(), article(title="Tin hai", body="Nội dung tin thứ hai.", url="http://127.0.0.1/2")
        store.remember(a)
        store.remember(b)
        store.record_broadcast("sang", DAY, [a.id, b.id])
        store.record_broadcast("sang", DAY, [b.id])
        store.record_broadcast("chieu", DAY, [a.id])
        assert store.broadcast("sang", DAY) == [b.id]
        aired = {s.id: s.broadcasts for s in store.articles()}
        assert aired[a.id] == (("chieu", DAY),)


def test_pin_and_repeat_by_id_prefix(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.sqlite") as store:
        a = article()
        store.remember(a)
        assert store.set_flag(a.id[:6], "pinned", True) == (a.id, a.title)
        store.set_flag(a.id, "repeat", True)
        [stored] = store.articles()
        assert stored.pinned and stored.repeat
        store.set_flag(a.id[:6], "pinned", False)
        assert not store.articles()[0].pinned
        with pytest.raises(StoreError, match="no article with id ffff"):
            store.resolve("ffff")
        with pytest.raises(StoreError, match="not an article id"):
            store.resolve("tin-1")


def test_folder_articles_whose_file_is_gone_are_withdrawn(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.sqlite") as store:
        a = article(source="folder:x", url="/x/a.txt")
        b = article(title="B", body="Bài B.", source="folder:x", url="/x/b.txt")
        store.remember(a)
        store.remember(b)
        assert store.withdraw_missing("folder:x", {a.id}) == 1
        assert {s.id: s.withdrawn for s in store.articles()} == {a.id: False, b.id: True}
        store.remember(b)
        assert not any(s.withdrawn for s in store.articles()), "a file put back is current again"


def test_files_of_a_folder_that_moved_follow_it_and_the_deleted_ones_are_withdrawn(tmp_path: Path) -> None:
    old, new = tmp_path / "cu", tmp_path / "moi"
    new.mkdir()
    (new / "a.txt").write_text("a", encoding="utf-8")
    with Store.open(tmp_path / "s.sqlite") as store:
        a = article(source=f"folder:{old}", url=str(old / "a.txt"))
        gone = article(title="B", body="Bài B.", source=f"folder:{old}", url=str(old / "b.txt"))
        store.remember(a)
        store.remember(gone)
        moved = article(source=f"folder:{new}", url=str(new / "a.txt"))
        assert store.remember(moved)[0] == "known"
        assert store.withdraw_orphans({new}, {a.id}) == 1
        rows = {s.id: (s.withdrawn, s.article.source, s.article.location) for s in store.articles()}
        assert rows == {a.id: (False, f"folder:{new}", str(new / "a.txt")),
                        gone.id: (True, f"folder:{old}", str(old / "b.txt"))}
        other = article(title="C", body="Bài C.", source="folder:khac", url=str(tmp_path / "khac" / "c.txt"))
        store.remember(other)
        assert store.withdraw_orphans({tmp_path / "khac"}, set()) == 0, "a folder still read keeps its own"


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "radio-gen.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open the station store .*radio-gen.sqlite"):
        Store.open(path)


def test_two_writers_at_once_wait_for_each_other(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    Store.open(path).close()
    errors: list[Exception] = []

    def write(n: int) -> None:
        try:
            with Store.open(path) as store:
                for i in range(20):
                    store.remember(article(title=f"Tin {n}-{i}", body=f"Nội dung {n} {i}.", url=f"http://h/{n}/{i}"))
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Store.open(path) as store:
        assert len(store.articles()) == 60
