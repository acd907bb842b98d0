"""The generic reader of settings tables: types, unknown keys, ranges, operator-facing messages.

Every subsystem's settings dataclass parses itself from its table of the station file
with a `TableReader`; this module knows nothing of any particular table. Each error names
the file, the key and what is wrong, because the person reading it is a station operator
editing a text file, not a Python programmer.

A setting is declared once, on its dataclass field, with its default and its check:

    speed: int = setting(150, low=80, high=450, unit="words per minute")

and `reader.fill(SpeechSettings)` reads every such field (a field with a hand-written
parser is listed in `skip`). The fields so declared are also the table's keys
(`keys_of`), so a key nobody reads cannot be added by mistake.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import MISSING, Field, dataclass, field, fields
from pathlib import Path
from typing import Any

from radio_gen.errors import RadioGenError

#: Table paths to their keys; "" is the top level, "voices.*" any [voices.NAME].
Schema = Mapping[str, frozenset[str]]


class ConfigError(RadioGenError):
    """The station file is missing, unreadable or has a wrong value."""


@dataclass(frozen=True)
class Setting:
    """How one field is read from its table: its type and the one range check it may have."""

    kind: type | tuple[type, ...]
    low: float | None = None
    high: float | None = None
    #: `low` itself excluded (a timeout of 0 makes no sense, 0.5 does).
    above: bool = False
    unit: str = ""
    #: Replaces "must be between low and high" in the message (", got VALUE" follows).
    says: str | None = None
    #: The only values allowed (then `says` is the message).
    choices: tuple[Any, ...] | None = None
    #: The TOML key when it differs from the field name.
    key: str | None = None


def setting(default: Any, *, kind: type | tuple[type, ...] | None = None, low: float | None = None,
            high: float | None = None, above: bool = False, unit: str = "", says: str | None = None,
            choices: tuple[Any, ...] | None = None, key: str | None = None) -> Any:
    """A dataclass field that is a key of its table: its default, type and check in one place."""
    # A StrEnum default (approval's OnDeadline) is written in TOML as its plain string.
    spec = Setting(kind or (str if isinstance(default, str) else type(default)), low, high, above, unit, says,
                   choices, key)
    return field(default=default, metadata={"setting": spec})


def _settings_of(cls: type) -> list[tuple[Field[Any], Setting]]:
    return [(f, f.metadata["setting"]) for f in fields(cls) if "setting" in f.metadata]


def keys_of(cls: type, *more: str) -> frozenset[str]:
    """The TOML keys of a settings class: its `setting()` fields, and `more`."""
    return frozenset(spec.key or f.name for f, spec in _settings_of(cls)) | frozenset(more)


def table_label(schema: str, arrays: Iterable[str] = ()) -> str:
    """How the operator writes the table: [speech], [[programs]], [voices.NAME]."""
    if schema in arrays:
        return f"[[{schema}]]"
    return f"[{schema.replace('*', 'NAME')}]" if schema else "the top of the file (before any [table])"


def show(value: Any, limit: int = 60) -> str:
    """A value as the operator wrote it, cut short: a 5,000-character typo is not echoed whole."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def number_text(value: float) -> str:
    return str(value) if isinstance(value, int) else f"{value:g}"


def nearest(name: str, choices: Any) -> str | None:
    """The valid name nearest a misspelled one (case aside), or None when none is near."""
    by_lower = {str(c).lower(): str(c) for c in choices}
    found = difflib.get_close_matches(name.strip().lower(), sorted(by_lower), n=1, cutoff=0.6)
    return by_lower[found[0]] if found else None


def closest(name: str, choices: Any) -> str:
    """"; did you mean 'x'?" for the valid name nearest `name`, or "" when none is near."""
    found = nearest(name, choices)
    return f"; did you mean {found!r}?" if found else ""


def kind_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "text in quotes", int: "a whole number", float: "a number", bool: "true or false",
             list: "a list like [\"a\", \"b\"]", dict: "a table"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def resolve_path(base: Path, raw: str, fail: Callable[[str], ConfigError]) -> Path:
    """`raw` with `~` expanded, relative to `base`; a path that cannot be made is `fail(problem)`."""
    if "\0" in raw:
        raise fail("must not contain a NUL character")
    try:
        path = Path(raw).expanduser()
    except RuntimeError:
        user = raw[1:].split("/", 1)[0]
        raise fail(f"{show(raw)}: there is no user {user!r} on this machine to take the home folder of; "
                   "write the full path") from None
    if path.parts and path.parts[0].startswith("~"):
        raise fail(f"{show(raw)}: no home folder is known (HOME is not set); write the full path")
    try:
        return path if path.is_absolute() else (base / path).resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        raise fail(f"{show(raw)} is not a usable path ({exc})") from None


def _table_keys(tables: Schema, table: str) -> frozenset[str]:
    """The keys `table` ("" for the top level) may hold: its settings and its sub-tables."""
    prefix = f"{table}." if table else ""
    children = {path[len(prefix):].split(".")[0] for path in tables if path.startswith(prefix)}
    return tables.get(table, frozenset()) | (children - {"*"})


class TableReader:
    """Typed access to one TOML table that reports `file: key 'table.key': problem`.

    Made with its `schema` (a path of `tables`), a reader refuses at once every key that
    table does not have: a misspelled key never silently leaves its default in place.
    `arrays` are the tables written as [[name]], one per item.
    """

    def __init__(self, origin: str, table: dict[str, Any], prefix: str = "", schema: str | None = None,
                 label: str = "", *, tables: Schema | None = None, arrays: frozenset[str] = frozenset()) -> None:
        self.origin, self.table, self.prefix = origin, table, prefix
        self.tables, self.arrays = tables or {}, arrays
        self.schema, self.label = schema, label or table_label(schema or "", arrays)
        if schema is not None:
            self._refuse_unknown(schema)

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.origin}: key '{self.prefix}{key}': {problem}")

    def keys(self, table: str) -> frozenset[str]:
        return _table_keys(self.tables, table)

    def _child_schema(self, key: str) -> str | None:
        if self.schema is None:
            return None
        path = f"{self.schema}.{key}" if self.schema else key
        if path in self.tables:
            return path
        wildcard = f"{self.schema}.*" if self.schema else "*"
        return wildcard if wildcard in self.tables else None

    def _refuse_unknown(self, schema: str) -> None:
        known = self.keys(schema)
        open_tables = (f"{schema}.*" if schema else "*") in self.tables
        for key, value in self.table.items():
            if key in known or (open_tables and isinstance(value, dict)):
                continue
            near = nearest(key, known)
            if open_tables and not near:
                continue  # the table's parser says what a [NAME] table must be
            if isinstance(value, dict) or (isinstance(value, list) and value and
                                           all(isinstance(v, dict) for v in value)):
                name = f"{self.prefix}{key}"
                written = f"[[{name}]]" if isinstance(value, list) else f"[{name}]"
                child = self._child_schema(near) if near else None
                hint = f"; did you mean {table_label(child, self.arrays) if child else repr(near)}?" if near else ""
                raise ConfigError(f"{self.origin}: {written}: unknown table{hint}")
            if near:
                hint = f"; did you mean {near!r}?"
            else:
                owners = [table_label(t, self.arrays) for t, keys in self.tables.items()
                          if key in keys and t != schema]
                hint = (f"; '{key}' is a setting of {' or '.join(owners)}: in TOML a key belongs to the "
                        "[table] written above it, so move it under that header") if owners else \
                    f" (it has: {', '.join(sorted(known))})"
            raise self.fail(key, f"unknown key in {self.label}{hint}")

    def _child(self, table: dict[str, Any], prefix: str, schema: str | None, label: str) -> TableReader:
        return TableReader(self.origin, table, prefix, schema, label, tables=self.tables, arrays=self.arrays)

    def sub(self, key: str) -> TableReader:
        value = self.table.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, "must be a table like [" + self.prefix + key + "]")
        return self._child(value, f"{self.prefix}{key}.", self._child_schema(key), f"[{self.prefix}{key}]")

    def items(self, key: str) -> list[TableReader]:
        """The tables of a [[key]] array, one reader each."""
        raw = self.get(key, list, [])
        readers = []
        for index, table in enumerate(raw):
            if not isinstance(table, dict):
                raise self.fail(f"{key}[{index}]", f"must be a table written as [[{self.prefix}{key}]]")
            readers.append(self._child(table, f"{self.prefix}{key}[{index}].", self._child_schema(key),
                                       f"[[{self.prefix}{key}]] number {index + 1}"))
        return readers

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ..., *, required: bool = False) -> Any:
        if key not in self.table:
            if required or default is ...:
                raise self.fail(key, "is required")
            return default
        value = self.table[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if isinstance(value, bool) and kind is not bool:
            raise self.fail(key, f"must be {kind_name(kind)}, not true/false")
        if not isinstance(value, kind):
            raise self.fail(key, f"must be {kind_name(kind)}, got {show(value)}")
        if isinstance(value, str) and not value.strip():
            raise self.fail(key, "must not be empty")
        return value

    def checked(self, key: str, spec: Setting, default: Any) -> Any:
        """The value of `key` read and checked as `spec` says (the one style of range check)."""
        value = self.get(key, spec.kind, default)
        if value is None:
            return value
        if spec.choices is not None:
            if value in spec.choices:
                return value
            problem = spec.says or f"must be one of {', '.join(map(str, spec.choices))}"
        elif spec.low is None or spec.high is None:
            return value
        elif spec.low < value <= spec.high if spec.above else spec.low <= value <= spec.high:
            return value
        else:
            unit = f" {spec.unit}" if spec.unit else ""
            problem = spec.says or f"must be between {number_text(spec.low)} and {number_text(spec.high)}{unit}"
        shown = number_text(value) if isinstance(value, (int, float)) else show(value)
        raise self.fail(key, problem + f", got {shown}")

    def value(self, cls: type, name: str, default: Any = MISSING) -> Any:
        """Field `name` of settings class `cls`, read from this table (`default`: instead of the field's)."""
        found = next(((f, spec) for f, spec in _settings_of(cls) if f.name == name), None)
        if found is None:
            raise KeyError(f"{cls.__name__}.{name} is not a setting() field")
        f, spec = found
        return self.checked(spec.key or name, spec, f.default if default is MISSING else default)

    def fill(self, cls: type, *, skip: Iterable[str] = ()) -> dict[str, Any]:
        """Every `setting()` field of `cls` but `skip`, read from this table: keyword arguments for `cls`."""
        skipped = set(skip)
        return {f.name: self.checked(spec.key or f.name, spec, f.default)
                for f, spec in _settings_of(cls) if f.name not in skipped}

    def number(self, key: str, kind: type, default: Any, low: float, high: float, *, unit: str = "",
               above: bool = False, says: str | None = None) -> Any:
        """A number in [low, high] (`above`: low itself excluded); `says` replaces the usual message."""
        return self.checked(key, Setting(kind, low, high, above, unit, says), default)

    def time(self, key: str, default: Any = ...) -> dt.time:
        """A time of day in the station's timezone: "05:30" (or a TOML time, 05:30:00), no offset."""
        raw = self.table.get(key)
        if not isinstance(raw, dt.time):
            raw = self.get(key, str, default)
            try:
                raw = dt.time.fromisoformat(raw)
            except ValueError:
                raise self.fail(key, f"must be a time like \"05:30\", got {show(raw)}") from None
        if raw.tzinfo is not None:
            raise self.fail(key, f"must be a local time like \"05:30\", without an offset: times are read in "
                                 f"[station] timezone; got {show(self.table[key])}")
        return raw

    def path(self, key: str, base: Path, default: Any = None) -> Path | None:
        """A path relative to `base` (`default` ... : required)."""
        raw = self.get(key, str, default)
        return None if raw is None else resolve_path(base, raw, lambda problem: self.fail(key, problem))

    def choice(self, key: str, default: str | None, choices: Iterable[str]) -> str | None:
        """One of `choices`; the error lists them and names the nearest."""
        allowed = tuple(choices)
        value = self.get(key, str, default)
        if value is not None and value not in allowed:
            raise self.fail(key, f"must be one of {', '.join(allowed)}, got {show(value)}{closest(value, allowed)}")
        return value
