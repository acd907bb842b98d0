"""The rundown: what a built program contains, where each segment sits and how loud it is.

One typed value from the build to whoever reads it (the CLI, the scheduler's alerts,
the audio cache's piece records), written next to the MP3 as JSON. `to_json` and
`from_json` keep the file's keys as they always were, so rundowns written by earlier
versions still read, and tools that read the JSON (the newsroom, the benchmark) are
unaffected. Floats are rounded only when written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from typing import Any

from radio_gen.history import Outcome


class SegmentKind(StrEnum):
    """What a rundown entry is (the lower-case name of the script segment it came from)."""

    SPEECH = "speech"
    CLIP = "clip"
    PAUSE = "pause"


def _rounded(value: Any) -> Any:
    return round(value, 3) if isinstance(value, float) else value


@dataclass
class RundownEntry:
    """One segment as it sits in the finished program."""

    index: int
    kind: SegmentKind
    start: float
    end: float
    text: str | None = None
    clip: str | None = None
    engine: str | None = None
    role: str | None = None
    voice: str | None = None
    article_id: str | None = None
    article_title: str | None = None
    fallbacks: list[str] = field(default_factory=list)
    #: Loudness as measured before leveling, the gain applied and what it reached (LUFS, dB).
    measured_lufs: float | None = None
    gain_db: float | None = None
    lufs: float | None = None
    true_peak_db: float | None = None

    def to_json(self, *, rounded: bool = True) -> dict[str, Any]:
        """The entry without empty fields; floats to the millisecond (not in a cache record: exact)."""
        data = {k: v for k, v in asdict(self).items() if v not in (None, [])}
        data["kind"] = self.kind.value
        return {k: _rounded(v) for k, v in data.items()} if rounded else data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "RundownEntry":
        """An entry read back; KeyError, TypeError or ValueError when it is not one."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        entry = cls(**values)
        entry.kind = SegmentKind(entry.kind)
        entry.fallbacks = list(entry.fallbacks)
        return entry


@dataclass(frozen=True)
class ArticleLine:
    """A news item the program read."""

    id: str
    title: str
    source: str
    location: str


@dataclass(frozen=True)
class SourceLine:
    """How reading one source went (see `intake.pipeline.SourceReport`)."""

    name: str
    kind: str
    ok: bool
    error: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LoudnessReport:
    """What the program measures (on its PCM, before MP3 encoding) against the station's targets."""

    target_lufs: float
    true_peak_target_db: float
    integrated_lufs: float | None
    true_peak_db: float | None
    items_lufs: dict[str, float | None]
    item_spread_lu: float


@dataclass(frozen=True)
class RenderReport:
    """How the audio was made: pieces, cache use, engine calls, workers and time."""

    pieces: int
    pieces_from_cache: int
    engine_calls: int
    engine_probes: int
    cache_hits: int
    cache_damaged: int
    cache_evicted: int
    workers: int
    seconds: float


@dataclass
class Rundown:
    station: str
    program: str
    title: str
    date: dt.date
    built_at: str
    mp3: str
    duration: float
    articles: list[ArticleLine]
    segments: list[RundownEntry]
    warnings: list[str]
    sources: list[SourceLine]
    outcome: Outcome
    #: Whether `latest/` plays this program.
    latest: bool
    loudness: LoudnessReport
    render: RenderReport

    @property
    def failed_sources(self) -> list[str]:
        return [s.name for s in self.sources if not s.ok]

    def to_json(self) -> dict[str, Any]:
        return {
            "station": self.station,
            "program": self.program,
            "title": self.title,
            "date": self.date.isoformat(),
            "built_at": self.built_at,
            "mp3": self.mp3,
            "duration": round(self.duration, 3),
            "articles": [asdict(a) for a in self.articles],
            "segments": [e.to_json() for e in self.segments],
            "warnings": list(self.warnings),
            "sources": [asdict(s) for s in self.sources],
            "failed_sources": self.failed_sources,
            "outcome": self.outcome.value,
            "latest": self.latest,
            "loudness": asdict(self.loudness),
            "render": asdict(self.render),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Rundown":
        """A rundown read back from its JSON; KeyError, TypeError or ValueError when it is not one."""
        return cls(
            station=data["station"], program=data["program"], title=data["title"],
            date=dt.date.fromisoformat(data["date"]), built_at=data["built_at"], mp3=data["mp3"],
            duration=float(data["duration"]),
            articles=[ArticleLine(**a) for a in data["articles"]],
            segments=[RundownEntry.from_json(e) for e in data["segments"]],
            warnings=list(data["warnings"]),
            sources=[SourceLine(**s) for s in data.get("sources", [])],
            outcome=Outcome(data["outcome"]), latest=bool(data["latest"]),
            loudness=LoudnessReport(**data["loudness"]), render=RenderReport(**data["render"]),
        )
