"""The fallback chain: per segment, try engines in order until one speaks.

An engine that fails several times in a row is skipped for the rest of the build, so a
dead network costs seconds, not one timeout per sentence. Segments are spoken on several
threads at once, so the failure counts are kept under a lock; online engines go through
their gate (spacing, retries, hard timeout); and before an engine is asked, the caller
may offer what the segment cache already holds for that engine's voice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from radio_gen.tts.base import Engine, EngineError, EngineUnavailable
from radio_gen.config import OnlineSettings
from radio_gen.tts.online import OnlineGates


@dataclass
class Spoken:
    """Which engine produced a segment's audio, and what failed before it."""

    path: Path | None
    engine: str
    failures: list[str] = field(default_factory=list)
    #: The engine's voice_id: which voice, rate and pitch spoke.
    voice: str = ""
    #: Finished audio found in the cache for this engine's voice (then `path` is None).
    cached: bytes | None = None


class AllEnginesFailed(EngineError):
    """No engine in the chain could speak a segment."""


#: Given an engine, the cached audio of the text in that engine's voice, if any.
CacheLookup = Callable[[Engine], bytes | None]


class EngineChain:
    def __init__(self, engines: list[Engine], max_consecutive_failures: int = 3,
                 gates: OnlineGates | None = None) -> None:
        if not engines:
            raise ValueError("an engine chain needs at least one engine")
        self.engines = engines
        self.max_consecutive_failures = max_consecutive_failures
        self.gates = gates or OnlineGates(OnlineSettings())
        self._streak = {e.name: 0 for e in engines}
        self._lock = threading.Lock()
        self.disabled: dict[str, str] = {}
        #: How many times an engine was asked to speak (cache hits are not counted).
        self.calls = 0

    @property
    def voices(self) -> list[str]:
        """Every engine's voice, in order: what a cached piece of this chain depends on."""
        return [e.voice_id for e in self.engines]

    def speak(self, text: str, workdir: Path, stem: str, cached: CacheLookup | None = None) -> Spoken:
        """Synthesize `text` into `workdir/stem-<engine><suffix>` with the first engine that works."""
        failures: list[str] = []
        for engine in self.engines:
            if engine.name in self.disabled:
                continue
            hit = cached(engine) if cached is not None else None
            if hit is not None:
                return Spoken(None, engine.name, failures, engine.voice_id, cached=hit)
            dest = workdir / f"{stem}-{engine.name}{engine.suffix}"
            try:
                with self._lock:
                    self.calls += 1
                if engine.online:
                    self.gates.for_engine(engine.name).synthesize(engine, text, dest)
                else:
                    engine.synthesize(text, dest)
            except EngineError as exc:
                failures.append(str(exc))
                with self._lock:
                    self._streak[engine.name] += 1
                    if isinstance(exc, EngineUnavailable) or self._streak[engine.name] >= self.max_consecutive_failures:
                        self.disabled.setdefault(engine.name, exc.reason)
                continue
            with self._lock:
                self._streak[engine.name] = 0
            return Spoken(dest, engine.name, failures, engine.voice_id)
        raise AllEnginesFailed("all engines", "; ".join(failures) or "every engine is disabled")
