"""The fallback chain: per segment, try engines in order until one speaks.

An engine that fails several times in a row is skipped for the rest of the build, so a
dead network costs seconds, not one timeout per sentence. Segments are spoken on several
threads at once, so the failure counts are kept under a lock; online engines go through
their gate (spacing, retries, hard timeout); and before an engine is asked, the caller
may offer what the segment cache already holds for that engine's voice. An engine that
an earlier build fell back from is probed once per build before it is asked again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from radio_gen.tts.base import Engine, EngineError, EngineUnavailable
from radio_gen.tts.online import OnlineGates, OnlineSettings


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
#: Given an engine, whether the cache holds the text in that engine's voice (without reading it).
CacheHas = Callable[[Engine], bool]

#: What a probe asks an engine to say: short, so it costs one small request.
PROBE_TEXT = "Xin chào."


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
        #: How many times an engine was asked to speak (cache hits and probes are not counted).
        self.calls = 0
        #: Probes made: is an engine that failed before answering again? (once per engine per build)
        self.probes = 0
        self._answers: dict[str, bool] = {}
        self._probing: dict[str, threading.Lock] = {}

    @property
    def voices(self) -> list[str]:
        """Every engine's voice, in order: what a cached piece of this chain depends on."""
        return [e.voice_id for e in self.engines]

    def answers(self, name: str, workdir: Path) -> bool:
        """Whether engine `name` speaks in this build: known from a real request, else probed once.

        A probe is one short request, bounded like any other; an engine that does not
        answer it is switched off for the rest of the build.
        """
        engine = next((e for e in self.engines if e.name == name), None)
        if engine is None:
            return False
        with self._lock:
            one_probe = self._probing.setdefault(name, threading.Lock())
        with one_probe:  # threads asking at once wait for the one probe
            with self._lock:
                if name in self.disabled:
                    return False
                if name in self._answers:
                    return self._answers[name]
                self.probes += 1
            return self._probe(engine, workdir)

    def _probe(self, engine: Engine, workdir: Path) -> bool:
        name = engine.name
        dest = workdir / f"probe-{engine.name}-{threading.get_ident()}{engine.suffix}"
        try:
            if engine.online:
                self.gates.for_engine(engine.name).synthesize(engine, PROBE_TEXT, dest)
            else:
                engine.synthesize(PROBE_TEXT, dest)
            answered = True
        except EngineError as exc:
            answered = False
            with self._lock:
                self.disabled.setdefault(engine.name, f"{exc.reason} (probed once this build)")
        finally:
            dest.unlink(missing_ok=True)
        with self._lock:
            self._answers.setdefault(name, answered)
            return self._answers[name]

    def speak(self, text: str, workdir: Path, stem: str, cached: CacheLookup | None = None,
              has: CacheHas | None = None) -> Spoken:
        """Synthesize `text` into `workdir/stem-<engine><suffix>` with the first engine that works.

        When a later engine's audio of the text is cached (an earlier build fell back to
        it), an earlier engine is not asked for the text unless it answers a probe.
        """
        failures: list[str] = []
        for position, engine in enumerate(self.engines):
            if engine.name in self.disabled:
                continue
            hit = cached(engine) if cached is not None else None
            if hit is not None:
                return Spoken(None, engine.name, failures, engine.voice_id, cached=hit)
            later_cached = has is not None and any(has(e) for e in self.engines[position + 1:]
                                                   if e.name not in self.disabled)
            if later_cached and not self.answers(engine.name, workdir):
                continue
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
                self._answers[engine.name] = True
            return Spoken(dest, engine.name, failures, engine.voice_id)
        raise AllEnginesFailed("all engines", "; ".join(failures) or "every engine is disabled")
