"""Announcers: one fallback chain per voice role, ending in espeak-ng for the region.

`[voices.A]` and `[voices.B]` in the station file become two chains; a script's speech
segments name their role (`voice("B")` in a template) and `chain_for(segment)` picks
the chain that speaks them. A station without `[voices]` has one role-less chain built
from `[speech] engines`, exactly as before roles existed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from radio_gen.tts import create_engine
from radio_gen.tts.base import AnnouncerError, Engine, Voicing
from radio_gen.tts.chain import EngineChain
from radio_gen.tts.engines.espeak import VARIANTS as ESPEAK_VARIANTS
from radio_gen.tts.online import OnlineGates
from radio_gen.tts.registry import ENGINES, LAST_RESORT
from radio_gen.tts.settings import SpeechStation, VoiceRole


class UnknownRole(AnnouncerError):
    """A segment names an announcer the station file does not define."""


class _HasRole(Protocol):
    @property
    def role(self) -> str | None: ...  # read-only: segments are frozen dataclasses


@dataclass(frozen=True)
class Disabled:
    """An engine a role's chain switched off during a build."""

    role: str | None
    engine: str
    reason: str


def espeak_variant(station: SpeechStation, role: VoiceRole | None) -> str:
    """The role's region, else the station's, else `[speech] espeak_voice`."""
    region = (role.region if role else None) or station.region
    return ESPEAK_VARIANTS[region] if region else station.speech.espeak_voice


def make_engine(name: str, station: SpeechStation, role: VoiceRole | None) -> Engine:
    """Engine `name` with the role's voice, rate and pitch where the engine has them."""
    primary = role is not None and role.engine == name
    voicing = Voicing(speech=station.speech, voices_dir=station.voices_dir, espeak_voice=espeak_variant(station, role),
                      voice=role.voice if primary and role else None,
                      rate=role.rate if role else 1.0, pitch=role.pitch if role else 0)
    if name not in ENGINES:
        return create_engine(name, station.speech)  # raises UnknownEngine, naming the valid ones
    return ENGINES[name].from_voicing(voicing)


def chain_engines(station: SpeechStation, role: VoiceRole | None,
                  override: tuple[str, ...] | None = None) -> list[Engine]:
    """A role's engines in order: its own, its fallbacks, then espeak-ng for its region, once each.

    `override` (`--engine`) replaces the names but keeps each role's region, rate and pitch.
    """
    if override:
        names = list(override)
    elif role is None:
        names = list(station.speech.engines)
    else:
        fallback = role.fallback if role.fallback is not None else station.speech.engines
        names = [role.engine, *fallback, LAST_RESORT]
        # espeak-ng always speaks: engines after it would never be tried.
        names = names[: names.index(LAST_RESORT) + 1]
    unique = list(dict.fromkeys(n.strip().lower() for n in names))
    return [make_engine(name, station, role) for name in unique]


class Announcers:
    """One EngineChain per role; `chain_for(segment)` is what the synthesizer calls."""

    def __init__(self, config: SpeechStation, engines: tuple[str, ...] | None = None) -> None:
        roles = config.voices.roles
        self.default_role: str | None = roles[0].name if roles else None
        self.chains: dict[str | None, EngineChain] = {}
        # One gate per online service for all announcers: they share its rate limit.
        gates = OnlineGates(config.audio.online)
        for role in roles or (None,):
            self.chains[role.name if role else None] = EngineChain(chain_engines(config, role, engines), gates=gates)

    @property
    def roles(self) -> list[str]:
        return [r for r in self.chains if r is not None]

    def role_of(self, segment: _HasRole | None) -> str | None:
        """The role a segment is spoken by: its own, else the first configured one."""
        role = getattr(segment, "role", None)
        return role if role is not None else self.default_role

    def chain_for(self, segment: _HasRole | None) -> EngineChain:
        return self.chain_for_role(self.role_of(segment))

    def chain_for_role(self, role: str | None) -> EngineChain:
        role = role if role is not None else self.default_role
        if role not in self.chains:
            known = ", ".join(self.roles) or "none: add [voices.A] tables to the station file"
            raise UnknownRole(f"no announcer '{role}' in the station file (announcers: {known})")
        return self.chains[role]

    @property
    def engine_calls(self) -> int:
        """Requests made to engines in this build (what the cache saved is not counted)."""
        return sum(chain.calls for chain in self.chains.values())

    def disabled(self) -> list[Disabled]:
        """Engines switched off during the build, per role."""
        return [Disabled(role, engine, reason) for role, chain in self.chains.items()
                for engine, reason in chain.disabled.items()]
