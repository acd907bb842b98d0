"""Speech engines: a small interface, a name→class registry and the fallback chain."""

from __future__ import annotations

from pathlib import Path

from radio_gen.errors import RadioGenError
from radio_gen.tts.base import Engine, EngineError, EngineUnavailable, Voicing
from radio_gen.tts.registry import CHAIN_ENGINES, ENGINES
from radio_gen.tts.settings import SpeechSettings

#: The engines `create_engine` makes: those that speak without an announcer's voice.
REGISTRY: dict[str, type[Engine]] = {name: ENGINES[name] for name in CHAIN_ENGINES}


class UnknownEngine(RadioGenError):
    """An engine name that radio-gen does not know."""


def create_engine(name: str, settings: SpeechSettings) -> Engine:
    """The engine called `name` with the station's `[speech]` settings; the error lists the valid names."""
    try:
        engine = REGISTRY[name.strip().lower()]
    except KeyError:
        raise UnknownEngine(f"unknown engine {name!r}; choose from: {', '.join(sorted(REGISTRY))}") from None
    return engine.from_voicing(Voicing(speech=settings, voices_dir=Path("."), espeak_voice=settings.espeak_voice))


__all__ = ["Engine", "EngineError", "EngineUnavailable", "REGISTRY", "UnknownEngine", "create_engine"]
