"""The station's program templates as editors change them: customise, save, versions, compare, restore.

The newsroom's "Mẫu chương trình" page and `radio-gen templates …` both call these
functions. The template the build reads stays a plain file in the station's templates
folder (written atomically); every saved text is also kept, with who saved it and
when, in the station's SQLite file (table `template_versions`). SQLite rather than
files beside the template: a save's version check and its new version are one
transaction shared by the web app and the CLI, and old versions never sit in the
folder the template loader reads, where `{% include %}` could reach them.

A save names the version it started from; if someone saved since, it is refused
(`TemplateConflict`). A save is validated in the build's sandbox first
(`template_check.check_draft`): a template that would stop the build is never written.
A change made to the file outside radio-gen (an editor on the station PC) is recorded
as a version by "disk" (and journaled) the next time the template is read, so it is kept too.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from radio_gen.config import StationConfig
from radio_gen.errors import RadioGenError
from radio_gen import atomic, stationdb
from radio_gen.stationdb import Schema, create_tables, transaction
from radio_gen.template_check import Problem, check_draft
from radio_gen.users import Users

#: A template's name: a plain file name ending in .j2, no folders.
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}\.j2$")
MAX_TEMPLATE_CHARS = 100_000
DISK = "disk"
#: How a version came to be (the `action` column).
ACTIONS = ("customise", "save", "restore", DISK)

SCHEMA = """
CREATE TABLE IF NOT EXISTS template_versions (
    name          TEXT NOT NULL,
    version       INTEGER NOT NULL,
    source        TEXT NOT NULL,
    author        TEXT NOT NULL,       -- a user name, 'cli:NAME', or 'disk' (changed outside radio-gen)
    at            TEXT NOT NULL,       -- UTC ISO-8601
    action        TEXT NOT NULL,       -- customise, save, restore, disk
    restored_from INTEGER,
    PRIMARY KEY (name, version)
);
"""


class TemplateVersionError(RadioGenError):
    """A template cannot be found, read, saved or restored."""


class TemplateNameError(TemplateVersionError):
    """The name is not a plain template file name (folders, dots, other extensions)."""


class TemplateConflict(TemplateVersionError):
    """Someone saved the template since it was opened: the save is refused, nothing is overwritten."""


class TemplateInvalid(TemplateVersionError):
    """The text would stop the build; `problems` say where. Nothing was saved."""

    def __init__(self, name: str, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0]
        super().__init__(f"{name} not saved: {first.message}" + (f" (and {len(problems) - 1} more)"
                                                                 if len(problems) > 1 else ""))


@dataclass(frozen=True)
class Version:
    name: str
    version: int
    source: str
    author: str
    at: dt.datetime
    action: str
    restored_from: int | None = None


@dataclass(frozen=True)
class Template:
    """A template as the build reads it now: the station's file, else the built-in one."""

    name: str
    source: str
    builtin: bool           # radio-gen ships a template of this name
    customised: bool        # the station has its own file, which the build reads
    version: int            # the latest saved version (0: never saved)
    latest: Version | None


def check_name(name: str) -> str:
    if not NAME.match(name or ""):
        raise TemplateNameError(f"template name {name!r}: use a plain file name ending in .j2, "
                                "without folders (e.g. item.j2)")
    return name


def builtin_names() -> list[str]:
    folder = importlib.resources.files("radio_gen").joinpath("templates")
    return sorted(p.name for p in folder.iterdir() if NAME.match(p.name))


def builtin_source(name: str) -> str | None:
    if name not in builtin_names():
        return None
    return importlib.resources.files("radio_gen").joinpath("templates", name).read_text(encoding="utf-8")


def _folder(config: StationConfig) -> Path:
    return config.templates_dir


def _read_file(config: StationConfig, name: str) -> str | None:
    """The station's file of `name`, or None; a symlink out of the templates folder is not read."""
    path = _folder(config) / check_name(name)
    if not path.exists() and not path.is_symlink():
        return None
    try:
        resolved = path.resolve(strict=True)
        inside = resolved.is_relative_to(_folder(config).resolve(strict=True))
    except (OSError, RuntimeError):
        inside = False
    if not inside or not resolved.is_file():
        raise TemplateVersionError(f"{path} points outside the station's templates folder: not read")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise TemplateVersionError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    except OSError as exc:
        raise TemplateVersionError(f"{path}: cannot be read: {exc.strerror}") from None


def _db(config: StationConfig) -> Path:
    create_tables(config.store_path, Schema("template_versions", (SCHEMA,)), TemplateVersionError)
    return config.store_path


def _row(row: tuple) -> Version:
    return Version(row[0], row[1], row[2], row[3], dt.datetime.fromisoformat(row[4]), row[5], row[6])


_COLUMNS = "name, version, source, author, at, action, restored_from"


def _latest(db: sqlite3.Connection, name: str) -> Version | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM template_versions WHERE name = ? ORDER BY version DESC LIMIT 1",
                     (name,)).fetchone()
    return _row(row) if row else None


def _insert(db: sqlite3.Connection, name: str, number: int, source: str, author: str, action: str,
            restored_from: int | None = None) -> Version:
    at = stationdb.now()
    db.execute(f"INSERT INTO template_versions ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
               (name, number, source, author, at.isoformat(), action, restored_from))
    return Version(name, number, source, author, at, action, restored_from)


@contextmanager
def _session(config: StationConfig, name: str) -> Iterator[tuple[sqlite3.Connection, str | None, Version | None]]:
    """One locked transaction with the station file's text and the latest version.

    A file changed outside radio-gen (an editor on the station PC) is first recorded as
    a version by "disk", and journaled once the transaction commits.
    """
    adopted: list[tuple[Version, str]] = []
    with transaction(_db(config), TemplateVersionError, "template versions", immediate=True) as db:
        text = _read_file(config, name)
        latest = _latest(db, name)
        if text is not None and (latest is None or latest.source != text):
            before = latest.source if latest else builtin_source(name) or ""
            latest = _insert(db, name, (latest.version if latest else 0) + 1, text, DISK, DISK)
            adopted.append((latest, before))
        yield db, text, latest
    for found, before in adopted:
        Users(config.store_path).record(DISK, "template.disk", name=name, version=found.version,
                                        diff=_changed_lines(before, found.source))


def current(config: StationConfig, name: str) -> Template:
    """The template `name` as the build reads it now, with its latest version."""
    builtin = builtin_source(check_name(name))
    with _session(config, name) as (_unused, text, latest):
        pass                                # read (and a change on disk recorded) under the lock
    if text is None and builtin is None:
        raise TemplateVersionError(f"no template {name} (built-in: {', '.join(builtin_names())}; "
                                   f"the station's are in {_folder(config)})")
    return Template(name, text if text is not None else builtin or "", builtin is not None, text is not None,
                    latest.version if latest else 0, latest)


def names(config: StationConfig) -> list[str]:
    """Built-in templates, the station's own and those its programs name."""
    found = set(builtin_names())
    folder = _folder(config)
    if folder.is_dir():
        found.update(p.name for p in folder.iterdir() if NAME.match(p.name) and (p.is_file() or p.is_symlink()))
    found.update(p.template for p in config.programs if NAME.match(p.template))
    return sorted(found)


def listing(config: StationConfig) -> list[Template]:
    """Every template of the station (those that cannot be read are left out)."""
    out = []
    for name in names(config):
        try:
            out.append(current(config, name))
        except TemplateVersionError:
            continue
    return out


def versions(config: StationConfig, name: str) -> list[Version]:
    """Every saved version of `name`, newest first."""
    check_name(name)
    with _session(config, name) as (db, _text, _latest_version):
        rows = db.execute(f"SELECT {_COLUMNS} FROM template_versions WHERE name = ? ORDER BY version DESC",
                          (name,)).fetchall()
    return [_row(r) for r in rows]


def version(config: StationConfig, name: str, number: int) -> Version:
    check_name(name)
    with transaction(_db(config), TemplateVersionError, "template versions") as db:
        row = db.execute(f"SELECT {_COLUMNS} FROM template_versions WHERE name = ? AND version = ?",
                         (name, number)).fetchone()
    if row is None:
        raise TemplateVersionError(f"{name} has no version {number} (see `radio-gen templates versions {name}`)")
    return _row(row)


def save(config: StationConfig, name: str, source: str, *, expected_version: int, by: str, date: dt.date,
         action: str = "save", restored_from: int | None = None) -> Version:
    """Validate `source` in the build's sandbox, then write it as the station's `name` and keep it as a version.

    Raises `TemplateInvalid` (nothing saved) when the build would fail with it, and
    `TemplateConflict` when someone saved since `expected_version`. Saving the text the
    template already has returns its latest version and records nothing.
    """
    check_name(name)
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    if len(source) > MAX_TEMPLATE_CHARS:
        raise TemplateVersionError(f"{name}: at most {MAX_TEMPLATE_CHARS:,} characters")
    problems = check_draft(config, name, source, date)
    if problems:
        raise TemplateInvalid(name, problems)
    with _session(config, name) as (db, text, latest):
        number = latest.version if latest else 0
        if number != expected_version:
            assert latest is not None
            when = latest.at.astimezone(config.tz).strftime("%d/%m/%Y %H:%M")
            raise TemplateConflict(f"{name} was saved by {latest.author} at {when} (version {number}) since you "
                                   f"opened it (version {expected_version}): your text was not saved; "
                                   "open it again and redo your change")
        if text == source and latest is not None:
            return latest
        _write(config, name, source)
        saved = _insert(db, name, number + 1, source, by, action, restored_from)
    before = text if text is not None else builtin_source(name) or ""
    Users(config.store_path).record(by, f"template.{action}", name=name, version=saved.version,
                                    restored_from=restored_from, diff=_changed_lines(before, source))
    return saved


def customise(config: StationConfig, name: str, *, by: str, date: dt.date) -> Version:
    """Copy the built-in `name` into the station's folder, where editors change it."""
    template = current(config, name)
    if template.customised:
        raise TemplateVersionError(f"{name} is already the station's own ({_folder(config) / name}): edit it")
    if not template.builtin:
        raise TemplateVersionError(f"no built-in template {name}")
    return save(config, name, template.source, expected_version=template.version, by=by, date=date,
                action="customise")


def restore(config: StationConfig, name: str, number: int, *, expected_version: int, by: str,
            date: dt.date) -> Version:
    """Make version `number` the template again: itself a new saved version (validated like any save)."""
    old = version(config, name, number)
    return save(config, name, old.source, expected_version=expected_version, by=by, date=date, action="restore",
                restored_from=number)


def compare(config: StationConfig, name: str, old: int, new: int | None = None) -> list[tuple[str, str]]:
    """Line diff from version `old` to version `new` (default: the template as the build reads it now)."""
    from radio_gen.editing import diff

    before = version(config, name, old).source
    after = current(config, name).source if new is None else version(config, name, new).source
    return diff(before, after)


def _changed_lines(before: str, after: str) -> list[str]:
    from radio_gen.editing import diff

    return [f"{mark} {line}" for mark, line in diff(before, after) if mark != " "][:40]


def _write(config: StationConfig, name: str, source: str) -> None:
    """Write the station's file atomically (a build never reads half a template); a symlink is replaced."""
    folder = _folder(config)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TemplateVersionError(f"cannot write in {folder}: {exc.strerror}") from None
    try:
        atomic.write_text(folder / name, source, mode=0o644, fsync=True)
    except OSError as exc:
        raise TemplateVersionError(f"cannot write {folder / name}: {exc.strerror}") from None
