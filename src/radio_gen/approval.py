"""Approval: a person hears a program before the loudspeakers do.

With `[approval] required = true`, a build stays in its date folder and reaches
`latest/` only when an approver approves it. An approval names the program's content
hash (SHA-256 of its MP3), so a changed build needs approving again. When nobody has
approved by the deadline (`approve_by` minutes before broadcast), the policy decides:
`publish-anyway` (the default: the program airs, and an alert says it was not heard)
or `keep-last-approved` (latest/ keeps what was approved before, and an alert says so).
A held program is never published by the deadline. Every decision is a row in the
station's SQLite file: who, when, which build.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from radio_gen import clock
from radio_gen.config import StationConfig
from radio_gen.errors import RadioGenError
from radio_gen.publish import PublishError, program_paths, promote, published_build
from radio_gen.newsroom_settings import KEEP_LAST_APPROVED, ApprovalSettings
from radio_gen.stationdb import Schema, create_tables, transaction

log = logging.getLogger(__name__)



class Verdict(StrEnum):
    """The decisions an approvals row can record (stored as their text)."""

    APPROVED = "approved"
    HELD = "held"
    DEADLINE_PUBLISHED = "deadline-published"
    DEADLINE_KEPT = "deadline-kept"


APPROVED, HELD, DEADLINE_PUBLISHED, DEADLINE_KEPT = tuple(Verdict)
#: Who decides at the deadline.
DEADLINE_USER = "deadline"
#: A deadline is acted on until this long after the broadcast, not for older programs.
DEADLINE_WINDOW = dt.timedelta(hours=2)

SCHEMA = """
CREATE TABLE IF NOT EXISTS approvals (
    id       INTEGER PRIMARY KEY,
    program  TEXT NOT NULL,
    date     TEXT NOT NULL,          -- the program's date (the day it airs)
    hash     TEXT NOT NULL,          -- SHA-256 of the MP3 the decision is about
    decision TEXT NOT NULL,          -- approved, held, deadline-published, deadline-kept
    user     TEXT NOT NULL,
    at       TEXT NOT NULL,          -- UTC ISO-8601
    note     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS approvals_slot ON approvals (program, date, id);
"""


class ApprovalError(RadioGenError):
    """A program cannot be approved or held (not built, changed meanwhile, store unusable)."""


def holds_back(config: StationConfig) -> bool:
    """Whether a build must leave latest/ alone until the program is approved."""
    return config.approval.required


@dataclass(frozen=True)
class Decision:
    program: str
    date: dt.date
    hash: str
    decision: str
    user: str
    at: dt.datetime
    note: str = ""


_hashes: dict[tuple[str, int, int], str] = {}
_hashes_lock = threading.Lock()


def content_hash(path: Path) -> str | None:
    """SHA-256 of a file, remembered while its size and time are unchanged; None if missing."""
    try:
        info = path.stat()
    except OSError:
        return None
    key = (str(path), info.st_size, info.st_mtime_ns)
    with _hashes_lock:
        if key in _hashes:
            return _hashes[key]
    digest = _sha256(path)
    with _hashes_lock:
        if len(_hashes) > 4096:
            _hashes.clear()
        _hashes[key] = digest
    return digest


def _sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


class Approvals:
    """The `approvals` table of one station file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        create_tables(path, Schema("approvals", (SCHEMA,)), ApprovalError)

    def _connect(self, immediate: bool = False) -> AbstractContextManager[sqlite3.Connection]:
        return transaction(self.path, ApprovalError, "approvals", immediate=immediate)

    def add(self, db: sqlite3.Connection, decision: Decision) -> None:
        db.execute("INSERT INTO approvals (program, date, hash, decision, user, at, note) VALUES (?,?,?,?,?,?,?)",
                   (decision.program, decision.date.isoformat(), decision.hash, decision.decision, decision.user,
                    decision.at.astimezone(dt.timezone.utc).isoformat(), decision.note))

    def for_slot(self, program: str, date: dt.date, limit: int = 20,
                 db: sqlite3.Connection | None = None) -> list[Decision]:
        """Newest first."""
        query = ("SELECT program, date, hash, decision, user, at, note FROM approvals"
                 " WHERE program = ? AND date = ? ORDER BY id DESC LIMIT ?")
        if db is not None:
            return _decisions(db.execute(query, (program, date.isoformat(), limit)).fetchall())
        with self._connect() as own:
            return _decisions(own.execute(query, (program, date.isoformat(), limit)).fetchall())

    def recent(self, limit: int = 20) -> list[Decision]:
        with self._connect() as db:
            return _decisions(db.execute("SELECT program, date, hash, decision, user, at, note FROM approvals"
                                         " ORDER BY id DESC LIMIT ?", (limit,)).fetchall())

    def released(self, program: str, date: dt.date, digest: str) -> bool:
        """Whether this build was approved, or published at its deadline: listeners may have it."""
        with self._connect() as db:
            return db.execute("SELECT 1 FROM approvals WHERE program = ? AND date = ? AND hash = ?"
                              " AND decision IN (?, ?) LIMIT 1",
                              (program, date.isoformat(), digest, APPROVED, DEADLINE_PUBLISHED)).fetchone() is not None

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: decisions taken in it are serialized with other processes'."""
        with self._connect(immediate=True) as db:
            yield db


def _decisions(rows: list[tuple]) -> list[Decision]:
    return [Decision(r[0], dt.date.fromisoformat(r[1]), r[2], r[3], r[4], dt.datetime.fromisoformat(r[5]), r[6])
            for r in rows]


@dataclass(frozen=True)
class SlotApproval:
    """Where one built program stands: its hash, the decision that applies to it, whether it is on latest/."""

    hash: str | None
    decision: Decision | None
    published: bool
    history: tuple[Decision, ...] = ()

    @property
    def approved(self) -> bool:
        return self.decision is not None and self.decision.decision == APPROVED

    @property
    def held(self) -> bool:
        return self.decision is not None and self.decision.decision == HELD


def slot_status(config: StationConfig, approvals: Approvals, program: str, date: dt.date) -> SlotApproval:
    paths = program_paths(config.output.dir, date, program)
    digest = content_hash(paths.mp3)
    history = tuple(approvals.for_slot(program, date))
    current = next((d for d in history if d.hash == digest), None) if digest else None
    published = digest is not None and content_hash(paths.latest) == digest
    return SlotApproval(digest, current, published, history)


def _publish(config: StationConfig, program: str, date: dt.date, expected: str | None) -> str:
    """Put the build published for `date` on latest/; returns the hash of exactly what was published."""
    try:
        build = published_build(config.output.dir, date, program)
    except PublishError:
        raise ApprovalError(f"program '{program}' of {date} is not built: nothing to approve") from None
    digest = _sha256(build)
    if expected is not None and digest != expected:
        raise ApprovalError(f"program '{program}' of {date} was rebuilt since it was opened: "
                            "listen to the new build before approving it")
    try:
        promote(config.output.dir, program, build)
    except PublishError as exc:
        raise ApprovalError(str(exc)) from None
    return digest


def approve(config: StationConfig, program: str, date: dt.date, user: str, expected: str | None = None,
            now: dt.datetime | None = None) -> Decision:
    """Record the approval of the build with hash `expected` (the one the approver heard) and publish it."""
    config.program(program)
    approvals = Approvals(config.store_path)
    with approvals.writing() as db:
        digest = _publish(config, program, date, expected)
        decision = Decision(program, date, digest, APPROVED, user, now or clock.now())
        approvals.add(db, decision)
    log.info("%s %s: approved by %s (build %s)", program, date, user, digest[:12])
    return decision


def hold(config: StationConfig, program: str, date: dt.date, user: str, note: str = "",
         expected: str | None = None, now: dt.datetime | None = None) -> Decision:
    """Record that the build must not air as it is.

    If it is already on latest/ (approved, then found wrong), the last other build that
    was released for this program goes back there; with none, latest/ stays as it is.
    """
    config.program(program)
    paths = program_paths(config.output.dir, date, program)
    digest = content_hash(paths.mp3)
    if digest is None:
        raise ApprovalError(f"program '{program}' of {date} is not built: nothing to hold")
    if expected is not None and digest != expected:
        raise ApprovalError(f"program '{program}' of {date} was rebuilt since it was opened")
    approvals = Approvals(config.store_path)
    decision = Decision(program, date, digest, HELD, user, now or clock.now(), note)
    with approvals.writing() as db:
        approvals.add(db, decision)
        if content_hash(paths.latest) == digest:
            _put_back_previous(config, db, program, digest)
    log.info("%s %s: held by %s (build %s)", program, date, user, digest[:12])
    return decision


def _put_back_previous(config: StationConfig, db: sqlite3.Connection, program: str, held: str) -> None:
    rows = db.execute("SELECT date, hash FROM approvals WHERE program = ? AND hash != ? AND decision IN (?, ?)"
                      " ORDER BY id DESC LIMIT 50", (program, held, APPROVED, DEADLINE_PUBLISHED)).fetchall()
    for day, digest in rows:
        date = dt.date.fromisoformat(day)
        if content_hash(program_paths(config.output.dir, date, program).mp3) == digest:
            _publish(config, program, date, digest)
            log.warning("%s: held build taken off latest/; the program released for %s is back", program, day)
            return
    log.warning("%s: the held build stays on latest/: no earlier released build is left to put back", program)


def enforce_deadlines(config: StationConfig, now: dt.datetime) -> list[Decision]:
    """Apply the policy to every built, unapproved program whose approval deadline has passed.

    Called by the scheduler daemon and the newsroom server every few seconds; a
    decision is taken once per build (concurrent callers are serialized by SQLite).
    """
    rules = config.approval
    if not rules.required:
        return []
    approvals = Approvals(config.store_path)
    taken = []
    local = now.astimezone(config.tz)
    for program in config.programs:
        for day in (local.date() - dt.timedelta(days=1), local.date(), local.date() + dt.timedelta(days=1)):
            broadcast = dt.datetime.combine(day, program.broadcast, tzinfo=config.tz)
            due = broadcast - dt.timedelta(minutes=rules.approve_by_minutes)
            if not due <= local < broadcast + DEADLINE_WINDOW:
                continue
            decision = _at_deadline(config, approvals, rules, program.id, day, now)
            if decision is not None:
                taken.append(decision)
    return taken


def _at_deadline(config: StationConfig, approvals: Approvals, rules: ApprovalSettings, program: str,
                 day: dt.date, now: dt.datetime) -> Decision | None:
    digest = content_hash(program_paths(config.output.dir, day, program).mp3)
    if digest is None:
        return None
    with approvals.writing() as db:
        current = next((d for d in approvals.for_slot(program, day, db=db) if d.hash == digest), None)
        if current is not None and current.decision != HELD:
            return None              # approved, or the deadline was already applied to this build
        # The decision's kind says it all (a hold keeps its own row and reason); no note in one language.
        if current is not None or rules.policy == KEEP_LAST_APPROVED:
            decision = Decision(program, day, digest, DEADLINE_KEPT, DEADLINE_USER, now)
        else:
            digest = _publish(config, program, day, digest)
            decision = Decision(program, day, digest, DEADLINE_PUBLISHED, DEADLINE_USER, now)
        approvals.add(db, decision)
    log.warning("ALERT %s %s: approval deadline passed unapproved%s: %s", program, day,
                " (held)" if current is not None else "",
                "published unheard" if decision.decision == DEADLINE_PUBLISHED else "latest/ keeps the last approved")
    return decision
