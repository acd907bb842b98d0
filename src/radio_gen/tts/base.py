"""The engine interface: text in, one complete audio file out, or an EngineError."""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import ClassVar

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


class Engine(ABC):
    """A speech engine. Implementations write `dest` completely or not at all."""

    name: ClassVar[str]
    #: What the synthesized file looks like (".wav", ".mp3"): the cache and decoder use it.
    suffix: ClassVar[str] = ".wav"
    #: A web service: requests are rate-limited, retried on 429/5xx and cut off at a hard timeout.
    online: ClassVar[bool] = False

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
