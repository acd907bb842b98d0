"""Abbreviations and foreign words, read from an editable lexicon.

The default list ships as ``data/lexicon.txt``; a station adds or overrides
entries with its own plain-text file (see ``docs/lexicon.md``)::

    UBND = ủy ban nhân dân
    TT HĐND = thường trực hội đồng nhân dân   # context: the next word decides
    TT = thị trấn                             # the reading when no longer key matches
    Covid = cô vít

Matching rules (kept simple so an editor can predict them):

* a key is matched as whole words (never inside a longer word or next to a digit);
* a word of a key written in capitals (``UBND``, the ``CA`` of ``CA huyện``)
  matches only in capitals, so an ordinary lowercase word ("ca") never expands;
  a word with a lowercase letter (``Covid``, ``Đ/c``, ``ha``) matches in any
  case: writing an entry in lowercase is how it says a lowercase form expands;
* an abbreviation in brackets right after its own expansion ("Căn cước công
  dân (CCCD)") is dropped: it would be said twice;
* the longest key wins, so ``TT Chính trị`` beats ``TT``;
* a key may end with a period (``TS.``, ``TP.``): the period is then read as
  part of the abbreviation, not as the end of a sentence.

A malformed line is reported in ``Lexicon.problems`` with its line number and
skipped; only an unreadable file raises :class:`LexiconError`.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path

from radio_gen.text import _data
from radio_gen.text.errors import LexiconError

#: A word-like token: letters joined by "/", "&", "." or "-" (Đ/c, KT-XH, v.v,
#: TP.HCM).  Atomic so that a token followed by a digit (U15) is not shortened.
_TOKEN = re.compile(r"(?<!\w)(?>[^\W\d_]+(?:[/&.\-][^\W\d_]+)*)(?!\w)")
_SPLIT = re.compile(r"([/&.\-])")
_WS = re.compile(r"\s+")
_HAS_DIGIT = re.compile(r"\d")
_DOT_GOES_ON = re.compile(r"\.\s+[^\W\d_]")
#: A station lexicon larger than this is not a lexicon (and is not read whole).
MAX_LEXICON_BYTES = 4 * 1024 * 1024


def _caps(word: str) -> bool:
    """A word written in capitals ("UBND", "CA"): matched only in capitals."""
    return word == word.upper() and word != word.lower()


def _canon(key: str) -> str:
    """Lookup form, word by word: a word in capitals keeps its case (it only
    matches in capitals, so "ca" is never "CA"), any other word is lower-cased."""
    key = _WS.sub(" ", unicodedata.normalize("NFC", key).strip())
    return " ".join(w if _caps(w) else w.lower() for w in key.split(" "))


def _word_pattern(word: str) -> str:
    return re.escape(word) if _caps(word) else f"(?i:{re.escape(word)})"


def _strip_comment(line: str) -> str:
    pos = line.find(" #")
    if pos < 0 and line.startswith("#"):
        return ""
    return line if pos < 0 else line[:pos]


class Lexicon(Mapping[str, str]):
    """An immutable mapping ``abbreviation -> reading`` with the matcher built in."""

    def __init__(self, entries: Mapping[str, str] | Iterable[tuple[str, str]] = (),
                 problems: Iterable[str] = ()) -> None:
        items = entries.items() if isinstance(entries, Mapping) else entries
        self._entries: dict[str, tuple[str, str]] = {}  # canon -> (written key, reading)
        for key, reading in items:
            key = _WS.sub(" ", unicodedata.normalize("NFC", key).strip())
            reading = _WS.sub(" ", unicodedata.normalize("NFC", reading).strip())
            if key and reading:
                self._entries[_canon(key)] = (key, reading)
        self.problems: list[str] = list(problems)
        self._build()

    # -- construction -------------------------------------------------------------
    @classmethod
    def default(cls) -> Lexicon:
        """The lexicon shipped with radio-gen (parsed once per process)."""
        return _default_lexicon()

    @classmethod
    def from_text(cls, text: str, *, name: str = "lexicon.txt",
                  base: Lexicon | None = None) -> Lexicon:
        """Parse lexicon lines; entries override those of ``base``."""
        entries, problems = parse_lexicon(text, name)
        merged = list(base.items()) if base is not None else []
        return cls(merged + entries, problems)

    @classmethod
    def from_file(cls, path: str | Path, *, base: Lexicon | None = None) -> Lexicon:
        """A station lexicon merged over ``base`` (the default lexicon if None)."""
        path = Path(path)
        try:
            raw = _read_regular_file(path)
            text = raw.decode("utf-8-sig")
        except OSError as exc:
            raise LexiconError(f"cannot read lexicon {path}: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise LexiconError(
                f"cannot read lexicon {path}: not UTF-8 text (byte {exc.start}); "
                "save it as UTF-8 in your editor") from exc
        return cls.from_text(text, name=path.name, base=cls.default() if base is None else base)

    # -- mapping protocol ----------------------------------------------------------
    def __getitem__(self, key: str) -> str:
        return self._entries[_canon(key)][1]

    def __iter__(self) -> Iterator[str]:
        return (written for written, _ in self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"<Lexicon {len(self)} entries, {len(self.problems)} problems>"

    def abbreviations(self) -> frozenset[str]:
        """Every key as written in the lexicon files."""
        return frozenset(self)

    # -- matching ------------------------------------------------------------------
    def _build(self) -> None:
        self._single_exact: dict[str, str] = {}
        self._single_fold: dict[str, str] = {}
        multi: dict[str, list[tuple[int, re.Pattern[str], str]]] = {}
        coded: list[tuple[str, bool]] = []
        self._coded_readings: dict[str, str] = {}
        for canon, (_written, reading) in self._entries.items():
            first, _, rest = canon.partition(" ")
            fold = not _caps(canon)
            if _HAS_DIGIT.search(canon):  # "U23", "COVID-19": matched before the number rules
                coded.append((canon, fold))
                self._coded_readings[canon] = reading
            elif rest:
                pattern = r"\s+" + r"\s+".join(_word_pattern(w) for w in rest.split(" "))
                if not rest.endswith("."):
                    pattern += r"(?!\w)"
                multi.setdefault(first, []).append((len(rest), re.compile(pattern), reading))
            elif fold:
                self._single_fold[canon] = reading
            else:
                self._single_exact[canon] = reading
        self._multi = {k: [(p, r) for _, p, r in sorted(v, key=lambda t: -t[0])]
                       for k, v in multi.items()}
        alternatives = [r"\s+".join(map(_word_pattern, key.split(" ")))
                        for key, _ in sorted(coded, key=lambda kf: -len(kf[0]))]
        self._coded = (re.compile(r"(?<![\w.,])(?:" + "|".join(alternatives) + r")(?!\w|[.,]\d)")
                       if alternatives else None)

    def expand_coded(self, text: str) -> str:
        """Entries whose key holds a digit ("U23 = u hai ba"): applied before the
        number rules, so a station can override how a code is read."""
        if self._coded is None or not _HAS_DIGIT.search(text):
            return text
        return self._coded.sub(self._coded_reading, text)

    def _coded_reading(self, m: re.Match[str]) -> str:
        return self._coded_readings.get(_canon(m.group(0)), m.group(0))

    def _lookup(self, token: str) -> str | None:
        reading = self._single_exact.get(token)
        if reading is None and "." in token:  # "Tp." is "TP.": a dotted short form
            reading = self._single_exact.get(token.upper()) if len(token) <= 4 else None
        if reading is None:
            reading = self._single_fold.get(token.lower())
        return reading

    def _match_at(self, text: str, m: re.Match[str]) -> tuple[int, str] | None:
        """(end, reading) of the longest entry starting at token ``m``."""
        token, end = m.group(0), m.end()
        dotted = end < len(text) and text[end] == "."
        for first in dict.fromkeys((token, token.lower())):
            for rest_re, reading in self._multi.get(first, ()):
                rm = rest_re.match(text, end)
                if rm:
                    return rm.end(), reading
        if dotted:
            reading = self._lookup(token + ".")
            if reading is not None:
                return end + 1, reading
        reading = self._lookup(token)
        if reading is not None:
            if dotted and _DOT_GOES_ON.match(text, end):
                end += 1  # "TT. Nghèn": inside a sentence the period is the abbreviation's
            return end, reading
        return None

    def expand(self, text: str) -> str:
        """Replace every abbreviation of the lexicon in ``text`` by its reading."""
        out: list[str] = []
        pos = 0
        for m in _TOKEN.finditer(text):
            if m.start() < pos:
                continue
            hit = self._match_at(text, m)
            if hit is not None:
                end, reading = hit
            elif _SPLIT.search(m.group(0)):
                reading = self._expand_parts(m.group(0))
                if reading is None:
                    continue
                end = m.end()
            else:
                continue
            before = text[pos:m.start()]
            if before.endswith("(") and text[end:end + 1] == ")" and \
                    _said_before(out, before[:-1], reading):
                out.append(before[:-1].rstrip())  # "Căn cước công dân (CCCD)": said once
                pos = end + 1
                continue
            out.append(before)
            out.append(reading)
            pos = end
        if not out:
            return text
        out.append(text[pos:])
        return "".join(out)

    def _expand_parts(self, token: str) -> str | None:
        """"VH-TT" with no entry of its own: read the parts ("văn hóa - thể thao")."""
        parts = _SPLIT.split(token)
        readings = [self._lookup(p) if i % 2 == 0 else None for i, p in enumerate(parts)]
        if not any(readings):
            return None
        out = []
        for i, part in enumerate(parts):
            if i % 2 == 0:
                out.append(readings[i] or part)
            elif part == "-":
                out.append(" - ")
            elif part == "&":
                out.append(" và ")
            else:  # "/" or "." between words is not spoken
                out.append(" ")
        return "".join(out)

    def find(self, text: str) -> list[str]:
        """The abbreviations of this lexicon that occur in ``text`` (unexpanded)."""
        found = [m.group(0) for m in self._coded.finditer(text)] if self._coded else []
        for m in _TOKEN.finditer(text):
            if self._match_at(text, m) is not None:
                found.append(m.group(0))
            elif _SPLIT.search(m.group(0)):
                found += [p for p in _SPLIT.split(m.group(0)) if self._lookup(p) is not None]
        return found


def _said_before(out: list[str], before: str, reading: str) -> bool:
    """Whether the words just before "(" are ``reading`` itself."""
    tail = ("".join(out[-2:]) + before).rstrip().casefold()
    words = reading.casefold().split()
    return tail.split()[-len(words):] == words


def _read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file of bounded size; a FIFO, device or folder is
    refused without blocking (opened non-blocking, checked on the open file)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a FIFO, device or folder)")
        if info.st_size > MAX_LEXICON_BYTES:
            raise OSError(errno.EFBIG, f"larger than {MAX_LEXICON_BYTES // (1024 * 1024)} MB")
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read(MAX_LEXICON_BYTES + 1)
    finally:
        os.close(fd)


def parse_lexicon(text: str, name: str = "lexicon.txt") -> tuple[list[tuple[str, str]], list[str]]:
    """Parse ``ABBR = reading`` lines; return (entries, problems).

    ``#`` starts a comment (at the start of a line or after a space); blank
    lines are ignored.  Bad lines are reported, never raised.
    """
    entries: list[tuple[str, str]] = []
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _strip_comment(unicodedata.normalize("NFC", raw.lstrip("\ufeff"))).strip()
        if not line:
            continue
        key, eq, reading = line.partition("=")  # no regex: linear whatever the spacing
        key, reading = key.strip(), reading.strip()
        if not eq or not key or "=" in reading:
            problems.append(f"{name} line {number}: expected 'ABBR = reading', got {line[:80]!r}")
            continue
        if not reading:
            problems.append(f"{name} line {number}: expected 'ABBR = reading', "
                            f"the reading of {key!r} is empty")
            continue
        if not key[0].isalnum() or not any(c.isalpha() for c in key):
            problems.append(f"{name} line {number}: expected 'ABBR = reading', "
                            f"{key!r} must start with a letter or digit and contain a letter")
            continue
        entries.append((key, reading))
    return entries, problems


@lru_cache(maxsize=1)
def _default_lexicon() -> Lexicon:
    entries, problems = parse_lexicon(_data.raw_text("lexicon.txt"), "lexicon.txt")
    return Lexicon(entries, problems)
