"""Article cleaning: what a web page or an editor's file carries that must never be read on air.

Rules are data (`rules/cleaning.toml`, extended per station): page leftovers that end an
article, lines to drop, fragments to remove, caption and byline shapes. Two things are
found without a rule: a photo caption that repeats a phrase of the article without a
full stop, and the article's date ("Chiều 1/7/2022", "Thứ sáu, 23/10/2020 06:00").

Every built-in pattern runs in time linear in its line (tests/test_hostile_text.py
checks it on growing hostile input). A station's own patterns cannot be checked that way
by reading them, so they run under the `regex` module with a time limit per line, and a
pattern that stalls on a probe when the file is loaded is refused with a clear message.
A station may scope rules to a site (`[[site]]` with `host` and an `article` CSS selector
for the article block of its own portal).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from radio_gen import clock
from radio_gen.errors import RadioGenError, read_station_file
from radio_gen.intake.articles import clean_text

RULE_KINDS = ("cut_from", "drop_line", "remove", "caption", "byline")
#: Seconds one station pattern may spend on one line before it counts as not matching.
STATION_PATTERN_SECONDS = 0.05
#: Text a station pattern is tried on when loaded: the shapes that make backtracking explode.
_PROBES = ("a" * 3000 + "!", " " * 3000 + "x", "(Ảnh: " * 600, "1" * 3000 + "/", "a." * 1500 + "!")
_PROBE_SECONDS = 0.5
_SENTENCE_END = re.compile(r"[.!?…:;\"”»)]$")
_WORDS = re.compile(r"\w+")
# "tới.Kết luận" (a full stop glued to the next sentence); "TP.HCM" is left alone.
_GLUED_STOP = re.compile(r"(?<=[^\W\d_A-ZĐ]{2})([.!?])(?=[A-ZĐÀ-Ỹ][^\W\d_A-Z])")
#: A caption repeats at least this many consecutive words of the article.
CAPTION_SHARED_WORDS = 6
BYLINE_MAX_WORDS = 8
#: A caption-shaped line this short is a caption even with a full stop.
CAPTION_MAX_WORDS = 25
HEADING_MAX_WORDS = 14
_SPACE_BEFORE_PUNCTUATION = re.compile(r"(?<=\w) +(?=[,;.!?](\s|$))")
#: A paragraph of the article itself: a finished sentence of some length. Rules that cut
#: "everything after" fire only once one has been seen (a menu heading above the article
#: such as "TIN MỚI" must not cut the article away).
BODY_MIN_WORDS = 5
_BYLINE_TAIL = re.compile(r"\s*\((tổng hợp|th|tổng hợp và biên dịch|lược dịch|theo [^()]{1,40})\)\.?$", re.IGNORECASE)
_ACRONYM = re.compile(r"[A-ZĐ0-9]{2,10}")
#: A source line naming the paper by its address: kept whole, so it is set aside as the source.
_SOURCE_LINE = re.compile(r"(theo|nguồn)\s*:?\s+(https?://|www\.)\S+$", re.IGNORECASE)
#: Trailing lines looked at for a byline and source line ("Thu Hòa/VOV4", "Nguồn: VOV").
MAX_BYLINE_LINES = 3

log = logging.getLogger(__name__)


class RulesError(RadioGenError):
    """A cleaning rules file cannot be read or has a bad pattern."""


class Pattern(Protocol):
    pattern: str

    def search(self, string: str) -> object | None: ...

    def sub(self, repl: str, string: str) -> str: ...


class _StationPattern:
    """An operator's pattern: the `regex` module with a time limit on every use."""

    def __init__(self, compiled: Any) -> None:
        self._compiled = compiled
        self.pattern: str = compiled.pattern

    def search(self, string: str) -> object | None:
        try:
            return self._compiled.search(string, timeout=STATION_PATTERN_SECONDS)
        except TimeoutError:
            log.warning("cleaning pattern %r gave up on a line of %d characters", self.pattern, len(string))
            return None

    def sub(self, repl: str, string: str) -> str:
        try:
            return self._compiled.sub(repl, string, timeout=STATION_PATTERN_SECONDS)
        except TimeoutError:
            log.warning("cleaning pattern %r gave up on a line of %d characters", self.pattern, len(string))
            return string


@dataclass(frozen=True)
class SiteRules:
    """Rules that apply to one site only, and where its article block is."""

    host: str
    article: str | None
    extra: dict[str, tuple[Pattern, ...]]

    def matches(self, host: str | None) -> bool:
        return bool(host) and (host == self.host or host.endswith("." + self.host))


@dataclass(frozen=True)
class Rules:
    """Compiled cleaning rules, built-in plus the station's own."""

    cut_from: tuple[Pattern, ...]
    drop_line: tuple[Pattern, ...]
    remove: tuple[Pattern, ...]
    caption: tuple[Pattern, ...]
    byline: tuple[Pattern, ...]
    sites: tuple[SiteRules, ...] = ()

    def extended(self, path: Path) -> "Rules":
        """These rules plus the ones in a station's rules file."""
        extra, sites = _parse(read_station_file(path, "cleaning rules file", RulesError), str(path), station=True)
        return Rules(**{k: getattr(self, k) + extra[k] for k in RULE_KINDS}, sites=self.sites + sites)

    def for_host(self, host: str | None) -> "Rules":
        """The rules for a page of `host`: these plus the site's own."""
        scoped = [s for s in self.sites if s.matches(host)]
        if not scoped:
            return self
        return Rules(**{k: getattr(self, k) + sum((s.extra[k] for s in scoped), ()) for k in RULE_KINDS},
                     sites=tuple(scoped))

    def article_selector(self, host: str | None) -> str | None:
        """The operator's CSS selector for the article block of `host`'s pages, if any."""
        return next((s.article for s in self.sites if s.matches(host) and s.article), None)


@cache
def default_rules() -> Rules:
    text = resources.files("radio_gen.intake").joinpath("rules", "cleaning.toml").read_text(encoding="utf-8")
    rules, _ = _parse(text, "built-in cleaning rules", station=False)
    return Rules(**rules)


def load_rules(path: Path | None) -> Rules:
    return default_rules().extended(path) if path else default_rules()


def _parse(text: str, origin: str, *, station: bool) -> tuple[dict[str, tuple[Pattern, ...]], tuple[SiteRules, ...]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{origin}: not valid TOML: {exc}") from None
    sites_data = data.pop("site", [])
    unknown = sorted(set(data) - set(RULE_KINDS))
    if unknown:
        raise RulesError(f"{origin}: unknown rule list {', '.join(unknown)} (known: {', '.join(RULE_KINDS)}, site)")
    compiled = _compile_lists(data, origin, station=station)
    if not isinstance(sites_data, list) or not all(isinstance(s, dict) for s in sites_data):
        raise RulesError(f"{origin}: 'site' must be [[site]] tables")
    sites = []
    for number, table in enumerate(sites_data, 1):
        table = dict(table)
        host, article = table.pop("host", None), table.pop("article", None)
        where = f"{origin}: site {number}"
        if not isinstance(host, str) or not host.strip():
            raise RulesError(f"{where}: needs host = \"the site's address, e.g. huyenx.gov.vn\"")
        if article is not None and not _valid_selector(article):
            raise RulesError(f"{where}: article = {article!r} is not a CSS selector")
        unknown = sorted(set(table) - set(RULE_KINDS))
        if unknown:
            raise RulesError(f"{where}: unknown key {', '.join(unknown)} "
                             f"(known: host, article, {', '.join(RULE_KINDS)})")
        sites.append(SiteRules(host.strip().lower().removeprefix("www."), article,
                               _compile_lists(table, where, station=station)))
    return compiled, tuple(sites)


def _compile_lists(data: dict[str, Any], origin: str, *, station: bool) -> dict[str, tuple[Pattern, ...]]:
    compiled = {}
    for kind in RULE_KINDS:
        patterns = data.get(kind, [])
        if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
            raise RulesError(f"{origin}: '{kind}' must be a list of patterns in quotes")
        compiled[kind] = tuple(_compile(p, f"{origin}: '{kind}'", station=station) for p in patterns)
    return compiled


def _compile(pattern: str, where: str, *, station: bool) -> Pattern:
    if not station:
        return re.compile(pattern, re.IGNORECASE)
    import regex

    try:
        compiled = regex.compile(pattern, regex.IGNORECASE | regex.VERSION0)
    except regex.error as exc:
        raise RulesError(f"{where}: bad pattern {pattern!r}: {exc}") from None
    for probe in _PROBES:
        try:
            compiled.search(probe, timeout=_PROBE_SECONDS)
        except TimeoutError:
            raise RulesError(f"{where}: pattern {pattern!r} takes too long on some lines (nested repetition "
                             "such as '(a+)+' or '.*.*'); write it so each character is tried once") from None
    return _StationPattern(compiled)


def _valid_selector(selector: object) -> bool:
    if not isinstance(selector, str) or not selector.strip():
        return False
    from cssselect import GenericTranslator, SelectorError

    try:
        GenericTranslator().css_to_xpath(selector)
    except SelectorError:
        return False
    return True


@dataclass(frozen=True)
class Cleaned:
    """An article's speakable parts and what was taken out."""

    title: str
    body: str
    byline: str | None
    published: dt.date | None
    removed: tuple[str, ...]


def clean_article(title: str, body: str, rules: Rules | None = None, *,
                  today: dt.date | None = None, published: dt.date | None = None,
                  headings: frozenset[str] = frozenset()) -> Cleaned:
    """Title and body with leftovers, captions, repeated titles and byline taken out.

    `published` is the date the page itself gives (metadata, date line): it wins over any
    date found in the text, and dates without a year are read relative to it. `headings`
    are the words (`_key`) of lines the page marks as subheadings: never taken for captions.
    """
    rules = rules or default_rules()
    title = clean_text(title)
    lines = _unwrap(clean_text(body).split("\n"))
    removed: list[str] = []
    if published is None:
        published = find_date("\n".join(_opening(lines)), today=today)

    kept: list[str] = []
    started = False
    for index, line in enumerate(lines):
        if started and _heading_like(line) and any(p.search(line) for p in rules.cut_from):
            removed.extend(rest for rest in lines[index:] if rest)
            break
        kept.append(line)
        started = started or _is_body(line)

    cleaned: list[str] = []
    for line in kept:
        original = line
        if _SOURCE_LINE.match(line) and len(line.split()) <= BYLINE_MAX_WORDS:
            cleaned.append(line)  # "Theo http://baodaknong.org.vn": the address names the source
            continue
        for pattern in rules.remove:
            line = pattern.sub("", line).strip()
        line = " ".join(line.split()) if line != original else line
        if not line:
            if original:
                removed.append(original)
            cleaned.append("")
            continue
        if any(p.search(line) for p in rules.drop_line) or _same_words(line, title) or \
                (_key(line) not in headings and _is_caption(line, original, rules)):
            removed.append(line)
            continue
        cleaned.append(_GLUED_STOP.sub(r"\1 ", _SPACE_BEFORE_PUNCTUATION.sub("", line)))

    bylines: list[str] = []
    while cleaned and len(bylines) < MAX_BYLINE_LINES:
        while cleaned and not cleaned[-1]:
            cleaned.pop()
        if not cleaned or not _is_byline(cleaned[-1], rules):
            break
        bylines.insert(0, cleaned.pop())
    byline = " – ".join(bylines) or None

    shared = _shared_grams(cleaned)
    final = []
    for line in cleaned:
        if line and _key(line) not in headings and _is_repeating_caption(line, shared):
            removed.append(line)
            continue
        final.append(line)
    return Cleaned(title=title, body=_paragraphs(final), byline=byline, published=published,
                   removed=tuple(removed))


def _opening(lines: list[str]) -> list[str]:
    """Where an article's own date can be: the lines before its first paragraph, and that
    paragraph (a date in paragraph 6 is an event's date, not the article's)."""
    opening = []
    for line in lines:
        if not line:
            continue
        opening.append(line)
        if _is_body(line) or len(opening) >= 4:
            break
    return opening


def _is_body(line: str) -> bool:
    return len(line.split()) >= BODY_MIN_WORDS and \
        line.rstrip().endswith((".", "!", "?", "…", ":", ";", "\"", "”", ")"))


def _is_caption(line: str, original: str, rules: Rules) -> bool:
    """A photo caption: a caption shape without a full stop, or a short one with it
    ("Toàn cảnh hội nghị.")."""
    if not _SENTENCE_END.search(line):
        return any(p.search(original) for p in rules.caption)
    return len(line.split()) <= CAPTION_MAX_WORDS and any(p.search(line) for p in rules.caption)


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
    """A byline or source line: "Thu Quỳnh – Minh Cảnh", "Thu Hòa/VOV4", "Minh Anh (tổng hợp)",
    "Bài, ảnh: Văn Nam", "Nguồn: VOV", "Theo Đại Đoàn kết"."""
    words = line.split()
    if not words or len(words) > BYLINE_MAX_WORDS + 4:
        return False
    if any(p.search(line) for p in rules.byline):
        return True
    bare = _BYLINE_TAIL.sub("", line).rstrip(".").strip()
    if not bare or len(bare.split()) > BYLINE_MAX_WORDS or _SENTENCE_END.search(bare) and not bare.endswith(")"):
        return False
    names = [w for w in re.split(r"[\s,–—\-&/]+", bare) if w]
    return bool(names) and all((n[0].isupper() and n.isalpha()) or _ACRONYM.fullmatch(n) for n in names) \
        and any(n.isalpha() and not n.isupper() for n in names)


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
