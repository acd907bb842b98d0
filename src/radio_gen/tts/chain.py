"""The fallback chain: per segment, try engines in order until one speaks.

An engine that fails several times in a row is skipped for the rest of the build, so a
dead network costs seconds, not one timeout per sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from radio_gen.tts.base import Engine, EngineError, EngineUnavailable


@dataclass
class Spoken:
    """Which engine produced a segment's audio, and what failed before it."""

    path: Path
    engine: str
    failures: list[str] = field(default_factory=list)
    #: The engine's voice_id: which voice, rate and pitch spoke.
    voice: str = ""


class AllEnginesFailed(EngineError):
    """No engine in the chain could speak a segment."""


class EngineChain:
    def __init__(self, engines: list[Engine], max_consecutive_failures: int = 3) -> None:
        if not engines:
            raise ValueError("an engine chain needs at least one engine")
        self.engines = engines
        self.max_consecutive_failures = max_consecutive_failures
        self._streak = {e.name: 0 for e in engines}
        self.disabled: dict[str, str] = {}

    def speak(self, text: str, workdir: Path, stem: str) -> Spoken:
        """Synthesize `text` into `workdir/stem.<suffix>` with the first engine that works."""
        failures: list[str] = []
        for engine in self.engines:
            if engine.name in self.disabled:
                continue
            dest = workdir / f"{stem}{engine.suffix}"
            try:
                engine.synthesize(text, dest)
            except EngineError as exc:
                failures.append(str(exc))
                self._streak[engine.name] += 1
                if isinstance(exc, EngineUnavailable) or self._streak[engine.name] >= self.max_consecutive_failures:
                    self.disabled[engine.name] = exc.reason
                continue
            self._streak[engine.name] = 0
            return Spoken(dest, engine.name, failures, engine.voice_id)
        raise AllEnginesFailed("all engines", "; ".join(failures) or "every engine is disabled")
