"""Speech engines: a small interface, a name→class registry and the fallback chain."""

from __future__ import annotations

from collections.abc import Callable

from radio_gen.config import SpeechSettings
from radio_gen.errors import RadioGenError
from radio_gen.tts.base import Engine, EngineError, EngineUnavailable
from radio_gen.tts.edge import EdgeEngine
from radio_gen.tts.espeak import EspeakEngine
from radio_gen.tts.gtts_engine import GttsEngine

REGISTRY: dict[str, Callable[[SpeechSettings], Engine]] = {
    "gtts": lambda s: GttsEngine(timeout=s.gtts_timeout),
    "espeak-ng": lambda s: EspeakEngine(voice=s.espeak_voice, speed=s.espeak_speed),
    "edge-tts": lambda s: EdgeEngine(timeout=s.gtts_timeout),
}


class UnknownEngine(RadioGenError):
    """An engine name that radio-gen does not know."""


def create_engine(name: str, settings: SpeechSettings) -> Engine:
    """The engine called `name`; the error lists the valid names."""
    try:
        factory = REGISTRY[name.strip().lower()]
    except KeyError:
        raise UnknownEngine(f"unknown engine {name!r}; choose from: {', '.join(sorted(REGISTRY))}") from None
    return factory(settings)


__all__ = ["Engine", "EngineError", "EngineUnavailable", "REGISTRY", "UnknownEngine", "create_engine"]
