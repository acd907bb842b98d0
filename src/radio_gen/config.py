"""Station configuration: a TOML file turned into typed, validated dataclasses.

Every error names the file, the key and what is wrong, because the person reading it
is a station operator editing a text file, not a Python programmer.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from radio_gen import clock
from radio_gen.errors import RadioGenError, read_station_file

DEMO_PACKAGE = "radio_gen.demo"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
KNOWN_ENGINES_HINT = "gtts, espeak-ng, edge-tts"
#: Engines a voice role may name; piper needs a voice, so it only works inside a role.
ROLE_ENGINES = ("piper", "edge-tts", "gtts", "espeak-ng")
#: Regions of Vietnam, each read by its own espeak-ng variant.
REGIONS = ("north", "central", "south")
DEFAULT_VOICES_URL = "https://huggingface.co/rhasspy/piper-voices/resolve/main"


class ConfigError(RadioGenError):
    """The station file is missing, unreadable or has a wrong value."""


@dataclass(frozen=True)
class ProgramConfig:
    """One daily program (e.g. `sang` at 05:30, `chieu` at 17:00)."""

    id: str
    title: str
    broadcast: dt.time
    build: dt.time
    weekdays: tuple[str, ...] = WEEKDAYS
    max_items: int = 8
    template: str = "program.j2"
    #: Reading time for news items; None: `[articles] news_minutes`.
    news_minutes: float | None = None


SOURCE_KINDS = ("folder", "feed", "listing", "page")


@dataclass(frozen=True)
class SourceConfig:
    """One `[[articles.sources]]` table: where articles come from."""

    kind: str
    name: str
    path: Path | None = None
    url: str | None = None
    urls: tuple[str, ...] = ()
    link_pattern: str | None = None
    max_links: int = 20
    full_text: bool = True
    #: Its articles may air again and again (standing notices), not just once.
    repeat: bool = False


@dataclass(frozen=True)
class ArticlesConfig:
    """`[articles]`: sources, fetch limits and how news is selected for a program."""

    sources: tuple[SourceConfig, ...] = ()
    max_age_days: int = 7
    news_minutes: float = 20.0
    syllables_per_minute: int = 220
    cleaning_rules: Path | None = None
    timeout: float = 15.0
    max_page_bytes: int = 5_000_000
    user_agent: str | None = None
    #: Hosts fetched even though they are internal addresses (e.g. a portal on the LAN).
    allow_hosts: tuple[str, ...] = ()
    #: Wall-clock allowance for reading all web sources; then the build goes on with what it has.
    budget_seconds: float = 600.0
    #: A folder file changed less than this long ago may still be being written: read next time.
    stable_seconds: float = 5.0


@dataclass(frozen=True)
class Mp3Settings:
    """What the loudspeaker system expects: commonly 48–64 kbps mono."""

    bitrate_kbps: int = 64
    sample_rate: int = 44100
    channels: int = 1
    #: `[output] max_minutes`: a template that makes a longer program is refused.
    max_minutes: float = 180.0


@dataclass(frozen=True)
class OnlineSettings:
    """`[audio] online_*`: how a build asks online engines; the defaults suit gTTS's free endpoint."""

    #: Seconds between the starts of two requests to the same service.
    min_interval: float = 0.5
    #: Extra attempts after an HTTP 429 or 5xx answer.
    retries: int = 2
    #: First wait before a retry, doubled each time (or the service's Retry-After).
    backoff: float = 1.0
    #: Wall-clock limit of one request, whatever the engine's own timeouts do.
    timeout: float = 30.0


@dataclass(frozen=True)
class AudioSettings:
    """`[audio]`: loudness targets, the segment cache and how much runs at once."""

    #: EBU R128 integrated loudness every segment and clip is brought to.
    target_lufs: float = -16.0
    #: Ceiling for true peaks in the finished MP3 (dBTP).
    true_peak_db: float = -1.0
    #: Size limit of the station's audio cache; least recently used entries go first.
    cache_mb: int = 500
    #: Segments synthesized and encoded at once; 0: one per CPU core.
    workers: int = 0
    online: OnlineSettings = field(default_factory=OnlineSettings)


@dataclass(frozen=True)
class SpeechSettings:
    """Engine order and the knobs engines share."""

    engines: tuple[str, ...] = ("gtts", "espeak-ng")
    espeak_voice: str = "vi"
    espeak_speed: int = 150
    gtts_timeout: float = 10.0
    dialect: str = "north"
    #: "ngày mùng năm" for days 1-10 (None: on in the North, off in the South).
    mung: bool | None = None
    #: False: web and e-mail addresses are left out of the spoken text.
    read_addresses: bool = True


@dataclass(frozen=True)
class ScheduleSettings:
    """How the scheduler daemon retries, catches up and shares programs with manual builds."""

    #: Extra attempts after a failed build, while it can still finish before the broadcast.
    retries: int = 2
    retry_delay_seconds: int = 60
    #: A missed build is still made at start-up until broadcast time + this many minutes.
    catch_up_grace_minutes: int = 0
    #: How long `radio-gen build` waits for a build of the same program to finish.
    build_lock_wait_seconds: int = 600


@dataclass(frozen=True)
class VoiceRole:
    """One announcer (`[voices.A]`): an engine and voice, then its own fallback chain."""

    name: str
    engine: str
    voice: str | None = None
    #: Speaking rate: 1.0 normal, 1.1 ten per cent faster.
    rate: float = 1.0
    #: Pitch shift from -50 to 50, 0 the voice's own (edge-tts: Hz; espeak-ng: -p 50+pitch).
    pitch: int = 0
    #: Region of this announcer's espeak-ng variant; None: the station's region.
    region: str | None = None
    #: Engines tried after `engine`, before the final espeak-ng; None: `[speech] engines`.
    fallback: tuple[str, ...] | None = None


@dataclass(frozen=True)
class VoicesSettings:
    """The announcers of `[voices]` and where `radio-gen voices install` downloads from."""

    roles: tuple[VoiceRole, ...] = ()
    download_url: str = DEFAULT_VOICES_URL

    def role(self, name: str) -> VoiceRole | None:
        return next((r for r in self.roles if r.name == name), None)


@dataclass(frozen=True)
class StationConfig:
    """Everything one station's builds need; paths are absolute."""

    name: str
    district: str
    province: str
    timezone: str
    programs: tuple[ProgramConfig, ...]
    articles_dirs: tuple[Path, ...]
    output_dir: Path
    station_dir: Path
    templates_dir: Path
    clips_dir: Path
    lexicon: Path | None
    speech: SpeechSettings = field(default_factory=SpeechSettings)
    mp3: Mp3Settings = field(default_factory=Mp3Settings)
    audio: AudioSettings = field(default_factory=AudioSettings)
    source: Path | None = None
    intake: ArticlesConfig = field(default_factory=ArticlesConfig)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    #: north, central or south: picks the espeak-ng variant; None keeps [speech] espeak_voice.
    region: str | None = None
    voices: VoicesSettings = field(default_factory=VoicesSettings)
    #: The parsed station file, for sections whose settings live with their owner ([web], [approval]).
    tables: dict[str, Any] = field(default_factory=dict, hash=False, compare=False, repr=False)

    @property
    def store_path(self) -> Path:
        """The station's SQLite file (articles seen, programs broadcast, run history)."""
        return self.station_dir / "radio-gen.sqlite"

    @property
    def cache_dir(self) -> Path:
        """Synthesized segments and encoded pieces, reused while their text is unchanged."""
        return self.station_dir / "cache"

    @property
    def logs_dir(self) -> Path:
        return self.station_dir / "logs"

    @property
    def voices_dir(self) -> Path:
        """Piper voices installed by the operator (`radio-gen voices install`)."""
        return self.station_dir / "voices"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def today(self) -> dt.date:
        """Today's date in the station's timezone (not the machine's)."""
        return clock.today(self.tz)

    def program(self, program_id: str | None) -> ProgramConfig:
        """The named program, or the first one when no name is given."""
        if program_id is None:
            return self.programs[0]
        for program in self.programs:
            if program.id == program_id:
                return program
        known = ", ".join(p.id for p in self.programs)
        raise ConfigError(f"{self._where()}: no program '{program_id}' (this station has: {known})")

    def _where(self) -> str:
        return str(self.source) if self.source else "bundled demo station"


class _Reader:
    """Typed access to a TOML table that reports `file: key: problem`."""

    def __init__(self, origin: str, table: dict[str, Any], prefix: str = "") -> None:
        self.origin, self.table, self.prefix = origin, table, prefix

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.origin}: key '{self.prefix}{key}': {problem}")

    def sub(self, key: str) -> "_Reader":
        value = self.table.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, "must be a table like [" + self.prefix + key + "]")
        return _Reader(self.origin, value, f"{self.prefix}{key}.")

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ..., *, required: bool = False) -> Any:
        if key not in self.table:
            if required or default is ...:
                raise self.fail(key, "is required")
            return default
        value = self.table[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if isinstance(value, bool) and kind is not bool:
            raise self.fail(key, f"must be {_kind_name(kind)}, not true/false")
        if not isinstance(value, kind):
            raise self.fail(key, f"must be {_kind_name(kind)}, got {value!r}")
        if isinstance(value, str) and not value.strip():
            raise self.fail(key, "must not be empty")
        return value

    def number(self, key: str, kind: type, low: float, high: float, default: Any) -> Any:
        """An optional number that must lie in [low, high] (NaN never does)."""
        value = self.get(key, kind, default)
        if not low <= value <= high:
            raise self.fail(key, f"must be between {low:g} and {high:g}, got {value:g}")
        return value

    def time(self, key: str, default: Any = ...) -> dt.time:
        raw = self.get(key, str, default)
        if isinstance(raw, dt.time):
            return raw
        try:
            return dt.time.fromisoformat(raw)
        except ValueError:
            raise self.fail(key, f"must be a time like \"05:30\", got {raw!r}") from None


def section(config: StationConfig, name: str) -> _Reader:
    """Typed access to one table of the station file, for modules that own its settings."""
    return _Reader(str(config.source or "bundled demo station"), config.tables).sub(name)


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "text in quotes", int: "a whole number", float: "a number", bool: "true or false",
             list: "a list like [\"a\", \"b\"]", dict: "a table"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _resolve(base: Path, raw: str) -> Path:
    path = Path(raw).expanduser()
    return path if path.is_absolute() else (base / path).resolve()


def _program(reader: _Reader, index: int, table: Any) -> ProgramConfig:
    if not isinstance(table, dict):
        raise reader.fail(f"programs[{index}]", "must be a table written as [[programs]]")
    r = _Reader(reader.origin, table, f"programs[{index}].")
    pid = r.get("id", str, required=True)
    if not pid.replace("-", "").replace("_", "").isalnum() or not pid.isascii():
        raise r.fail("id", f"must be short ASCII letters, digits, '-' or '_' (it names files), got {pid!r}")
    broadcast = r.time("broadcast")
    build_default = (dt.datetime.combine(dt.date(2000, 1, 1), broadcast) - dt.timedelta(minutes=30)).time()
    weekdays = r.get("weekdays", list, list(WEEKDAYS))
    bad = [d for d in weekdays if not isinstance(d, str) or d.lower()[:3] not in WEEKDAYS]
    if bad or not weekdays:
        raise r.fail("weekdays", f"must list days among {', '.join(WEEKDAYS)}, got {weekdays!r}")
    max_items = r.get("max_items", int, 8)
    if not 1 <= max_items <= 100:
        raise r.fail("max_items", f"must be between 1 and 100, got {max_items}")
    return ProgramConfig(
        id=pid,
        title=r.get("title", str, "Chương trình thời sự"),
        broadcast=broadcast,
        build=r.time("build", build_default.isoformat(timespec="minutes")),
        weekdays=tuple(d.lower()[:3] for d in weekdays),
        max_items=max_items,
        template=r.get("template", str, "program.j2"),
        news_minutes=_minutes(r, "news_minutes", None),
    )


def _minutes(reader: _Reader, key: str, default: float | None) -> float | None:
    value = reader.get(key, float, default)
    if value is not None and not 0 < value <= 240:
        raise reader.fail(key, f"must be between 0 and 240 minutes, got {value:g}")
    return value


def _source(reader: _Reader, index: int, table: Any, base: Path) -> SourceConfig:
    if not isinstance(table, dict):
        raise reader.fail(f"sources[{index}]", "must be a table written as [[articles.sources]]")
    r = _Reader(reader.origin, table, f"{reader.prefix}sources[{index}].")
    kind = r.get("kind", str, required=True)
    allowed = {"folder": {"path"}, "feed": {"url", "full_text"}, "listing": {"url", "link_pattern", "max_links"},
               "page": {"url", "urls"}}
    if kind not in allowed:
        raise r.fail("kind", f"must be one of {', '.join(SOURCE_KINDS)}, got {kind!r}")
    unknown = sorted(set(table) - allowed[kind] - {"kind", "name", "repeat"})
    if unknown:
        raise r.fail(unknown[0], f"is not a setting of a {kind} source (it has: "
                     f"{', '.join(sorted(allowed[kind] | {'name', 'repeat'}))})")
    repeat = r.get("repeat", bool, False)
    if kind == "folder":
        path = _resolve(base, r.get("path", str, required=True))
        return SourceConfig(kind, r.get("name", str, f"folder:{path}"), path=path, repeat=repeat)
    urls: list[str] = []
    if "url" in table:
        urls.append(r.get("url", str))
    if "urls" in table:
        more = r.get("urls", list)
        if not all(isinstance(u, str) for u in more):
            raise r.fail("urls", "must be a list of addresses in quotes")
        urls.extend(more)
    if not urls:
        raise r.fail("url", "is required (the address to fetch)")
    for url in urls:
        if not url.startswith(("http://", "https://")):
            raise r.fail("url", f"must start with http:// or https://, got {url!r}")
    name = r.get("name", str, f"{kind}:{urls[0]}")
    if kind == "feed":
        return SourceConfig(kind, name, url=urls[0], full_text=r.get("full_text", bool, True), repeat=repeat)
    if kind == "page":
        return SourceConfig(kind, name, urls=tuple(urls), repeat=repeat)
    pattern = r.get("link_pattern", str, required=True)
    try:
        re.compile(pattern)
    except re.error as exc:
        raise r.fail("link_pattern", f"is not a valid regular expression ({exc})") from None
    max_links = r.get("max_links", int, 20)
    if not 1 <= max_links <= 200:
        raise r.fail("max_links", f"must be between 1 and 200, got {max_links}")
    return SourceConfig(kind, name, url=urls[0], link_pattern=pattern, max_links=max_links, repeat=repeat)


def _articles(articles: _Reader, base: Path) -> ArticlesConfig:
    """`[articles]` with its `[[articles.sources]]`; the older `folders` list still works."""
    raw_sources = articles.get("sources", list, [])
    sources = [_source(articles, i, t, base) for i, t in enumerate(raw_sources)]
    folders = articles.get("folders", list, [] if raw_sources else ["articles"])
    if not all(isinstance(f, str) and f.strip() for f in folders):
        raise articles.fail("folders", "must be a list of folder paths in quotes")
    sources[:0] = [SourceConfig("folder", f"folder:{_resolve(base, f)}", path=_resolve(base, f)) for f in folders]
    names = [s.name for s in sources]
    if len(set(names)) != len(names):
        raise articles.fail("sources", f"two sources have the same name: give each a different name ({names})")
    max_age = articles.get("max_age_days", int, 7)
    if not 0 <= max_age <= 3650:
        raise articles.fail("max_age_days", f"must be between 0 (no limit) and 3650, got {max_age}")
    rate = articles.get("syllables_per_minute", int, 220)
    if not 60 <= rate <= 600:
        raise articles.fail("syllables_per_minute", f"must be between 60 and 600, got {rate}")
    timeout = articles.get("timeout", float, 15.0)
    if not 0 < timeout <= 300:
        raise articles.fail("timeout", f"must be between 0 and 300 seconds, got {timeout:g}")
    max_bytes = articles.get("max_page_bytes", int, 5_000_000)
    if not 10_000 <= max_bytes <= 200_000_000:
        raise articles.fail("max_page_bytes", f"must be between 10000 and 200000000, got {max_bytes}")
    rules = articles.get("cleaning_rules", str, None)
    allow_hosts = articles.get("allow_hosts", list, [])
    if not all(isinstance(h, str) and h.strip() and not any(c in h for c in "/: ") for h in allow_hosts):
        raise articles.fail("allow_hosts", "must be a list of host names or addresses, e.g. [\"192.168.1.10\"]")
    budget = articles.number("budget_seconds", float, 1, 7200, ArticlesConfig.budget_seconds)
    stable = articles.number("stable_seconds", float, 0, 3600, ArticlesConfig.stable_seconds)
    return ArticlesConfig(
        sources=tuple(sources), max_age_days=max_age,
        news_minutes=_minutes(articles, "news_minutes", 20.0) or 20.0, syllables_per_minute=rate,
        cleaning_rules=_resolve(base, rules) if rules else None, timeout=timeout, max_page_bytes=max_bytes,
        user_agent=articles.get("user_agent", str, None), allow_hosts=tuple(h.strip() for h in allow_hosts),
        budget_seconds=budget, stable_seconds=stable)


_ROLE_NAME_HINT = "short ASCII letters, digits, '-' or '_', e.g. [voices.A]"


def _voices(root: _Reader, station_dir: Path) -> VoicesSettings:
    """`[voices]`: `download_url`, and one `[voices.NAME]` table per announcer."""
    voices = root.sub("voices")
    download_url = voices.get("download_url", str, DEFAULT_VOICES_URL).rstrip("/")
    if not download_url.startswith(("http://", "https://")):
        raise voices.fail("download_url", f"must be an http:// or https:// address, got {download_url!r}")
    roles = []
    for name, table in voices.table.items():
        if name == "download_url":
            continue
        if not isinstance(table, dict):
            raise voices.fail(name, "must be an announcer table like [voices.A] with engine = \"piper\"")
        if not name.replace("-", "").replace("_", "").isalnum() or not name.isascii() or len(name) > 32:
            raise voices.fail(name, f"announcer names must be {_ROLE_NAME_HINT}")
        roles.append(_voice_role(voices.sub(name), name, station_dir))
    return VoicesSettings(roles=tuple(roles), download_url=download_url)


def _voice_role(r: _Reader, name: str, station_dir: Path) -> VoiceRole:
    engine = r.get("engine", str, required=True).strip().lower()
    if engine not in ROLE_ENGINES:
        raise r.fail("engine", f"unknown engine {engine!r}; choose from: {', '.join(ROLE_ENGINES)}")
    voice = r.get("voice", str, None)
    if engine == "piper" and voice is None:
        raise r.fail("voice", "piper needs a voice: a name like \"vi_VN-vais1000-medium\" "
                              "(see `radio-gen voices list`) or a path to an .onnx file")
    if engine == "piper" and (voice.endswith(".onnx") or "/" in voice):
        voice = str(_resolve(station_dir, voice))  # a path, relative to the station folder
    if engine == "edge-tts" and voice is not None and not voice.lower().startswith("vi-"):
        raise r.fail("voice", f"{voice!r} is not a Vietnamese edge-tts voice; use \"vi-VN-HoaiMyNeural\" "
                              "(female) or \"vi-VN-NamMinhNeural\" (male)")
    if engine in ("gtts", "espeak-ng") and voice is not None:
        raise r.fail("voice", f"{engine} has no voice choice here; for espeak-ng set region instead")
    rate = r.get("rate", float, 1.0)
    if not 0.5 <= rate <= 2.0:
        raise r.fail("rate", f"must be between 0.5 (slower) and 2.0 (faster), 1.0 is normal; got {rate:g}")
    if engine == "gtts" and rate != 1.0:
        raise r.fail("rate", "gtts cannot change its speaking rate; remove rate or choose another engine")
    pitch = r.get("pitch", int, 0)
    if not -50 <= pitch <= 50:
        raise r.fail("pitch", f"must be between -50 and 50, 0 is the voice's own; got {pitch}")
    if engine in ("gtts", "piper") and pitch != 0:
        raise r.fail("pitch", f"{engine} cannot change pitch; remove pitch or use edge-tts or espeak-ng")
    region = r.get("region", str, None)
    if region is not None and region not in REGIONS:
        raise r.fail("region", f"must be one of {', '.join(REGIONS)}, got {region!r}")
    fallback = r.get("fallback", list, None)
    if fallback is not None:
        if not all(isinstance(e, str) and e.strip().lower() in ROLE_ENGINES and e.strip().lower() != "piper"
                   for e in fallback):
            raise r.fail("fallback", "must list engines among edge-tts, gtts, espeak-ng, e.g. [\"gtts\"] "
                                     f"(espeak-ng always comes last); got {fallback!r}")
        fallback = tuple(e.strip().lower() for e in fallback)
    return VoiceRole(name=name, engine=engine, voice=voice, rate=rate, pitch=pitch, region=region,
                     fallback=fallback)


def parse_config(data: dict[str, Any], *, origin: str, base: Path, state_base: Path | None = None) -> StationConfig:
    """Validate a parsed TOML document; `base` resolves relative paths.

    `state_base` (default: `base`) is where the station keeps state and output when the
    file does not say: the bundled demo keeps them in the current folder.
    """
    root = _Reader(origin, data)
    state_base = state_base or base
    station = root.sub("station")
    tz = station.get("timezone", str, "Asia/Ho_Chi_Minh")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise station.fail("timezone", f"unknown timezone {tz!r} (for Vietnam: \"Asia/Ho_Chi_Minh\")") from None

    raw_programs = root.get("programs", list, None)
    if not raw_programs:
        raise root.fail("programs", "add at least one [[programs]] table with id, title and broadcast")
    programs = tuple(_program(root, i, t) for i, t in enumerate(raw_programs))
    ids = [p.id for p in programs]
    if len(set(ids)) != len(ids):
        raise root.fail("programs", f"program ids must be unique, got {ids}")

    station_dir = _resolve(state_base, station.get("dir", str, "."))
    intake = _articles(root.sub("articles"), base)

    speech = root.sub("speech")
    engines = speech.get("engines", list, ["gtts", "espeak-ng"])
    if not engines or not all(isinstance(e, str) for e in engines):
        raise speech.fail("engines", f"must list engine names, e.g. [\"gtts\", \"espeak-ng\"] ({KNOWN_ENGINES_HINT})")
    if "piper" in (e.strip().lower() for e in engines):
        raise speech.fail("engines", "piper needs a voice: give it one in an announcer table, e.g. [voices.A] "
                                     "engine = \"piper\" voice = \"vi_VN-vais1000-medium\"")
    dialect = speech.get("dialect", str, "north")
    if dialect not in ("north", "south"):
        raise speech.fail("dialect", f"must be \"north\" or \"south\", got {dialect!r}")
    timeout = speech.get("gtts_timeout", float, 10.0)
    if not 0 < timeout <= 120:
        raise speech.fail("gtts_timeout", f"must be between 0 and 120 seconds, got {timeout}")

    mp3 = root.sub("output")
    bitrate = mp3.get("bitrate_kbps", int, 64)
    if bitrate not in (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320):
        raise mp3.fail("bitrate_kbps", f"must be an MP3 bitrate such as 48, 64 or 128, got {bitrate}")
    rate = mp3.get("sample_rate", int, 44100)
    if rate not in (16000, 22050, 24000, 32000, 44100, 48000):
        raise mp3.fail("sample_rate", f"must be one of 16000, 22050, 24000, 32000, 44100, 48000, got {rate}")
    channels = mp3.get("channels", int, 1)
    if channels not in (1, 2):
        raise mp3.fail("channels", f"must be 1 (mono) or 2 (stereo), got {channels}")
    max_minutes = mp3.number("max_minutes", float, 1, 1440, Mp3Settings.max_minutes)

    lexicon = root.sub("text").get("lexicon", str, None)
    schedule = _schedule(root.sub("schedule"))
    region = station.get("region", str, None)
    if region is not None and region not in REGIONS:
        raise station.fail("region", f"must be one of {', '.join(REGIONS)}, got {region!r}")
    return StationConfig(
        name=station.get("name", str, required=True),
        district=station.get("district", str, ""),
        province=station.get("province", str, ""),
        timezone=tz,
        programs=programs,
        articles_dirs=tuple(s.path for s in intake.sources if s.path is not None),
        output_dir=_resolve(state_base, mp3.get("dir", str, "audio_out")),
        station_dir=station_dir,
        templates_dir=_resolve(station_dir, station.get("templates", str, "templates")),
        clips_dir=_resolve(station_dir, station.get("clips", str, "clips")),
        lexicon=_resolve(station_dir, lexicon) if lexicon else None,
        speech=SpeechSettings(
            engines=tuple(engines),
            espeak_voice=speech.get("espeak_voice", str, "vi"),
            espeak_speed=speech.get("espeak_speed", int, 150),
            gtts_timeout=timeout,
            dialect=dialect,
            mung=speech.get("mung", bool, None),
            read_addresses=speech.get("read_addresses", bool, True),
        ),
        mp3=Mp3Settings(bitrate_kbps=bitrate, sample_rate=rate, channels=channels, max_minutes=max_minutes),
        audio=_audio(root.sub("audio")),
        source=None,
        intake=intake,
        schedule=schedule,
        region=region,
        voices=_voices(root, station_dir),
        tables=data,
    )


def _audio(r: _Reader) -> AudioSettings:
    """The [audio] table: every key optional, each bounded to a sane range."""
    def bounded(key: str, kind: type, low: float, high: float, default: Any) -> Any:
        value = r.get(key, kind, default)
        if not low <= value <= high:
            raise r.fail(key, f"must be between {low:g} and {high:g}, got {value:g}")
        return value

    online = OnlineSettings(
        min_interval=bounded("online_min_interval", float, 0, 60, OnlineSettings.min_interval),
        retries=bounded("online_retries", int, 0, 10, OnlineSettings.retries),
        backoff=bounded("online_backoff_seconds", float, 0, 60, OnlineSettings.backoff),
        timeout=bounded("online_timeout", float, 1, 600, OnlineSettings.timeout))
    return AudioSettings(
        target_lufs=bounded("target_lufs", float, -40, -5, AudioSettings.target_lufs),
        true_peak_db=bounded("true_peak_db", float, -12, 0, AudioSettings.true_peak_db),
        cache_mb=bounded("cache_mb", int, 0, 100_000, AudioSettings.cache_mb),
        workers=bounded("workers", int, 0, 64, AudioSettings.workers),
        online=online)


def _schedule(r: _Reader) -> ScheduleSettings:
    """The [schedule] table: every key optional, each bounded to a sane range."""
    limits = {"retries": (0, 20), "retry_delay_seconds": (0, 3600),
              "catch_up_grace_minutes": (0, 1440), "build_lock_wait_seconds": (0, 7200)}
    values = {}
    for key, (low, high) in limits.items():
        value = r.get(key, int, getattr(ScheduleSettings, key))
        if not low <= value <= high:
            raise r.fail(key, f"must be between {low} and {high}, got {value}")
        values[key] = value
    return ScheduleSettings(**values)


def load_config(path: Path | str | None = None) -> StationConfig:
    """Load a station file, or the bundled demo station when `path` is None."""
    if path is None:
        demo = resources.files(DEMO_PACKAGE)
        with resources.as_file(demo) as demo_dir:
            data = tomllib.loads((demo_dir / "station.toml").read_text(encoding="utf-8"))
            return parse_config(data, origin="bundled demo station", base=Path(demo_dir), state_base=Path.cwd())
    path = Path(path)
    text = read_station_file(path, "station file", ConfigError)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return replace(parse_config(data, origin=str(path), base=path.resolve().parent), source=path)
