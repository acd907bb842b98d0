"""Article cleaning: what a web page or an editor's file carries that must never be read on air.

Rules are data (`rules/cleaning.toml`, extended per station): page leftovers that end an
article, lines to drop, fragments to remove, caption and byline shapes. Two things are
found without a rule: a photo caption that repeats a phrase of the article without a
full stop, and the article's date ("Chiều 1/7/2022", "Thứ sáu, 23/10/2020 06:00").
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from radio_gen import clock
from radio_gen.articles import clean_text
from radio_gen.errors import RadioGenError, read_station_file

RULE_KINDS = ("cut_from", "drop_line", "remove", "caption", "byline")
_SENTENCE_END = re.compile(r"[.!?…:;\"”»)]$")
_WORDS = re.compile(r"\w+")
# "tới.Kết luận" (a full stop glued to the next sentence); "TP.HCM" is left alone.
_GLUED_STOP = re.compile(r"(?<=[^\W\d_A-ZĐ]{2})([.!?])(?=[A-ZĐÀ-Ỹ][^\W\d_A-Z])")
#: A caption repeats at least this many consecutive words of the article.
CAPTION_SHARED_WORDS = 6
BYLINE_MAX_WORDS = 8
HEADING_MAX_WORDS = 14
_SPACE_BEFORE_PUNCTUATION = re.compile(r"(?<=\w) +(?=[,;.!?](\s|$))")


class RulesError(RadioGenError):
    """A cleaning rules file cannot be read or has a bad pattern."""


@dataclass(frozen=True)
class Rules:
    """Compiled cleaning rules, built-in plus the station's own."""

    cut_from: tuple[re.Pattern[str], ...]
    drop_line: tuple[re.Pattern[str], ...]
    remove: tuple[re.Pattern[str], ...]
    caption: tuple[re.Pattern[str], ...]
    byline: tuple[re.Pattern[str], ...]

    def extended(self, path: Path) -> "Rules":
        """These rules plus the ones in a station's rules file."""
        extra = _parse(read_station_file(path, "cleaning rules file", RulesError), str(path))
        return Rules(**{k: getattr(self, k) + extra[k] for k in RULE_KINDS})


@cache
def default_rules() -> Rules:
    text = resources.files("radio_gen").joinpath("rules", "cleaning.toml").read_text(encoding="utf-8")
    return Rules(**_parse(text, "built-in cleaning rules"))


def load_rules(path: Path | None) -> Rules:
    return default_rules().extended(path) if path else default_rules()


def _parse(text: str, origin: str) -> dict[str, tuple[re.Pattern[str], ...]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{origin}: not valid TOML: {exc}") from None
    unknown = sorted(set(data) - set(RULE_KINDS))
    if unknown:
        raise RulesError(f"{origin}: unknown rule list {', '.join(unknown)} (known: {', '.join(RULE_KINDS)})")
    compiled = {}
    for kind in RULE_KINDS:
        patterns = data.get(kind, [])
        if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
            raise RulesError(f"{origin}: '{kind}' must be a list of patterns in quotes")
        try:
            compiled[kind] = tuple(re.compile(p, re.IGNORECASE) for p in patterns)
        except re.error as exc:
            raise RulesError(f"{origin}: '{kind}': bad pattern {exc.pattern!r}: {exc}") from None
    return compiled


@dataclass(frozen=True)
class Cleaned:
    """An article's speakable parts and what was taken out."""

    title: str
    body: str
    byline: str | None
    published: dt.date | None
    removed: tuple[str, ...]


def clean_article(title: str, body: str, rules: Rules | None = None, *,
                  today: dt.date | None = None) -> Cleaned:
    """Title and body with leftovers, captions, repeated titles and byline taken out."""
    rules = rules or default_rules()
    title = clean_text(title)
    lines = _unwrap(clean_text(body).split("\n"))
    removed: list[str] = []
    published = find_date("\n".join(lines[:6]), today=today)

    kept: list[str] = []
    for index, line in enumerate(lines):
        if _heading_like(line) and any(p.search(line) for p in rules.cut_from):
            removed.extend(l for l in lines[index:] if l)
            break
        kept.append(line)

    cleaned: list[str] = []
    for line in kept:
        original = line
        for pattern in rules.remove:
            line = pattern.sub("", line).strip()
        if not line:
            if original:
                removed.append(original)
            cleaned.append("")
            continue
        if any(p.search(line) for p in rules.drop_line) or _same_words(line, title) or \
                (not _SENTENCE_END.search(line) and any(p.search(original) for p in rules.caption)):
            removed.append(line)
            continue
        cleaned.append(_GLUED_STOP.sub(r"\1 ", _SPACE_BEFORE_PUNCTUATION.sub("", line)))

    byline = None
    while cleaned and not cleaned[-1]:
        cleaned.pop()
    if cleaned and _is_byline(cleaned[-1], rules):
        byline = cleaned.pop()

    shared = _shared_grams(cleaned)
    final = []
    for line in cleaned:
        if line and _is_repeating_caption(line, shared):
            removed.append(line)
            continue
        final.append(line)
    return Cleaned(title=title, body=_paragraphs(final), byline=byline, published=published,
                   removed=tuple(removed))


def _unwrap(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines: a line that does not end a sentence, followed by one that
    starts in lowercase, is the same paragraph (each line is read as one paragraph)."""
    paragraphs: list[list[str]] = []
    for line in lines:
        if paragraphs and paragraphs[-1][-1] and line and line[0].islower() \
                and not _SENTENCE_END.search(paragraphs[-1][-1]):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    return [" ".join(parts) for parts in paragraphs]


def _heading_like(line: str) -> bool:
    """Page leftovers are headings, counters and links: short, and not a finished sentence."""
    return 0 < len(line.split()) <= HEADING_MAX_WORDS and not line.rstrip().endswith((".", "!", "?", "…"))


def _paragraphs(lines: list[str]) -> str:
    """Every kept line is its own paragraph (pages and files rarely wrap lines)."""
    return "\n\n".join(line for line in lines if line)


def _key(text: str) -> str:
    return " ".join(_WORDS.findall(text.casefold()))


def _same_words(line: str, title: str) -> bool:
    return bool(title) and _key(line) == _key(title)


def _is_byline(line: str, rules: Rules) -> bool:
    words = line.split()
    if not words or len(words) > BYLINE_MAX_WORDS or _SENTENCE_END.search(line) and not line.endswith(")"):
        return False
    if any(p.search(line) for p in rules.byline):
        return True
    names = [w for w in re.split(r"[\s,–—\-&/]+", line) if w]
    return bool(names) and all(n[0].isupper() and n.isalpha() for n in names)


def _grams(line: str) -> set[tuple[str, ...]]:
    words = _key(line).split()
    n = CAPTION_SHARED_WORDS
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def _shared_grams(lines: list[str]) -> set[tuple[str, ...]]:
    """Runs of words that occur in more than one line (linear in the text's length)."""
    seen: set[tuple[str, ...]] = set()
    shared: set[tuple[str, ...]] = set()
    for line in lines:
        grams = _grams(line)
        shared |= grams & seen
        seen |= grams
    return shared


def _is_repeating_caption(line: str, shared: set[tuple[str, ...]]) -> bool:
    """A line with no full stop that repeats a long run of words from elsewhere in the article."""
    if _SENTENCE_END.search(line) or len(line.split()) > 60:
        return False
    return bool(_grams(line) & shared)


_DATE = re.compile(
    r"(?<![\d/])(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})(?:\s*[/.-]\s*(?P<y>\d{4}))?(?![\d/])"
    r"|ngày\s+(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})(?:\s+năm\s+(?P<y2>\d{4}))?",
    re.IGNORECASE)
_DATELINE = re.compile(
    r"^\s*(?:(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|\d)|chủ\s+nhật)\s*,?\s*)?"
    r"(?:(?:sáng|trưa|chiều|tối|đêm|rạng sáng|ngày|hôm nay|sáng nay|chiều nay|tối nay)\s*(?:ngày\s*)?,?\s*)?"
    r"(?:\(\s*)?$", re.IGNORECASE)


def find_date(text: str, *, today: dt.date | None = None) -> dt.date | None:
    """The article's own date, from a dateline at the start of a line.

    "Chiều 1/7/2022, Ban Tuyên giáo…" and "Thứ sáu, 23/10/2020 06:00" give a date; a
    date in the middle of a sentence ("kế hoạch đến 30/6/2023") does not. A date
    without a year takes the latest year that does not put it after `today`.
    """
    for line in text.split("\n"):
        for match in _DATE.finditer(line[:80]):
            if not _DATELINE.match(line[:match.start()]):
                continue
            day = int(match["d"] or match["d2"])
            month = int(match["m"] or match["m2"])
            year_text = match["y"] or match["y2"]
            try:
                if year_text:
                    return dt.date(int(year_text), month, day)
                ref = today or clock.today()
                found = dt.date(ref.year, month, day)
                return found if found <= ref else dt.date(ref.year - 1, month, day)
            except ValueError:
                continue
    return None
