"""Abbreviations and foreign words, read from an editable lexicon.

The default list ships as ``data/lexicon.txt``; a station adds or overrides
entries with its own plain-text file (see ``docs/lexicon.md``)::

    UBND = ủy ban nhân dân
    TT HĐND = thường trực hội đồng nhân dân   # context: the next word decides
    TT = thị trấn                             # the reading when no longer key matches
    Covid = cô vít

Matching rules (kept simple so an editor can predict them):

* a key is matched as whole words (never inside a longer word or next to a digit);
* a key written entirely in capitals (``UBND``) matches only in capitals, a key
  with any lowercase letter (``Covid``, ``Đ/c``, ``ha``) matches in any case;
* the longest key wins, so ``TT Chính trị`` beats ``TT``;
* a key may end with a period (``TS.``, ``TP.``): the period is then read as
  part of the abbreviation, not as the end of a sentence.

A malformed line is reported in ``Lexicon.problems`` with its line number and
skipped; only an unreadable file raises :class:`LexiconError`.
"""

from __future__ import annotations

import re
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
_LINE = re.compile(r"^(?P<key>[^=]+?)\s*=\s*(?P<reading>.*?)\s*$")


def _canon(key: str) -> str:
    """Lookup form: capitals-only keys are case-sensitive, others are not."""
    key = _WS.sub(" ", unicodedata.normalize("NFC", key).strip())
    return key if key == key.upper() else key.lower()


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
            raw = path.read_bytes()
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
        for canon, (written, reading) in self._entries.items():
            first, _, rest = canon.partition(" ")
            fold = canon != written or written != written.upper()
            if _HAS_DIGIT.search(canon):  # "U23", "COVID-19": matched before the number rules
                coded.append((canon, fold))
                self._coded_readings[canon] = reading
            elif rest:
                pattern = r"\s+" + r"\s+".join(re.escape(w) for w in rest.split(" "))
                if not rest.endswith("."):
                    pattern += r"(?!\w)"
                multi.setdefault(first, []).append(
                    (len(rest), re.compile(pattern, re.IGNORECASE), reading))
            elif fold:
                self._single_fold[canon] = reading
            else:
                self._single_exact[canon] = reading
        self._multi = {k: [(p, r) for _, p, r in sorted(v, key=lambda t: -t[0])]
                       for k, v in multi.items()}
        alternatives = [(r"(?i:%s)" if fold else "%s") % r"\s+".join(map(re.escape, key.split(" ")))
                        for key, fold in sorted(coded, key=lambda kf: -len(kf[0]))]
        self._coded = (re.compile(r"(?<![\w.,])(?:" + "|".join(alternatives) + r")(?!\w|[.,]\d)")
                       if alternatives else None)

    def expand_coded(self, text: str) -> str:
        """Entries whose key holds a digit ("U23 = u hai ba"): applied before the
        number rules, so a station can override how a code is read."""
        if self._coded is None or not _HAS_DIGIT.search(text):
            return text
        return self._coded.sub(self._coded_reading, text)

    def _coded_reading(self, m: re.Match[str]) -> str:
        key = _canon(m.group(0))
        return self._coded_readings.get(key) or self._coded_readings.get(key.lower(), m.group(0))

    def _lookup(self, token: str) -> str | None:
        reading = self._single_exact.get(token)
        if reading is None:
            reading = self._single_fold.get(token.lower())
        return reading

    def _match_at(self, text: str, m: re.Match[str]) -> tuple[int, str] | None:
        """(end, reading) of the longest entry starting at token ``m``."""
        token, end = m.group(0), m.end()
        dotted = end < len(text) and text[end] == "."
        for first in (token, token.lower()):
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
            out.append(text[pos:m.start()])
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
        m = _LINE.match(line)
        if m is None or "=" in m.group("reading"):
            problems.append(f"{name} line {number}: expected 'ABBR = reading', got {line!r}")
            continue
        key, reading = m.group("key").strip(), m.group("reading").strip()
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
