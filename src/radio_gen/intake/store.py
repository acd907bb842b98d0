"""The station's memory (SQLite): every article seen, and which articles each program broadcast.

One file per station (`StationConfig.store_path`), created on first use; `stationdb`
owns the file (WAL and a busy timeout so a build and an `articles fetch` can overlap,
the schema migrations, the clock and the error type). Duplicates are
caught by URL (the same page fetched again, maybe edited) and by content (the same
story from a feed and from the site). The run history of the scheduler lives in the
same file under its own tables (see history.py); this module never touches those.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from types import TracebackType

from radio_gen import stationdb
from radio_gen.stationdb import Schema, StationDbError
from radio_gen.intake.articles import Article, words_hash

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id           TEXT PRIMARY KEY,
    url          TEXT,
    source       TEXT NOT NULL,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    byline       TEXT,
    published    TEXT,
    content_hash TEXT NOT NULL,
    first_seen   TEXT NOT NULL,
    last_seen    TEXT NOT NULL,
    pinned       INTEGER NOT NULL DEFAULT 0,
    repeat       INTEGER NOT NULL DEFAULT 0,
    withdrawn    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS articles_url ON articles(url);
CREATE INDEX IF NOT EXISTS articles_content_hash ON articles(content_hash);
CREATE TABLE IF NOT EXISTS broadcasts (
    program     TEXT NOT NULL,
    date        TEXT NOT NULL,
    article_id  TEXT NOT NULL REFERENCES articles(id),
    position    INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (program, date, article_id)
);
CREATE INDEX IF NOT EXISTS broadcasts_article ON broadcasts(article_id);
CREATE TABLE IF NOT EXISTS article_urls (
    url        TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id)
);
"""

#: Columns added after the first release (editing in the newsroom): added to older files on open.
#: The source's text stays in title/body; an editor's version, when there is one, is what airs.
EDIT_COLUMNS = (
    ("edited_title", "TEXT"),
    ("edited_body", "TEXT"),
    ("edited_by", "TEXT"),
    ("edited_at", "TEXT"),
    ("version", "INTEGER NOT NULL DEFAULT 0"),
    ("dropped", "INTEGER NOT NULL DEFAULT 0"),
    ("rank", "INTEGER NOT NULL DEFAULT 0"),
)


MEMORY = Path(":memory:")

#: The station file's one error type (the run history raises the same).
StoreError = StationDbError


class VersionConflict(StoreError):
    """Someone else saved the article since it was opened: the save is refused, nothing is overwritten."""


def _add_edit_columns(db: sqlite3.Connection) -> None:
    """The migration to the editing columns (only those missing: a file may predate the version table)."""
    present = {row[1] for row in db.execute("PRAGMA table_info(articles)")}
    for name, kind in EDIT_COLUMNS:
        if name not in present:
            db.execute(f"ALTER TABLE articles ADD COLUMN {name} {kind}")


TABLES = Schema("articles", (SCHEMA, _add_edit_columns))


def _storable(article: Article) -> Article:
    """SQLite text is UTF-8: a lone surrogate (an undecodable file name carried through
    `surrogateescape`, a feed's `&#xD800;`) is kept as a visible escape instead of failing the store."""
    stored = replace(article, title=_escaped(article.title), body=_escaped(article.body),
                     source=_escaped(article.source), location=_escaped(article.location),
                     byline=None if article.byline is None else _escaped(article.byline))
    return article if stored == article else stored


def _escaped(text: str) -> str:
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def content_hash(body: str) -> str:
    """The words of the body alone: a feed's title may differ from the page's, the story does not."""
    return words_hash(body)


class Remembered(StrEnum):
    """What `Store.remember` made of an article (counted per source in the intake report)."""

    NEW = "new"
    #: The same content was seen before.
    KNOWN = "known"
    #: The same address with edited text: the stored row keeps its id, so its broadcast history holds.
    UPDATED = "updated"
    #: The same story under another address or title.
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class StoredArticle:
    """An article as the store remembers it, with what the selection needs."""

    article: Article
    first_seen: dt.datetime
    pinned: bool
    repeat: bool
    withdrawn: bool
    broadcasts: tuple[tuple[str, dt.date], ...] = field(default=())
    #: An editor took it out of the coming programs.
    dropped: bool = False
    #: An editor's place in the reading order (higher reads earlier; 0: by date).
    rank: int = 0
    #: How many times an editor saved it (the optimistic lock of the edit form).
    version: int = 0
    #: Whether the text that airs is an editor's version.
    edited: bool = False

    @property
    def id(self) -> str:
        return self.article.id


def _exists(path: str) -> bool:
    try:
        return Path(path).exists()
    except (OSError, ValueError):   # a name too long, a NUL byte: not a file there
        return False


def _moved(url: str | None, source: str, article: Article) -> bool:
    """Whether a stored folder article read again from `article.location` has moved there."""
    if source == article.source or not article.location.startswith("/") or not source.startswith("folder:"):
        return False
    return url == article.location or not url or not _exists(url)


def _now() -> str:
    return stationdb.now().isoformat(timespec="seconds")


class Store:
    """Open with `Store.open(path)` (a context manager); every write is its own transaction."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.db, self.path = connection, path

    @classmethod
    def open(cls, path: Path) -> "Store":
        return cls(stationdb.open_db(path, TABLES), path)

    @classmethod
    def in_memory(cls) -> "Store":
        """A store that lasts as long as it is open: a build from folders named on the command line."""
        return cls(stationdb.open_db(MEMORY, TABLES), MEMORY)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def _run(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        try:
            return self.db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"station store {self.path}: {exc}") from None

    # -- articles --------------------------------------------------------------------

    def remember(self, article: Article) -> tuple[Remembered, str]:
        """Record an article; returns what became of it and its stored id."""
        article = _storable(article)
        now, digest = _now(), content_hash(article.body)
        published = article.published.isoformat() if article.published else None
        try:
            with self.db:
                self.db.execute("BEGIN IMMEDIATE")
                status, stored_id = self._remember(article, now, digest, published)
                if article.location:
                    self.db.execute("INSERT OR IGNORE INTO article_urls (url, article_id) VALUES (?, ?)",
                                    (article.location, stored_id))
                return status, stored_id
        except sqlite3.Error as exc:
            raise StoreError(f"station store {self.path}: {exc}") from None

    def _remember(self, article: Article, now: str, digest: str,
                  published: str | None) -> tuple[Remembered, str]:
        row = self.db.execute("SELECT id, url, source FROM articles WHERE id = ?", (article.id,)).fetchone()
        if row:
            self.db.execute("UPDATE articles SET last_seen = ?, withdrawn = 0 WHERE id = ?", (now, article.id))
            if _moved(row[1], row[2], article):
                # The same file, now in a folder that moved (or a source that was renamed): it is theirs now,
                # so that deleting it there withdraws it and the source's settings (repeat) apply to it.
                self.db.execute("UPDATE articles SET url = ?, source = ? WHERE id = ?",
                                (article.location, article.source, article.id))
            return Remembered.KNOWN, article.id
        row = self.db.execute("SELECT id FROM articles WHERE url = ? AND source = ? AND content_hash = ?",
                              (article.location, article.source, digest)).fetchone()
        if row:
            # The same file or page with the same story under a new title: an editor's correction.
            self.db.execute("UPDATE articles SET title = ?, byline = ?, published = COALESCE(?, published), "
                            "last_seen = ?, withdrawn = 0 WHERE id = ?",
                            (article.title, article.byline, published, now, row[0]))
            return Remembered.UPDATED, row[0]
        row = self.db.execute("SELECT id FROM articles WHERE content_hash = ?", (digest,)).fetchone()
        if row:
            self.db.execute("UPDATE articles SET last_seen = ?, withdrawn = 0 WHERE id = ?", (now, row[0]))
            return Remembered.DUPLICATE, row[0]
        row = self.db.execute("SELECT id FROM articles WHERE url = ? AND source = ?",
                              (article.location, article.source)).fetchone()
        if row:
            self.db.execute(
                "UPDATE articles SET title = ?, body = ?, byline = ?, published = COALESCE(?, published), "
                "content_hash = ?, last_seen = ?, withdrawn = 0 WHERE id = ?",
                (article.title, article.body, article.byline, published, digest, now, row[0]))
            return Remembered.UPDATED, row[0]
        self.db.execute(
            "INSERT INTO articles (id, url, source, title, body, byline, published, content_hash, "
            "first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article.id, article.location, article.source, article.title, article.body, article.byline,
             published, digest, now, now))
        return Remembered.NEW, article.id

    def knows_url(self, url: str) -> bool:
        """Whether any article came from this address (its own, or a feed's alias of it)."""
        return bool(self._run("SELECT 1 FROM article_urls WHERE url = ?", (url,)))

    def withdraw_missing(self, source: str, present: set[str]) -> int:
        """Articles of a folder source whose file is gone are withdrawn (an editor removed them)."""
        rows = self._run("SELECT id FROM articles WHERE source = ? AND withdrawn = 0", (source,))
        gone = [r[0] for r in rows if r[0] not in present]
        for article_id in gone:
            self._run("UPDATE articles SET withdrawn = 1 WHERE id = ?", (article_id,))
        return len(gone)

    def withdraw_orphans(self, folders: set[Path], present: set[str]) -> int:
        """Articles of folder sources whose file is gone from a folder the station no longer reads (the
        station folder moved, or the folder left the station file) are withdrawn: no source of today's
        would ever withdraw them, and an article an editor deleted after the move would still air."""
        rows = self._run("SELECT id, url FROM articles WHERE withdrawn = 0 AND source LIKE 'folder:%' "
                         "AND url LIKE '/%'")
        gone = [article_id for article_id, url in rows
                if article_id not in present and Path(url).parent not in folders and not _exists(url)]
        for article_id in gone:
            self._run("UPDATE articles SET withdrawn = 1 WHERE id = ?", (article_id,))
        return len(gone)

    def articles(self) -> list[StoredArticle]:
        """Every remembered article with its flags and broadcasts."""
        aired: dict[str, list[tuple[str, dt.date]]] = {}
        for program, date, article_id in self._run("SELECT program, date, article_id FROM broadcasts ORDER BY date"):
            aired.setdefault(article_id, []).append((program, dt.date.fromisoformat(date)))
        result = []
        for row in self._run("SELECT id, url, source, COALESCE(edited_title, title), COALESCE(edited_body, body), "
                             "byline, published, first_seen, pinned, repeat, withdrawn, dropped, rank, version, "
                             "edited_body IS NOT NULL FROM articles"):
            article = Article(title=row[3], body=row[4], source=row[2], location=row[1] or "",
                              published=dt.date.fromisoformat(row[6]) if row[6] else None,
                              byline=row[5], id=row[0])
            result.append(StoredArticle(article, dt.datetime.fromisoformat(row[7]), bool(row[8]), bool(row[9]),
                                        bool(row[10]), tuple(aired.get(row[0], ())), bool(row[11]), row[12],
                                        row[13], bool(row[14])))
        return result

    def resolve(self, id_prefix: str) -> tuple[str, str]:
        """(id, title) of the one article whose id starts with `id_prefix`."""
        if not re.fullmatch(r"[0-9a-f]{4,64}", id_prefix):
            raise StoreError(f"'{id_prefix}' is not an article id (4 or more hex digits, "
                             "as `radio-gen articles list` shows)")
        rows = self._run("SELECT id, title FROM articles WHERE id LIKE ? || '%'", (id_prefix,))
        if not rows:
            raise StoreError(f"no article with id {id_prefix} in {self.path} (see `radio-gen articles list`)")
        if len(rows) > 1:
            raise StoreError(f"id {id_prefix} matches {len(rows)} articles: give more digits")
        return rows[0][0], rows[0][1]

    def set_flag(self, id_prefix: str, flag: str, on: bool) -> tuple[str, str]:
        """Pin an article (it goes first) or let it repeat (it may air again); returns (id, title)."""
        if flag not in ("pinned", "repeat", "dropped"):
            raise ValueError(flag)
        article_id, title = self.resolve(id_prefix)
        self._run(f"UPDATE articles SET {flag} = ? WHERE id = ?", (int(on), article_id))
        return article_id, title

    # -- editing (see editing.py) ----------------------------------------------------

    def source_text(self, article_id: str) -> tuple[str, str]:
        """(title, body) as the source gave them, whatever an editor changed."""
        rows = self._run("SELECT title, body FROM articles WHERE id = ?", (article_id,))
        if not rows:
            raise StoreError(f"no article with id {article_id} in {self.path}")
        return rows[0][0], rows[0][1]

    def edit_info(self, article_id: str) -> tuple[int, str | None, str | None]:
        """(version, edited_by, edited_at) of an article."""
        rows = self._run("SELECT version, edited_by, edited_at FROM articles WHERE id = ?", (article_id,))
        if not rows:
            raise StoreError(f"no article with id {article_id} in {self.path}")
        return rows[0][0], rows[0][1], rows[0][2]

    def save_edit(self, article_id: str, title: str, body: str, expected_version: int, by: str) -> int:
        """Store an editor's text if nobody saved since `expected_version`; returns the new version."""
        try:
            changed = self.db.execute(
                "UPDATE articles SET edited_title = ?, edited_body = ?, edited_by = ?, edited_at = ?, "
                "version = version + 1 WHERE id = ? AND version = ?",
                (title, body, by, _now(), article_id, expected_version)).rowcount
        except sqlite3.Error as exc:
            raise StoreError(f"station store {self.path}: {exc}") from None
        if not changed:
            version, who, when = self.edit_info(article_id)
            raise VersionConflict(f"article {article_id} was changed by {who or 'someone'} at {when or '?'} "
                                  f"(version {version}) since you opened it (version {expected_version}): "
                                  "your text was not saved; open it again and redo your change")
        return expected_version + 1

    def set_rank(self, article_id: str, rank: int) -> None:
        self._run("UPDATE articles SET rank = ? WHERE id = ?", (rank, article_id))

    # -- broadcasts ------------------------------------------------------------------

    def record_broadcast(self, program: str, date: dt.date, article_ids: list[str]) -> None:
        """What a published program contained; a rebuild of the same program and date replaces it."""
        now = _now()
        try:
            with self.db:
                self.db.execute("BEGIN IMMEDIATE")
                self.db.execute("DELETE FROM broadcasts WHERE program = ? AND date = ?", (program, date.isoformat()))
                self.db.executemany(
                    "INSERT INTO broadcasts (program, date, article_id, position, recorded_at) VALUES (?, ?, ?, ?, ?)",
                    [(program, date.isoformat(), a, i, now) for i, a in enumerate(article_ids, 1)])
        except sqlite3.Error as exc:
            raise StoreError(f"station store {self.path}: {exc}") from None

    def broadcast(self, program: str, date: dt.date) -> list[str]:
        rows = self._run("SELECT article_id FROM broadcasts WHERE program = ? AND date = ? ORDER BY position",
                         (program, date.isoformat()))
        return [r[0] for r in rows]
