"""The page corpus (tests/data/real/, tests/data/pages/): cases, and how a reading of a page is scored.

Used by tests/test_page_corpus.py (through the real CLI) and bench/bench_extraction.py (our
path against plain trafilatura). A paragraph counts as kept when the reading has it (or a
paragraph containing it); a line of the reading that is no expected paragraph, or any
`never` text anywhere in what is read, is a junk line.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from helpers.paths import DATA

CORPUS_DIRS = (DATA / "real", DATA / "pages")

#: The targets of issue 14, over all pages of a path.
MIN_KEPT = 0.98
MAX_JUNK_PER_PAGE = 0.1
MIN_BYLINES = 0.9


@dataclass(frozen=True)
class Case:
    name: str
    page: Path
    title: str
    date: dt.date | None
    byline: str
    paragraphs: tuple[str, ...]
    never: tuple[str, ...]


@dataclass(frozen=True)
class Reading:
    """What some extractor made of a page: what would be read on air, and the metadata."""

    title: str
    paragraphs: tuple[str, ...]
    date: dt.date | None
    byline: str | None


@dataclass(frozen=True)
class Score:
    case: str
    kept: int
    expected: int
    junk: tuple[str, ...]
    title_ok: bool
    date_ok: bool
    byline_ok: bool | None  # None: the page has no byline

    def row(self, path: str) -> str:
        byline = "-" if self.byline_ok is None else ("yes" if self.byline_ok else "NO")
        return (f"| {self.case} | {path} | {self.kept}/{self.expected} | {len(self.junk)} | "
                f"{'yes' if self.title_ok else 'NO'} | {'yes' if self.date_ok else 'NO'} | {byline} |")


HEADER = ("| page | path | paragraphs kept | junk lines | title | date | byline set aside |\n"
          "|---|---|---|---|---|---|---|")


def load_cases() -> list[Case]:
    cases = []
    for folder in CORPUS_DIRS:
        for expected in sorted(folder.glob("*.expected.toml")):
            data = tomllib.loads(expected.read_text(encoding="utf-8"))
            name = expected.name.removesuffix(".expected.toml")
            page = (expected.parent / data.get("page", f"{name}.html")).resolve()
            cases.append(Case(
                name=f"{folder.name}/{name}", page=page, title=data["title"],
                date=dt.date.fromisoformat(data["date"]) if data.get("date") else None,
                byline=data.get("byline", ""), paragraphs=tuple(data["paragraphs"]),
                never=tuple(data.get("never", ()))))
    return cases


def key(text: str) -> str:
    """The words of a text: case, punctuation, Unicode composition and invisible characters
    (soft hyphens, zero-width spaces) do not count; a listener hears the same thing."""
    text = "".join(c for c in unicodedata.normalize("NFC", text) if unicodedata.category(c) != "Cf")
    return " ".join(re.findall(r"\w+", text.casefold()))


def score(case: Case, reading: Reading, *, undated: dt.date | None = None) -> Score:
    """How `reading` does on `case`. A page that gives no date is right when none is taken from
    it: the reading has no date, or `undated`, the date its path gives a dateless page (a
    folder file's time, the day a page was fetched)."""
    got = [key(p) for p in reading.paragraphs]
    wanted = [key(p) for p in case.paragraphs]
    kept = sum(1 for w in wanted if any(w == g or w in g for g in got))
    junk = [p for p, g in zip(reading.paragraphs, got) if not any(g == w or g in w for w in wanted)]
    spoken = reading.title + "\n" + "\n".join(reading.paragraphs)
    # A `never` text counts once: not again when it is inside a line already counted as junk.
    junk += [f"never: {n}" for n in case.never if n in spoken and not any(n in j for j in junk)]
    byline_ok = None
    if case.byline:
        byline_ok = key(case.byline) in key(reading.byline or "") and key(case.byline) not in key(spoken)
    date_ok = reading.date == case.date or (case.date is None and reading.date == undated)
    return Score(case.name, kept, len(wanted), tuple(junk), key(reading.title) == key(case.title),
                 date_ok, byline_ok)


@dataclass(frozen=True)
class Totals:
    pages: int
    kept: float
    junk_per_page: float
    titles: int
    dates: int
    bylines: float

    def passes(self) -> bool:
        return (self.kept >= MIN_KEPT and self.junk_per_page <= MAX_JUNK_PER_PAGE and self.titles == self.pages
                and self.dates == self.pages and self.bylines >= MIN_BYLINES)

    def row(self, path: str) -> str:
        return (f"| all ({self.pages} pages) | {path} | {self.kept:.1%} | {self.junk_per_page:.2f} per page | "
                f"{self.titles}/{self.pages} | {self.dates}/{self.pages} | {self.bylines:.0%} |")


def totals(scores: list[Score]) -> Totals:
    expected = sum(s.expected for s in scores) or 1
    with_byline = [s for s in scores if s.byline_ok is not None]
    return Totals(pages=len(scores), kept=sum(s.kept for s in scores) / expected,
                  junk_per_page=sum(len(s.junk) for s in scores) / max(len(scores), 1),
                  titles=sum(s.title_ok for s in scores), dates=sum(s.date_ok for s in scores),
                  bylines=sum(bool(s.byline_ok) for s in with_byline) / len(with_byline) if with_byline else 1.0)
