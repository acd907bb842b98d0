"""Where articles come from. Each kind of source is one module behind `Source`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from radio_gen.errors import RadioGenError
from radio_gen.intake.articles import Article


class SourceError(RadioGenError):
    """A whole source could not be read (one bad file is a `Skipped`, not an error)."""


@dataclass(frozen=True)
class Skipped:
    """An item a source passed over, and why, for the rundown and the log."""

    location: str
    reason: str

    def __str__(self) -> str:
        return f"skipped {self.location}: {self.reason}"


@dataclass
class Collected:
    """What one source produced: articles and the items it skipped."""

    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def extend(self, other: "Collected") -> None:
        self.articles.extend(other.articles)
        self.skipped.extend(other.skipped)


class Source(Protocol):
    name: str

    def collect(self) -> Collected:
        """Read the source; raise `SourceError` only when nothing at all could be read."""
        ...
