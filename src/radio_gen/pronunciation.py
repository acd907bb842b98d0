"""The station's lexicon file edited entry by entry (the newsroom's "Phát âm" page).

The file stays the plain `ABBR = reading` format of docs/lexicon.md, so CLI users and
the web page share it: an entry's line is replaced in place (comments and other lines
are kept), a new entry is appended, and the file is written under a temporary name and
renamed, so a build never reads half a file.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from radio_gen import atomic
from radio_gen.config import StationConfig
from radio_gen.text import Lexicon, TextError
from radio_gen.text.abbreviations import _canon, _strip_comment, parse_lexicon
from radio_gen.text.errors import LexiconError

#: Where the page keeps entries when the station file names no lexicon.


@dataclass(frozen=True)
class Entry:
    key: str
    reading: str
    #: The built-in reading this entry replaces, if any.
    overrides: str | None


def lexicon_path(config: StationConfig) -> Path:
    """The station's lexicon file: `[text] lexicon`, else lexicon.txt in the station folder."""
    return config.lexicon_file


def builtin_reading(key: str) -> str | None:
    """The reading the shipped lexicon gives `key`, if it has one."""
    canon = _canon(unicodedata.normalize("NFC", key.strip()))
    for written, reading in Lexicon.default().items():
        if _canon(written) == canon:
            return reading
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"cannot read lexicon {path}: {exc}") from None


def entries(path: Path) -> list[Entry]:
    """The file's entries (later lines win, as in the build), each with the built-in reading it overrides."""
    found, _problems = parse_lexicon(_read(path), path.name)
    merged: dict[str, tuple[str, str]] = {}
    for key, reading in found:
        merged[_canon(key)] = (key, reading)
    return [Entry(key, reading, builtin_reading(key)) for key, reading in merged.values()]


def check(key: str, reading: str) -> tuple[str, str]:
    """A clean (key, reading), or LexiconError with the format's own message."""
    key, reading = " ".join(key.split()), " ".join(reading.split())
    if "#" in key or "#" in reading or "\n" in key + reading:
        raise LexiconError("'#' starts a comment in the lexicon file: leave it out of the entry")
    parsed, problems = parse_lexicon(f"{key} = {reading}", "entry")
    if problems or not parsed:
        raise LexiconError(problems[0].replace("entry line 1: ", "") if problems else "empty entry")
    return parsed[0]


def _line_key(line: str) -> str | None:
    body = _strip_comment(unicodedata.normalize("NFC", line.lstrip("\ufeff"))).strip()
    key, eq, _ = body.partition("=")
    return _canon(key.strip()) if eq and key.strip() else None


def save(path: Path, key: str, reading: str, *, replaces: str | None = None) -> Entry:
    """Add or change an entry (`replaces`: the key it had before, when it is renamed)."""
    key, reading = check(key, reading)
    drop = {_canon(key)} | ({_canon(replaces)} if replaces else set())
    lines = [line for line in _read(path).splitlines() if _line_key(line) not in drop]
    lines.append(f"{key} = {reading}")
    write_atomic(path, "\n".join(lines) + "\n")
    return Entry(key, reading, builtin_reading(key))


def delete(path: Path, key: str) -> bool:
    """Remove every line of `key`; False when there was none."""
    canon = _canon(" ".join(key.split()))
    before = _read(path).splitlines()
    after = [line for line in before if _line_key(line) != canon]
    if len(after) == len(before):
        return False
    write_atomic(path, "\n".join(after) + ("\n" if after else ""))
    return True


def write_atomic(path: Path, text: str) -> None:
    """The whole new lexicon or the old one, flushed to disk (see `atomic`)."""
    try:
        atomic.write_text(path, text, mode=0o644, fsync=True)
    except OSError as exc:
        raise LexiconError(f"cannot write lexicon {path}: {exc.strerror or exc}") from None


def load_lexicon(config: StationConfig) -> tuple[Lexicon, list[str]]:
    """The lexicon a build reads (the station's file, else the built-in one) and the problems of the file:
    a broken station lexicon never stops a build."""
    if config.lexicon is None and not config.lexicon_file.exists():
        return Lexicon.default(), []
    try:
        lexicon = Lexicon.from_file(config.lexicon_file)
    except TextError as exc:
        return Lexicon.default(), [f"station lexicon not used: {exc}"]
    return lexicon, list(lexicon.problems)
