"""The engine interface: text in, one complete audio file out, or an EngineError."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, TYPE_CHECKING

from radio_gen.errors import RadioGenError


class EngineError(RadioGenError):
    """An engine failed on one request; `reason` explains the probable cause."""

    def __init__(self, engine: str, reason: str, *, transient: bool = False,
                 retry_after: float | None = None) -> None:
        super().__init__(f"{engine}: {reason}")
        self.engine = engine
        self.reason = reason
        #: Worth asking again shortly (HTTP 429 or 5xx), after `retry_after` seconds if the service said.
        self.transient = transient
        self.retry_after = retry_after


class EngineUnavailable(EngineError):
    """The engine cannot work on this machine at all (missing program or package)."""


class AnnouncerError(RadioGenError):
    """An announcer's chain cannot be set up."""


if TYPE_CHECKING:
    from radio_gen.tts.settings import SpeechSettings


@dataclass(frozen=True)
class Voicing:
    """What one engine of an announcer's chain is made from.

    `voice` is the announcer's own voice, given only to the announcer's own engine (its
    fallbacks speak with their default voice); `espeak_voice` is the espeak-ng variant of
    the announcer's region.
    """

    speech: SpeechSettings
    voices_dir: Path
    espeak_voice: str
    voice: str | None = None
    rate: float = 1.0
    pitch: int = 0


class Engine(ABC):
    """A speech engine. Implementations write `dest` completely or not at all."""

    name: ClassVar[str]
    #: What the synthesized file looks like (".wav", ".mp3"): the cache and decoder use it.
    suffix: ClassVar[str] = ".wav"
    #: A web service: requests are rate-limited, retried on 429/5xx and cut off at a hard timeout.
    online: ClassVar[bool] = False
    #: What an announcer table may set for this engine: some of "voice", "rate", "pitch".
    accepts: ClassVar[frozenset[str]] = frozenset()
    #: Speaks only with a voice named in an announcer table (not in `[speech] engines` or a fallback).
    needs_voice: ClassVar[bool] = False
    #: Where it stands among the engines, best voice first (the order `doctor` and messages list them).
    rank: ClassVar[int] = 50
    #: Offline on every machine: every announcer's chain ends with it (exactly one engine says so).
    last_resort: ClassVar[bool] = False

    @classmethod
    @abstractmethod
    def from_voicing(cls, voicing: Voicing) -> Engine:
        """The engine as an announcer's settings make it (the registry calls this)."""

    @classmethod
    def voice_problem(cls, voice: str | None) -> str | None:
        """What is wrong with an announcer's `voice` for this engine, None when it is fine."""
        if voice is None and cls.needs_voice:
            return f"{cls.name} needs a voice"
        if voice is not None and "voice" not in cls.accepts:
            return f"{cls.name} has no voice choice here; for espeak-ng set region instead"
        return None

    @classmethod
    def voice_is_path(cls, voice: str) -> bool:
        """Whether `voice` names a file (then read relative to the station folder)."""
        return False

    @abstractmethod
    def synthesize(self, text: str, dest: Path) -> None:
        """Speak `text` into the audio file `dest`; raise EngineError on failure."""

    @abstractmethod
    def check(self) -> str | None:
        """None when the engine can run here, else what is missing and how to fix it."""

    @property
    def voice_id(self) -> str:
        """Identifies the voice and settings, for the segment cache and the rundown."""
        return self.name


def remove_partial(path: Path) -> None:
    """Engines leave 0-byte or half-written files on failure: never keep them."""
    try:
        path.unlink()
    except FileNotFoundError:
        pass
