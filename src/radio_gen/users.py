"""Newsroom users, their roles and passwords, and the journal of who changed what.

Kept in the station's SQLite file beside the run history (own tables, WAL, busy
timeout). Passwords are hashed with scrypt (memory-hard, in the standard library);
a stored hash names its parameters, so they can be raised later without breaking
existing users.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import hmac
import json
import re
import secrets
import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from radio_gen import clock
from radio_gen.errors import RadioGenError
from radio_gen.stationdb import Schema, create_tables, transaction

#: Roles from least to most trusted; a role may do everything the ones before it may.
ROLES = ("editor", "approver", "admin")
#: scrypt cost: 16 MiB and ~50 ms per check on a station PC.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD = 8
_NAME = re.compile(r"^[A-Za-z0-9._-]{1,40}$")

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name     TEXT PRIMARY KEY,
    role     TEXT NOT NULL,
    password TEXT NOT NULL,
    created  TEXT NOT NULL,
    changed  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS journal (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,          -- UTC ISO-8601
    user   TEXT NOT NULL,          -- who (a user name, or 'cli', 'scheduler')
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS journal_at ON journal (id);
"""


class UserError(RadioGenError):
    """A user cannot be added, changed or found, or the station file cannot be used."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    created: dt.datetime

    def may(self, role: str) -> bool:
        """Whether this user holds `role` or a more trusted one."""
        return ROLES.index(self.role) >= ROLES.index(role)


@dataclass(frozen=True)
class Entry:
    """One line of the journal."""

    at: dt.datetime
    user: str
    action: str
    detail: dict[str, Any]


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                            maxmem=64 * 1024 * 1024, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def check_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                             maxmem=128 * 1024 * 1024, dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


@functools.cache
def _dummy_hash() -> str:
    """Checked against when a name is unknown, so a wrong name costs as long as a wrong password."""
    return hash_password("radio-gen-dummy")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _now() -> dt.datetime:
    return clock.now()


class Users:
    """The `users` and `journal` tables of one station file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        create_tables(path, Schema("users", (SCHEMA,)), UserError)

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return transaction(self.path, UserError, "users")

    # -- users ------------------------------------------------------------------------
    def add(self, name: str, role: str, password: str, *, by: str) -> User:
        _check_name(name)
        _check_role(role)
        _check_password(password)
        now = _now().isoformat()
        with self._connect() as db:
            if db.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise UserError(f"user '{name}' exists already (change the password with `radio-gen users passwd`)")
            db.execute("INSERT INTO users VALUES (?, ?, ?, ?, ?)", (name, role, hash_password(password), now, now))
            self._log(db, by, "user.add", {"name": name, "role": role})
        return User(name, role, dt.datetime.fromisoformat(now))

    def set_password(self, name: str, password: str, *, by: str) -> None:
        _check_password(password)
        with self._connect() as db:
            changed = db.execute("UPDATE users SET password = ?, changed = ? WHERE name = ?",
                                 (hash_password(password), _now().isoformat(), name)).rowcount
            if not changed:
                raise UserError(f"no user '{name}' (see `radio-gen users list`)")
            self._log(db, by, "user.passwd", {"name": name})

    def set_role(self, name: str, role: str, *, by: str) -> None:
        _check_role(role)
        with self._connect() as db:
            if not db.execute("UPDATE users SET role = ?, changed = ? WHERE name = ?",
                              (role, _now().isoformat(), name)).rowcount:
                raise UserError(f"no user '{name}' (see `radio-gen users list`)")
            self._log(db, by, "user.role", {"name": name, "role": role})

    def remove(self, name: str, *, by: str) -> None:
        with self._connect() as db:
            if not db.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount:
                raise UserError(f"no user '{name}' (see `radio-gen users list`)")
            self._log(db, by, "user.remove", {"name": name})

    def get(self, name: str) -> User | None:
        with self._connect() as db:
            row = db.execute("SELECT name, role, created FROM users WHERE name = ?", (name,)).fetchone()
        return User(row[0], row[1], dt.datetime.fromisoformat(row[2])) if row else None

    def all(self) -> list[User]:
        with self._connect() as db:
            rows = db.execute("SELECT name, role, created FROM users ORDER BY name").fetchall()
        return [User(r[0], r[1], dt.datetime.fromisoformat(r[2])) for r in rows]

    def authenticate(self, name: str, password: str) -> User | None:
        """The user when the password is right, else None (same cost either way)."""
        with self._connect() as db:
            row = db.execute("SELECT name, role, created, password FROM users WHERE name = ?", (name,)).fetchone()
        if row is None:
            check_password(password, _dummy_hash())
            return None
        if not check_password(password, row[3]):
            return None
        return User(row[0], row[1], dt.datetime.fromisoformat(row[2]))

    # -- journal ----------------------------------------------------------------------
    def record(self, user: str, action: str, **detail: Any) -> None:
        with self._connect() as db:
            self._log(db, user, action, detail)

    def journal(self, limit: int = 50, *, kinds: tuple[str, ...] = (), exclude: tuple[str, ...] = (),
                offset: int = 0) -> list[Entry]:
        """Newest first; `kinds` keeps, `exclude` leaves out actions named K or starting "K."."""
        def match(kind: str) -> tuple[str, list[str]]:
            return "(action = ? OR action LIKE ? ESCAPE '\\')", [kind, kind.replace("_", "\\_") + ".%"]

        where: list[str] = ["1"]
        values: list[str] = []
        if kinds:
            parts = [match(k) for k in kinds]
            where.append("(" + " OR ".join(p for p, _ in parts) + ")")
            values.extend(v for _, vs in parts for v in vs)
        for kind in exclude:
            clause, vs = match(kind)
            where.append(f"NOT {clause}")
            values.extend(vs)
        with self._connect() as db:
            rows = db.execute(f"SELECT at, user, action, detail FROM journal WHERE {' AND '.join(where)} "
                              "ORDER BY id DESC LIMIT ? OFFSET ?", (*values, limit, offset)).fetchall()
        return [Entry(dt.datetime.fromisoformat(r[0]), r[1], r[2], json.loads(r[3])) for r in rows]

    @staticmethod
    def _log(db: sqlite3.Connection, user: str, action: str, detail: dict[str, Any]) -> None:
        db.execute("INSERT INTO journal (at, user, action, detail) VALUES (?, ?, ?, ?)",
                   (_now().isoformat(), user, action, json.dumps(detail, ensure_ascii=False, default=str)))


def _check_name(name: str) -> None:
    if not _NAME.match(name):
        raise UserError(f"user name {name!r}: use 1-40 ASCII letters, digits, '.', '-' or '_' (e.g. bien-tap-1)")


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise UserError(f"role {role!r}: must be one of {', '.join(ROLES)}")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must have at least {MIN_PASSWORD} characters")
