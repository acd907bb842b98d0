"""The speech stage's settings: `[speech]` and the announcers of `[voices]`, read from their tables.

What an engine accepts comes from the engine registry, so a new engine's rules are
written on its class, not here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol

from radio_gen.settings_reader import TableReader, closest, keys_of, setting, show
from radio_gen.tts.engines.espeak import REGIONS, VOICES as ESPEAK_VIETNAMESE
from radio_gen.tts.online import OnlineSettings
from radio_gen.tts.registry import CHAIN_ENGINES, ENGINES, LAST_RESORT, accepting

DEFAULT_VOICES_URL = "https://huggingface.co/rhasspy/piper-voices/resolve/main"
_ROLE_NAME_HINT = "short ASCII letters, digits, '-' or '_', e.g. [voices.A]"


@dataclass(frozen=True)
class SpeechSettings:
    """`[speech]`: engine order and the knobs engines share."""

    TABLE: ClassVar[str] = "speech"

    engines: tuple[str, ...] = setting(("gtts", "espeak-ng"), kind=list)
    espeak_voice: str = setting("vi")
    espeak_speed: int = setting(150, low=80, high=450, unit="words per minute")
    gtts_timeout: float = setting(10.0, low=0, high=120, unit="seconds", above=True)
    dialect: str = setting("north", says="must be \"north\" or \"south\"", choices=("north", "south"))
    #: "ngày mùng năm" for days 1-10 (None: on in the North, off in the South).
    mung: bool | None = setting(None, kind=bool)
    #: False: web and e-mail addresses are left out of the spoken text.
    read_addresses: bool = setting(True)

    @classmethod
    def from_table(cls, r: TableReader) -> SpeechSettings:
        """Engines that exist, an espeak-ng voice that speaks Vietnamese."""
        raw = r.get("engines", list, list(cls.engines))
        for name, engine in ENGINES.items():
            if engine.needs_voice and any(isinstance(e, str) and e.strip().lower() == name for e in raw):
                raise r.fail("engines", f"{name} needs a voice: give it one in an announcer table, e.g. [voices.A] "
                                        f"engine = \"{name}\" voice = \"vi_VN-vais1000-medium\"")
        engines = engine_list(r, "engines", raw, speech_engines(), "[\"gtts\", \"espeak-ng\"]")
        values = r.fill(cls, skip=("engines", "espeak_voice"))
        voice = r.get("espeak_voice", str, cls.espeak_voice).strip()
        language, plus, variant = voice.partition("+")
        if language.lower() not in ESPEAK_VIETNAMESE:
            raise r.fail("espeak_voice", f"{show(voice)} is not a Vietnamese espeak-ng voice"
                                         f"{closest(language, ESPEAK_VIETNAMESE)}; use one of "
                                         f"{', '.join(ESPEAK_VIETNAMESE)} (or set [station] region)")
        if plus and not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", variant):
            raise r.fail("espeak_voice", f"{show(voice)}: after '+' comes an espeak-ng variant name such as "
                                         "\"f2\" (see `espeak-ng --voices=variant`)")
        return cls(engines=engines, espeak_voice=language.lower() + plus + variant, **values)


def speech_engines() -> tuple[str, ...]:
    """What `[speech] engines` may name: the default chain's engines first, then the others."""
    default = SpeechSettings.engines
    return tuple(sorted(CHAIN_ENGINES, key=lambda n: default.index(n) if n in default else len(default)))


def engine_list(r: TableReader, key: str, raw: Any, allowed: tuple[str, ...], example: str) -> tuple[str, ...]:
    """Engine names, each a known one (the error names the nearest), none twice."""
    if not isinstance(raw, list) or not raw or not all(isinstance(e, str) for e in raw):
        raise r.fail(key, f"must list engine names, e.g. {example} ({', '.join(allowed)})")
    names = tuple(e.strip().lower() for e in raw)
    for name in names:
        if name not in allowed:
            raise r.fail(key, f"unknown engine {show(name)}{closest(name, allowed)}; choose from: {', '.join(allowed)}")
    if len(set(names)) != len(names):
        raise r.fail(key, f"names an engine twice: {show(list(raw))}")
    return names


def region(r: TableReader) -> str | None:
    """`region`: north, central or south, each read by its own espeak-ng variant."""
    return r.choice("region", None, REGIONS)


@dataclass(frozen=True)
class VoiceRole:
    """One announcer (`[voices.A]`): an engine and voice, then its own fallback chain."""

    TABLE: ClassVar[str] = "voices.*"

    name: str
    engine: str
    voice: str | None = setting(None, kind=str)
    #: Speaking rate: 1.0 normal, 1.1 ten per cent faster.
    rate: float = setting(1.0, low=0.5, high=2.0, says="must be between 0.5 (slower) and 2.0 (faster), 1.0 is normal")
    #: Pitch shift from -50 to 50, 0 the voice's own (edge-tts: Hz; espeak-ng: -p 50+pitch).
    pitch: int = setting(0, low=-50, high=50, says="must be between -50 and 50, 0 is the voice's own")
    #: Region of this announcer's espeak-ng variant; None: the station's region.
    region: str | None = setting(None, kind=str)
    #: Engines tried after `engine`, before the final espeak-ng; None: `[speech] engines`.
    fallback: tuple[str, ...] | None = setting(None, kind=list)

    @classmethod
    def from_table(cls, r: TableReader, name: str, station_dir: Path) -> VoiceRole:
        """The engine's own rules (voice, rate, pitch) come from its registry class."""
        [engine] = engine_list(r, "engine", [r.get("engine", str, required=True)], tuple(ENGINES), "\"piper\"")
        kind = ENGINES[engine]
        voice = r.get("voice", str, None)
        problem = kind.voice_problem(voice)
        if problem:
            raise r.fail("voice", problem)
        if voice is not None and kind.voice_is_path(voice):
            voice = str(r.path("voice", station_dir))  # a path, relative to the station folder
        rate = r.value(cls, "rate")
        if "rate" not in kind.accepts and rate != 1.0:
            raise r.fail("rate", f"{engine} cannot change its speaking rate; remove rate or choose another engine")
        pitch = r.value(cls, "pitch")
        if "pitch" not in kind.accepts and pitch != 0:
            raise r.fail("pitch", f"{engine} cannot change pitch; remove pitch or use "
                                  f"{' or '.join(accepting('pitch'))}")
        fallback = r.get("fallback", list, None)
        if fallback:
            fallback = engine_list(r, "fallback", fallback, CHAIN_ENGINES,
                                   f"[\"gtts\"] ({LAST_RESORT} always comes last)")
        elif fallback is not None:
            fallback = ()
        return cls(name=name, engine=engine, voice=voice, rate=rate, pitch=pitch, region=region(r),
                   fallback=fallback)


@dataclass(frozen=True)
class VoicesSettings:
    """The announcers of `[voices]` and where `radio-gen voices install` downloads from."""

    TABLE: ClassVar[str] = "voices"

    roles: tuple[VoiceRole, ...] = ()
    download_url: str = setting(DEFAULT_VOICES_URL)

    def role(self, name: str) -> VoiceRole | None:
        return next((r for r in self.roles if r.name == name), None)

    @classmethod
    def from_table(cls, voices: TableReader, station_dir: Path) -> VoicesSettings:
        """`download_url`, and one `[voices.NAME]` table per announcer."""
        download_url = voices.get("download_url", str, cls.download_url).rstrip("/")
        if not download_url.startswith(("http://", "https://")):
            raise voices.fail("download_url", f"must be an http:// or https:// address, got {show(download_url)}")
        roles = []
        for name, table in voices.table.items():
            if name == "download_url":
                continue
            if not isinstance(table, dict):
                raise voices.fail(name, "must be an announcer table like [voices.A] with engine = \"piper\"")
            if not name.replace("-", "").replace("_", "").isalnum() or not name.isascii() or len(name) > 32:
                raise voices.fail(name, f"announcer names must be {_ROLE_NAME_HINT}")
            roles.append(VoiceRole.from_table(voices.sub(name), name, station_dir))
        return cls(roles=tuple(roles), download_url=download_url)


#: The tables the speech stage owns, and their keys.
TABLES: dict[str, frozenset[str]] = {
    SpeechSettings.TABLE: keys_of(SpeechSettings),
    VoicesSettings.TABLE: keys_of(VoicesSettings),
    VoiceRole.TABLE: keys_of(VoiceRole, "engine"),
}


class _HasOnline(Protocol):
    @property
    def online(self) -> OnlineSettings: ...


class SpeechStation(Protocol):
    """What the speech stage needs of a station: its own settings, not the whole station file."""

    @property
    def speech(self) -> SpeechSettings: ...

    @property
    def voices(self) -> VoicesSettings: ...

    @property
    def region(self) -> str | None: ...

    @property
    def voices_dir(self) -> Path: ...

    @property
    def audio(self) -> _HasOnline: ...


__all__ = ["DEFAULT_VOICES_URL", "ESPEAK_VIETNAMESE", "OnlineSettings", "REGIONS", "SpeechSettings",
           "SpeechStation", "VoiceRole", "VoicesSettings", "engine_list", "region", "speech_engines"]
