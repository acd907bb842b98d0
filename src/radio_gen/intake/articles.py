"""Articles: the unit of news that sources produce and programs broadcast.

Text is cleaned once here (Unicode NFC, no control characters, tidy whitespace), so
every later stage can trust it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from radio_gen.text.chars import INVISIBLE

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """NFC, no invisible characters, single spaces, at most one blank line in a row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2029", "\n\n").replace("\u2028", "\n")
    text = INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


@dataclass(frozen=True)
class Article:
    """One news article, cleaned; `body` holds paragraphs separated by blank lines."""

    title: str
    body: str
    source: str
    location: str
    published: dt.date | None = None
    byline: str | None = None
    id: str = field(default="")

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", content_id(self.title, self.body))

    @property
    def paragraphs(self) -> list[str]:
        return [p.replace("\n", " ") for p in self.body.split("\n\n") if p.strip()]


def words_hash(text: str) -> str:
    """SHA-256 of the words alone (case, punctuation and spacing ignored): the station's one content hash."""
    words = re.sub(r"\W+", " ", text.casefold()).strip()
    return hashlib.sha256(words.encode("utf-8")).hexdigest()


def content_id(title: str, body: str) -> str:
    """A stable id from the words alone, so the same story from two places is one article."""
    return words_hash(f"{title}\n{body}")[:12]

