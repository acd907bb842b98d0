"""The speech engines radio-gen knows, derived from their classes.

Each class says its name, what an announcer may set for it (voice, rate, pitch), whether
it is online, and how it is made from an announcer's settings (`from_voicing`); station
file checks, announcers' chains, `create_engine` and `doctor` all read this one table.
Adding an engine is one new module with its class, and its class here.
"""

from __future__ import annotations

from radio_gen.tts.base import Engine
from radio_gen.tts.edge import EdgeEngine
from radio_gen.tts.espeak import EspeakEngine
from radio_gen.tts.gtts_engine import GttsEngine
from radio_gen.tts.piper import PiperEngine

#: Every engine by name, best voice first; espeak-ng, which always speaks, comes last.
ENGINES: dict[str, type[Engine]] = {cls.name: cls for cls in (PiperEngine, EdgeEngine, GttsEngine, EspeakEngine)}
#: Engines that speak without a voice of their own: what a chain or a fallback may name.
CHAIN_ENGINES: tuple[str, ...] = tuple(name for name, cls in ENGINES.items() if not cls.needs_voice)
#: The engine every announcer's chain ends with: offline, on every machine.
LAST_RESORT = EspeakEngine.name


def accepting(setting: str) -> tuple[str, ...]:
    """The engines an announcer may give `setting` ("voice", "rate", "pitch")."""
    return tuple(name for name, cls in ENGINES.items() if setting in cls.accepts)
