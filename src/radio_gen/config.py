"""Station configuration: a TOML file turned into typed, validated dataclasses.

Every error names the file, the key and what is wrong, because the person reading it
is a station operator editing a text file, not a Python programmer.
"""

from __future__ import annotations

import datetime as dt
import difflib
import logging
import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field, replace
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from radio_gen import clock
from radio_gen.errors import RadioGenError, read_station_file

log = logging.getLogger(__name__)

DEMO_PACKAGE = "radio_gen.demo"
#: Where a station file is looked for when no --config is given (before ./station.toml).
CONFIG_ENV = "RADIO_GEN_CONFIG"
STATION_FILE = "station.toml"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: What an operator may write in `weekdays`: English names, and the Vietnamese way of
#: counting (thứ 2 = Monday … thứ 7 = Saturday, chủ nhật = Sunday).
_WEEKDAY_NAMES = {
    **{d: d for d in WEEKDAYS},
    **dict(zip(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"), WEEKDAYS)),
    **{f"{prefix}{n}": WEEKDAYS[n - 2] for n in range(2, 8) for prefix in ("thu", "thứ", "t")},
    **dict(zip(("thứhai", "thứba", "thứtư", "thứnăm", "thứsáu", "thứbảy"), WEEKDAYS)),
    "cn": "sun", "chủnhật": "sun",
}
#: Engines of `[speech] engines`; piper needs a voice, so it only works inside a role.
SPEECH_ENGINES = ("gtts", "espeak-ng", "edge-tts")
KNOWN_ENGINES_HINT = ", ".join(SPEECH_ENGINES)
#: Engines a voice role may name.
ROLE_ENGINES = ("piper", "edge-tts", "gtts", "espeak-ng")
#: Regions of Vietnam, each read by its own espeak-ng variant.
REGIONS = ("north", "central", "south")
#: espeak-ng's Vietnamese voices (`espeak-ng --voices=vi`); `+variant` may follow, e.g. "vi+f2".
ESPEAK_VIETNAMESE = ("vi", "vi-vn-x-south", "vi-vn-x-central")
DEFAULT_VOICES_URL = "https://huggingface.co/rhasspy/piper-voices/resolve/main"
DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_PROGRAM_TITLE = "Chương trình thời sự"

#: Every table of the station file and its keys: a key or table not listed here is refused
#: as a typo, naming the closest listed one. Adding a setting is one line: its name here
#: (then read it where its table is parsed); a new table is one new entry. Sub-tables
#: (`articles.sources`) are keys of their parent by being listed; `programs` and
#: `articles.sources` describe each of their [[...]] tables; `voices.*` is any [voices.NAME].
TABLE_KEYS: dict[str, frozenset[str]] = {
    "station": frozenset({"name", "district", "province", "timezone", "region", "dir", "templates", "clips"}),
    "programs": frozenset({"id", "title", "broadcast", "build", "build_day_before", "weekdays", "max_items",
                           "template", "news_minutes"}),
    "articles": frozenset({"folders", "max_age_days", "news_minutes", "syllables_per_minute", "cleaning_rules",
                           "timeout", "max_page_bytes", "user_agent", "allow_hosts", "budget_seconds",
                           "stable_seconds"}),
    "articles.sources": frozenset({"kind", "name", "repeat", "path", "url", "urls", "full_text", "link_pattern",
                                   "max_links"}),
    "speech": frozenset({"engines", "espeak_voice", "espeak_speed", "gtts_timeout", "dialect", "mung",
                         "read_addresses"}),
    "output": frozenset({"dir", "bitrate_kbps", "sample_rate", "channels", "max_minutes", "publish_degraded",
                         "keep_days"}),
    "audio": frozenset({"target_lufs", "true_peak_db", "cache_mb", "workers", "online_min_interval",
                        "online_retries", "online_backoff_seconds", "online_timeout"}),
    "text": frozenset({"lexicon"}),
    "schedule": frozenset({"retries", "retry_delay_seconds", "catch_up_grace_minutes", "build_lock_wait_seconds"}),
    "voices": frozenset({"download_url"}),
    "voices.*": frozenset({"engine", "voice", "rate", "pitch", "region", "fallback"}),
    "alerts": frozenset({"command", "webhook", "email_to", "email_from", "smtp_host", "smtp_port",
                         "timeout_seconds", "source_failures"}),
    # Read by their owners through `section()`: newsroom.web_settings, approval.settings.
    "web": frozenset({"host", "port", "public_delivery", "secret", "session_hours", "secure_cookies", "feed_days",
                      "language", "public_url"}),
    "approval": frozenset({"required", "approve_by", "policy"}),
}


def table_keys(table: str) -> frozenset[str]:
    """The keys `table` ("" for the top level) may hold: its settings and its sub-tables."""
    prefix = f"{table}." if table else ""
    children = {path[len(prefix):].split(".")[0] for path in TABLE_KEYS if path.startswith(prefix)}
    return TABLE_KEYS.get(table, frozenset()) | (children - {"*"})


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
    #: Built the day before it airs (build time not before broadcast time, e.g. 23:30 for 00:15).
    build_day_before: bool = False


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
class AlertSettings:
    """[alerts]: the channels that tell the operator a program did not air as it should."""

    #: A program run with the alert's facts as JSON on stdin, e.g. ["/usr/local/bin/bao-dong"].
    command: tuple[str, ...] = ()
    #: An HTTP(S) address that receives the facts as a JSON POST.
    webhook: str | None = None
    #: E-mail over SMTP: recipients, sender, server.
    email_to: tuple[str, ...] = ()
    email_from: str = "radio-gen@localhost"
    smtp_host: str = "localhost"
    smtp_port: int = 25
    #: Each channel gets at most this long: an alert never holds a build.
    timeout_seconds: float = 10.0
    #: A source that failed this many runs in a row is reported.
    source_failures: int = 3


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
    #: [output] publish_degraded: whether a program without news replaces latest/.
    publish_degraded: bool = True
    alerts: AlertSettings = field(default_factory=AlertSettings)

    @property
    def lexicon_file(self) -> Path:
        """The station's lexicon: `[text] lexicon`, else lexicon.txt in the station folder
        (where the newsroom's Phát âm page writes), used by builds when it exists."""
        return self.lexicon or self.station_dir / "lexicon.txt"

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


#: Tables written as [[name]], one per item.
_ARRAYS = frozenset({"programs", "articles.sources"})


def _table_label(schema: str) -> str:
    """How the operator writes the table: [speech], [[programs]], [voices.NAME]."""
    if schema in _ARRAYS:
        return f"[[{schema}]]"
    return f"[{schema.replace('*', 'NAME')}]" if schema else "the top of the file (before any [table])"


def _show(value: Any, limit: int = 60) -> str:
    """A value as the operator wrote it, cut short: a 5,000-character typo is not echoed whole."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _number_text(value: float) -> str:
    return str(value) if isinstance(value, int) else f"{value:g}"


def nearest(name: str, choices: Any) -> str | None:
    """The valid name nearest a misspelled one (case aside), or None when none is near."""
    by_lower = {str(c).lower(): str(c) for c in choices}
    found = difflib.get_close_matches(name.strip().lower(), sorted(by_lower), n=1, cutoff=0.6)
    return by_lower[found[0]] if found else None


def closest(name: str, choices: Any) -> str:
    """"; did you mean 'x'?" for the valid name nearest `name`, or "" when none is near."""
    found = nearest(name, choices)
    return f"; did you mean {found!r}?" if found else ""


class _Reader:
    """Typed access to one TOML table that reports `file: key 'table.key': problem`.

    Made with its `schema` (a TABLE_KEYS entry), a reader refuses at once every key that
    table does not have: a misspelled key never silently leaves its default in place.
    """

    def __init__(self, origin: str, table: dict[str, Any], prefix: str = "", schema: str | None = None,
                 label: str = "") -> None:
        self.origin, self.table, self.prefix = origin, table, prefix
        self.schema, self.label = schema, label or _table_label(schema or "")
        if schema is not None:
            self._refuse_unknown(schema)

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.origin}: key '{self.prefix}{key}': {problem}")

    def _child_schema(self, key: str) -> str | None:
        if self.schema is None:
            return None
        path = f"{self.schema}.{key}" if self.schema else key
        if path in TABLE_KEYS:
            return path
        wildcard = f"{self.schema}.*" if self.schema else "*"
        return wildcard if wildcard in TABLE_KEYS else None

    def _refuse_unknown(self, schema: str) -> None:
        known = table_keys(schema)
        open_tables = (f"{schema}.*" if schema else "*") in TABLE_KEYS
        for key, value in self.table.items():
            if key in known or (open_tables and isinstance(value, dict)):
                continue
            near = nearest(key, known)
            if open_tables and not near:
                continue  # the table's parser says what a [NAME] table must be
            if isinstance(value, dict) or (isinstance(value, list) and value and
                                           all(isinstance(v, dict) for v in value)):
                name = f"{self.prefix}{key}"
                written = f"[[{name}]]" if isinstance(value, list) else f"[{name}]"
                child = self._child_schema(near) if near else None
                hint = f"; did you mean {_table_label(child) if child else repr(near)}?" if near else ""
                raise ConfigError(f"{self.origin}: {written}: unknown table{hint}")
            if near:
                hint = f"; did you mean {near!r}?"
            else:
                owners = [_table_label(t) for t, keys in TABLE_KEYS.items() if key in keys and t != schema]
                hint = (f"; '{key}' is a setting of {' or '.join(owners)}: in TOML a key belongs to the "
                        "[table] written above it, so move it under that header") if owners else \
                    f" (it has: {', '.join(sorted(known))})"
            raise self.fail(key, f"unknown key in {self.label}{hint}")

    def sub(self, key: str) -> "_Reader":
        value = self.table.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, "must be a table like [" + self.prefix + key + "]")
        return _Reader(self.origin, value, f"{self.prefix}{key}.", self._child_schema(key),
                       f"[{self.prefix}{key}]")

    def items(self, key: str) -> list["_Reader"]:
        """The tables of a [[key]] array, one reader each."""
        raw = self.get(key, list, [])
        readers = []
        for index, table in enumerate(raw):
            if not isinstance(table, dict):
                raise self.fail(f"{key}[{index}]", f"must be a table written as [[{self.prefix}{key}]]")
            readers.append(_Reader(self.origin, table, f"{self.prefix}{key}[{index}].", self._child_schema(key),
                                   f"[[{self.prefix}{key}]] number {index + 1}"))
        return readers

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
            raise self.fail(key, f"must be {_kind_name(kind)}, got {_show(value)}")
        if isinstance(value, str) and not value.strip():
            raise self.fail(key, "must not be empty")
        return value

    def number(self, key: str, kind: type, default: Any, low: float, high: float, *, unit: str = "",
               above: bool = False, says: str | None = None) -> Any:
        """A number in [low, high] (`above`: low itself excluded); `says` replaces the usual message."""
        value = self.get(key, kind, default)
        if value is None or (low < value <= high if above else low <= value <= high):
            return value
        unit = f" {unit}" if unit else ""
        raise self.fail(key, (says or f"must be between {_number_text(low)} and {_number_text(high)}{unit}")
                        + f", got {_number_text(value)}")

    def time(self, key: str, default: Any = ...) -> dt.time:
        """A time of day in the station's timezone: "05:30" (or a TOML time, 05:30:00), no offset."""
        raw = self.table.get(key)
        if not isinstance(raw, dt.time):
            raw = self.get(key, str, default)
            try:
                raw = dt.time.fromisoformat(raw)
            except ValueError:
                raise self.fail(key, f"must be a time like \"05:30\", got {_show(raw)}") from None
        if raw.tzinfo is not None:
            raise self.fail(key, f"must be a local time like \"05:30\", without an offset: times are read in "
                                 f"[station] timezone; got {_show(self.table[key])}")
        return raw

    def path(self, key: str, base: Path, default: Any = None) -> Path | None:
        """A path relative to `base` (`default` ... : required)."""
        raw = self.get(key, str, default)
        return None if raw is None else _resolve(base, raw, lambda problem: self.fail(key, problem))


def section(config: StationConfig, name: str) -> _Reader:
    """Typed access to one table of the station file, for modules that own its settings
    (its keys are listed in TABLE_KEYS, and were checked when the file was loaded)."""
    return _Reader(str(config.source or "bundled demo station"), config.tables, schema="").sub(name)


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "text in quotes", int: "a whole number", float: "a number", bool: "true or false",
             list: "a list like [\"a\", \"b\"]", dict: "a table"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _resolve(base: Path, raw: str, fail: Callable[[str], ConfigError]) -> Path:
    """`raw` with `~` expanded, relative to `base`; a path that cannot be made is `fail(problem)`."""
    if "\0" in raw:
        raise fail("must not contain a NUL character")
    try:
        path = Path(raw).expanduser()
    except RuntimeError:
        user = raw[1:].split("/", 1)[0]
        raise fail(f"{_show(raw)}: there is no user {user!r} on this machine to take the home folder of; "
                   "write the full path") from None
    if path.parts and path.parts[0].startswith("~"):
        raise fail(f"{_show(raw)}: no home folder is known (HOME is not set); write the full path")
    try:
        return path if path.is_absolute() else (base / path).resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        raise fail(f"{_show(raw)} is not a usable path ({exc})") from None


def _timezone(station: _Reader) -> str:
    """A real zone of the tz database, or an error saying what to write."""
    tz = station.get("timezone", str, DEFAULT_TIMEZONE)
    try:
        ZoneInfo(tz)
        return tz
    except (ZoneInfoNotFoundError, ValueError, OSError):
        pass  # "Asia" is a folder of the database, a 5,000-character name too long a file name
    hint = closest(tz, available_timezones()) if len(tz) <= 64 else ""
    raise station.fail("timezone", f"unknown timezone {_show(tz)}{hint} (for Vietnam: \"{DEFAULT_TIMEZONE}\")")


def _weekdays(r: _Reader) -> tuple[str, ...]:
    """Broadcast days as the operator names them, in English or the Vietnamese way (thu2 = Monday)."""
    raw = r.get("weekdays", list, list(WEEKDAYS))
    if not raw:
        raise r.fail("weekdays", "must name at least one day, e.g. [\"mon\", \"tue\"]")
    days = set()
    for item in raw:
        if not isinstance(item, str):
            raise r.fail("weekdays", f"must list day names in quotes, got {_show(item)}")
        day = _WEEKDAY_NAMES.get(re.sub(r"\s+", "", unicodedata.normalize("NFC", item).lower()))
        if day is None:
            raise r.fail("weekdays", f"unknown day {_show(item)}{closest(item, _WEEKDAY_NAMES)} (write mon, tue, "
                                     "wed, thu, fri, sat, sun; or thu2 … thu7 and cn: thứ 2 is Monday, "
                                     "chủ nhật Sunday)")
        days.add(day)
    return tuple(d for d in WEEKDAYS if d in days)


def _clock_text(time: dt.time) -> str:
    return time.isoformat(timespec="seconds" if time.second else "minutes")


def _build_time(r: _Reader, broadcast: dt.time) -> tuple[dt.time, bool]:
    """The build time and whether it falls on the day before the broadcast.

    A build time not before the broadcast time means the day before: written on purpose
    (23:30 for 00:15) it needs `build_day_before = true`; by mistake (06:00 for 05:30) it
    would air news a day old, so without that key it is an error that says so.
    """
    day = dt.date(2000, 1, 2)
    default = (dt.datetime.combine(day, broadcast) - dt.timedelta(minutes=30)).time()
    build = r.time("build", _clock_text(default)) if "build" in r.table else default
    day_before = r.get("build_day_before", bool, False)
    needs_day_before = build >= broadcast
    if "build" not in r.table:
        return build, needs_day_before
    if needs_day_before and not day_before:
        early = dt.timedelta(days=1) - (dt.datetime.combine(day, build) - dt.datetime.combine(day, broadcast))
        hours = early.total_seconds() / 3600
        amount = f"~{hours:.1f} h".replace(".0 h", " h") if hours >= 2 else f"{round(hours * 60)} min"
        raise r.fail("build", f"{_clock_text(build)} is not before broadcast {_clock_text(broadcast)}: the program "
                              f"would be built {amount} early, the day before it airs, with yesterday's news. "
                              f"Set build before the broadcast (e.g. \"{_clock_text(default)}\"), or add "
                              "build_day_before = true if it must be built the day before")
    if day_before and not needs_day_before:
        raise r.fail("build_day_before", f"is true, but build {_clock_text(build)} comes before broadcast "
                                         f"{_clock_text(broadcast)} on the same day: remove build_day_before, or "
                                         "set a build time not before the broadcast")
    return build, needs_day_before


def _program(r: _Reader) -> ProgramConfig:
    pid = r.get("id", str, required=True)
    if not pid.replace("-", "").replace("_", "").isalnum() or not pid.isascii():
        raise r.fail("id", f"must be short ASCII letters, digits, '-' or '_' (it names files), got {_show(pid)}")
    broadcast = r.time("broadcast")
    build, day_before = _build_time(r, broadcast)
    return ProgramConfig(
        id=pid,
        title=r.get("title", str, DEFAULT_PROGRAM_TITLE),
        broadcast=broadcast,
        build=build,
        weekdays=_weekdays(r),
        max_items=r.number("max_items", int, ProgramConfig.max_items, 1, 100),
        template=r.get("template", str, ProgramConfig.template),
        news_minutes=_minutes(r, None),
        build_day_before=day_before,
    )


def _minutes(reader: _Reader, default: float | None) -> float | None:
    return reader.number("news_minutes", float, default, 0, 240, unit="minutes", above=True)


def _engine_list(r: _Reader, key: str, raw: Any, allowed: tuple[str, ...], example: str) -> tuple[str, ...]:
    """Engine names, each a known one (the error names the nearest), none twice."""
    if not isinstance(raw, list) or not raw or not all(isinstance(e, str) for e in raw):
        raise r.fail(key, f"must list engine names, e.g. {example} ({', '.join(allowed)})")
    names = tuple(e.strip().lower() for e in raw)
    for name in names:
        if name not in allowed:
            raise r.fail(key, f"unknown engine {_show(name)}{closest(name, allowed)}; choose from: {', '.join(allowed)}")
    if len(set(names)) != len(names):
        raise r.fail(key, f"names an engine twice: {_show(list(raw))}")
    return names


def _source(r: _Reader, base: Path) -> SourceConfig:
    kind = r.get("kind", str, required=True)
    allowed = {"folder": {"path"}, "feed": {"url", "full_text"}, "listing": {"url", "link_pattern", "max_links"},
               "page": {"url", "urls"}}
    if kind not in allowed:
        raise r.fail("kind", f"must be one of {', '.join(SOURCE_KINDS)}, got {_show(kind)}")
    unknown = sorted(set(r.table) - allowed[kind] - {"kind", "name", "repeat"})
    if unknown:
        raise r.fail(unknown[0], f"is not a setting of a {kind} source (it has: "
                     f"{', '.join(sorted(allowed[kind] | {'name', 'repeat'}))})")
    repeat = r.get("repeat", bool, SourceConfig.repeat)
    if kind == "folder":
        path = r.path("path", base, ...)
        return SourceConfig(kind, r.get("name", str, f"folder:{path}"), path=path, repeat=repeat)
    urls: list[str] = []
    if "url" in r.table:
        urls.append(r.get("url", str))
    if "urls" in r.table:
        more = r.get("urls", list)
        if not all(isinstance(u, str) for u in more):
            raise r.fail("urls", "must be a list of addresses in quotes")
        urls.extend(more)
    if not urls:
        raise r.fail("url", "is required (the address to fetch)")
    for url in urls:
        if not url.startswith(("http://", "https://")):
            raise r.fail("url", f"must start with http:// or https://, got {_show(url)}")
    name = r.get("name", str, f"{kind}:{urls[0]}")
    if kind == "feed":
        return SourceConfig(kind, name, url=urls[0], full_text=r.get("full_text", bool, SourceConfig.full_text),
                            repeat=repeat)
    if kind == "page":
        return SourceConfig(kind, name, urls=tuple(urls), repeat=repeat)
    pattern = r.get("link_pattern", str, required=True)
    try:
        re.compile(pattern)
    except re.error as exc:
        raise r.fail("link_pattern", f"is not a valid regular expression ({exc})") from None
    max_links = r.number("max_links", int, SourceConfig.max_links, 1, 200)
    return SourceConfig(kind, name, url=urls[0], link_pattern=pattern, max_links=max_links, repeat=repeat)


def _articles(articles: _Reader, base: Path) -> ArticlesConfig:
    """`[articles]` with its `[[articles.sources]]`; the older `folders` list still works."""
    sources = [_source(r, base) for r in articles.items("sources")]
    folders = articles.get("folders", list, [] if sources else ["articles"])
    if not all(isinstance(f, str) and f.strip() for f in folders):
        raise articles.fail("folders", "must be a list of folder paths in quotes")
    paths = [_resolve(base, f, lambda problem: articles.fail("folders", problem)) for f in folders]
    sources[:0] = [SourceConfig("folder", f"folder:{path}", path=path) for path in paths]
    names = [s.name for s in sources]
    if len(set(names)) != len(names):
        raise articles.fail("sources", f"two sources have the same name: give each a different name ({names})")
    defaults = ArticlesConfig
    return ArticlesConfig(
        sources=tuple(sources),
        max_age_days=articles.number("max_age_days", int, defaults.max_age_days, 0, 3650,
                                     says="must be between 0 (no limit) and 3650"),
        news_minutes=_minutes(articles, defaults.news_minutes),
        syllables_per_minute=articles.number("syllables_per_minute", int, defaults.syllables_per_minute, 60, 600),
        cleaning_rules=articles.path("cleaning_rules", base),
        timeout=articles.number("timeout", float, defaults.timeout, 0, 300, unit="seconds", above=True),
        max_page_bytes=articles.number("max_page_bytes", int, defaults.max_page_bytes, 10_000, 200_000_000),
        user_agent=articles.get("user_agent", str, defaults.user_agent),
        allow_hosts=_hosts(articles),
        budget_seconds=articles.number("budget_seconds", float, defaults.budget_seconds, 1, 7200, unit="seconds"),
        stable_seconds=articles.number("stable_seconds", float, defaults.stable_seconds, 0, 3600, unit="seconds"))


def _hosts(articles: _Reader) -> tuple[str, ...]:
    allow_hosts = articles.get("allow_hosts", list, [])
    if not all(isinstance(h, str) and h.strip() and not any(c in h for c in "/: ") for h in allow_hosts):
        raise articles.fail("allow_hosts", "must be a list of host names or addresses, e.g. [\"192.168.1.10\"]")
    return tuple(h.strip() for h in allow_hosts)


_ROLE_NAME_HINT = "short ASCII letters, digits, '-' or '_', e.g. [voices.A]"


def _voices(root: _Reader, station_dir: Path) -> VoicesSettings:
    """`[voices]`: `download_url`, and one `[voices.NAME]` table per announcer."""
    voices = root.sub("voices")
    download_url = voices.get("download_url", str, DEFAULT_VOICES_URL).rstrip("/")
    if not download_url.startswith(("http://", "https://")):
        raise voices.fail("download_url", f"must be an http:// or https:// address, got {_show(download_url)}")
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
    [engine] = _engine_list(r, "engine", [r.get("engine", str, required=True)], ROLE_ENGINES, "\"piper\"")
    voice = r.get("voice", str, None)
    if engine == "piper" and voice is None:
        raise r.fail("voice", "piper needs a voice: a name like \"vi_VN-vais1000-medium\" "
                              "(see `radio-gen voices list`) or a path to an .onnx file")
    if engine == "piper" and (voice.endswith(".onnx") or "/" in voice):
        voice = str(r.path("voice", station_dir))  # a path, relative to the station folder
    if engine == "edge-tts" and voice is not None and not voice.lower().startswith("vi-"):
        raise r.fail("voice", f"{_show(voice)} is not a Vietnamese edge-tts voice; use \"vi-VN-HoaiMyNeural\" "
                              "(female) or \"vi-VN-NamMinhNeural\" (male)")
    if engine in ("gtts", "espeak-ng") and voice is not None:
        raise r.fail("voice", f"{engine} has no voice choice here; for espeak-ng set region instead")
    rate = r.number("rate", float, VoiceRole.rate, 0.5, 2.0,
                    says="must be between 0.5 (slower) and 2.0 (faster), 1.0 is normal")
    if engine == "gtts" and rate != 1.0:
        raise r.fail("rate", "gtts cannot change its speaking rate; remove rate or choose another engine")
    pitch = r.number("pitch", int, VoiceRole.pitch, -50, 50, says="must be between -50 and 50, 0 is the voice's own")
    if engine in ("gtts", "piper") and pitch != 0:
        raise r.fail("pitch", f"{engine} cannot change pitch; remove pitch or use edge-tts or espeak-ng")
    region = _region(r)
    fallback = r.get("fallback", list, None)
    if fallback:
        fallback = _engine_list(r, "fallback", fallback, tuple(e for e in ROLE_ENGINES if e != "piper"),
                                "[\"gtts\"] (espeak-ng always comes last)")
    elif fallback is not None:
        fallback = ()
    return VoiceRole(name=name, engine=engine, voice=voice, rate=rate, pitch=pitch, region=region,
                     fallback=fallback)


def _region(r: _Reader) -> str | None:
    region = r.get("region", str, None)
    if region is not None and region not in REGIONS:
        raise r.fail("region", f"must be one of {', '.join(REGIONS)}, got {_show(region)}{closest(region, REGIONS)}")
    return region


def _speech(speech: _Reader) -> SpeechSettings:
    """`[speech]`: engines that exist, espeak-ng settings it can speak Vietnamese with."""
    defaults = SpeechSettings
    raw = speech.get("engines", list, list(defaults.engines))
    if any(isinstance(e, str) and e.strip().lower() == "piper" for e in raw):
        raise speech.fail("engines", "piper needs a voice: give it one in an announcer table, e.g. [voices.A] "
                                     "engine = \"piper\" voice = \"vi_VN-vais1000-medium\"")
    engines = _engine_list(speech, "engines", raw, SPEECH_ENGINES, "[\"gtts\", \"espeak-ng\"]")
    dialect = speech.get("dialect", str, defaults.dialect)
    if dialect not in ("north", "south"):
        raise speech.fail("dialect", f"must be \"north\" or \"south\", got {_show(dialect)}")
    voice = speech.get("espeak_voice", str, defaults.espeak_voice).strip()
    language, plus, variant = voice.partition("+")
    if language.lower() not in ESPEAK_VIETNAMESE:
        raise speech.fail("espeak_voice", f"{_show(voice)} is not a Vietnamese espeak-ng voice"
                                          f"{closest(language, ESPEAK_VIETNAMESE)}; use one of "
                                          f"{', '.join(ESPEAK_VIETNAMESE)} (or set [station] region)")
    if plus and not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", variant):
        raise speech.fail("espeak_voice", f"{_show(voice)}: after '+' comes an espeak-ng variant name such as "
                                          "\"f2\" (see `espeak-ng --voices=variant`)")
    return SpeechSettings(
        engines=engines,
        espeak_voice=language.lower() + plus + variant,
        espeak_speed=speech.number("espeak_speed", int, defaults.espeak_speed, 80, 450, unit="words per minute"),
        gtts_timeout=speech.number("gtts_timeout", float, defaults.gtts_timeout, 0, 120, unit="seconds", above=True),
        dialect=dialect,
        mung=speech.get("mung", bool, defaults.mung),
        read_addresses=speech.get("read_addresses", bool, defaults.read_addresses),
    )


def _output(mp3: _Reader) -> Mp3Settings:
    defaults = Mp3Settings
    bitrate = mp3.get("bitrate_kbps", int, defaults.bitrate_kbps)
    if bitrate not in (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320):
        raise mp3.fail("bitrate_kbps", f"must be an MP3 bitrate such as 48, 64 or 128, got {bitrate}")
    rate = mp3.get("sample_rate", int, defaults.sample_rate)
    if rate not in (16000, 22050, 24000, 32000, 44100, 48000):
        raise mp3.fail("sample_rate", f"must be one of 16000, 22050, 24000, 32000, 44100, 48000, got {rate}")
    channels = mp3.get("channels", int, defaults.channels)
    if channels not in (1, 2):
        raise mp3.fail("channels", f"must be 1 (mono) or 2 (stereo), got {channels}")
    return Mp3Settings(bitrate_kbps=bitrate, sample_rate=rate, channels=channels,
                       max_minutes=mp3.number("max_minutes", float, defaults.max_minutes, 1, 1440, unit="minutes"))


def parse_config(data: dict[str, Any], *, origin: str, base: Path, state_base: Path | None = None) -> StationConfig:
    """Validate a parsed TOML document; `base` resolves relative paths.

    `state_base` (default: `base`) is where the station keeps state and output when the
    file does not say: the bundled demo keeps them in a per-user folder.
    """
    root = _Reader(origin, data, schema="")
    for table in sorted(table_keys("")):
        if isinstance(data.get(table), dict):
            root.sub(table)  # every table's keys checked, also those its owner module reads later
    state_base = state_base or base
    station = root.sub("station")
    tz = _timezone(station)

    programs = tuple(_program(r) for r in root.items("programs"))
    if not programs:
        raise root.fail("programs", "add at least one [[programs]] table with id, title and broadcast")
    ids = [p.id for p in programs]
    if len(set(ids)) != len(ids):
        raise root.fail("programs", f"program ids must be unique, got {ids}")

    station_dir = station.path("dir", state_base, ".")
    intake = _articles(root.sub("articles"), base)
    output = root.sub("output")
    return StationConfig(
        name=station.get("name", str, required=True),
        district=station.get("district", str, ""),
        province=station.get("province", str, ""),
        timezone=tz,
        programs=programs,
        articles_dirs=tuple(s.path for s in intake.sources if s.path is not None),
        output_dir=output.path("dir", state_base, "audio_out"),
        station_dir=station_dir,
        templates_dir=station.path("templates", station_dir, "templates"),
        clips_dir=station.path("clips", station_dir, "clips"),
        lexicon=root.sub("text").path("lexicon", station_dir),
        speech=_speech(root.sub("speech")),
        mp3=_output(output),
        audio=_audio(root.sub("audio")),
        source=None,
        intake=intake,
        schedule=_schedule(root.sub("schedule")),
        region=_region(station),
        voices=_voices(root, station_dir),
        tables=data,
        publish_degraded=output.get("publish_degraded", bool, True),
        alerts=_alerts(root.sub("alerts")),
    )


def _alerts(r: _Reader) -> AlertSettings:
    """The [alerts] table: every key optional; no channel means no alert is sent."""
    command = r.get("command", (str, list), [])
    command = [command] if isinstance(command, str) else command
    if not all(isinstance(part, str) and part for part in command):
        raise r.fail("command", f"must be a program and its arguments, e.g. [\"/usr/local/bin/bao-dong\"]; "
                                f"got {command!r}")
    webhook = r.get("webhook", str, None)
    if webhook is not None and not webhook.startswith(("http://", "https://")):
        raise r.fail("webhook", f"must be an http:// or https:// address, got {webhook!r}")
    email_to = r.get("email_to", (str, list), [])
    email_to = [email_to] if isinstance(email_to, str) else email_to
    if not all(isinstance(a, str) and "@" in a for a in email_to):
        raise r.fail("email_to", f"must be e-mail addresses, e.g. [\"ky-thuat@example.vn\"]; got {email_to!r}")
    port = r.number("smtp_port", int, AlertSettings.smtp_port, 1, 65535, says="must be a port number, 1 to 65535")
    timeout = r.number("timeout_seconds", float, AlertSettings.timeout_seconds, 0, 120, unit="seconds", above=True)
    streak = r.number("source_failures", int, AlertSettings.source_failures, 1, 100, unit="runs")
    return AlertSettings(command=tuple(command), webhook=webhook, email_to=tuple(email_to),
                         email_from=r.get("email_from", str, AlertSettings.email_from),
                         smtp_host=r.get("smtp_host", str, AlertSettings.smtp_host), smtp_port=port,
                         timeout_seconds=timeout, source_failures=streak)


def _audio(r: _Reader) -> AudioSettings:
    """The [audio] table: every key optional, each bounded to a sane range."""
    online, audio = OnlineSettings, AudioSettings
    return AudioSettings(
        target_lufs=r.number("target_lufs", float, audio.target_lufs, -40, -5),
        true_peak_db=r.number("true_peak_db", float, audio.true_peak_db, -12, 0),
        cache_mb=r.number("cache_mb", int, audio.cache_mb, 0, 100_000),
        workers=r.number("workers", int, audio.workers, 0, 64),
        online=OnlineSettings(
            min_interval=r.number("online_min_interval", float, online.min_interval, 0, 60),
            retries=r.number("online_retries", int, online.retries, 0, 10),
            backoff=r.number("online_backoff_seconds", float, online.backoff, 0, 60),
            timeout=r.number("online_timeout", float, online.timeout, 1, 600)))


def _schedule(r: _Reader) -> ScheduleSettings:
    """The [schedule] table: every key optional, each bounded to a sane range."""
    limits = {"retries": (0, 20), "retry_delay_seconds": (0, 3600),
              "catch_up_grace_minutes": (0, 1440), "build_lock_wait_seconds": (0, 7200)}
    return ScheduleSettings(**{key: r.number(key, int, getattr(ScheduleSettings, key), low, high)
                               for key, (low, high) in limits.items()})


def find_station_file(path: Path | str | None = None) -> Path | None:
    """The station file a command uses: `path` (--config), else $RADIO_GEN_CONFIG, else
    ./station.toml; None when there is none, and the bundled demo is used."""
    if path is not None:
        return Path(path)
    try:
        here = Path.cwd() / STATION_FILE
    except OSError:  # the current folder was deleted
        here = None
    named = os.environ.get(CONFIG_ENV, "").strip()
    if named:
        chosen = Path(named).expanduser()
        if not chosen.exists():
            raise ConfigError(f"{chosen}: station file not found (named by {CONFIG_ENV}; fix it, or unset it "
                              f"to use ./{STATION_FILE})")
        if here is not None and here.is_file() and here.resolve() != chosen.resolve():
            log.warning("using the station file %s (%s); %s is not used", chosen, CONFIG_ENV, here)
        return chosen
    if here is not None and here.is_file():
        log.info("station file: %s", here)
        return here
    return None


def demo_state_dir() -> Path:
    """Where the bundled demo keeps its programs, store and cache: never the current folder."""
    xdg = os.environ.get("XDG_STATE_HOME", "").strip()
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "radio-gen" / "demo"
    try:
        return Path.home() / ".local" / "state" / "radio-gen" / "demo"
    except RuntimeError:
        raise ConfigError("no home folder for the demo station's files: set XDG_STATE_HOME, or give a station "
                          "file with --config") from None


def load_demo() -> StationConfig:
    """The bundled demo station, its state in `demo_state_dir()`.

    Its sample articles are the same every day, so for the demo only they never age and
    may air again; the demo's station.toml itself stays one an operator can copy.
    """
    state = demo_state_dir()
    with resources.as_file(resources.files(DEMO_PACKAGE)) as demo_dir:
        data = tomllib.loads((demo_dir / STATION_FILE).read_text(encoding="utf-8"))
        config = parse_config(data, origin="bundled demo station", base=Path(demo_dir), state_base=state)
    samples = tuple(replace(source, repeat=True) for source in config.intake.sources)
    return replace(config, intake=replace(config.intake, max_age_days=0, sources=samples))


def load_config(path: Path | str | None = None) -> StationConfig:
    """Load the station file `find_station_file` picks, or the bundled demo when there is none."""
    found = find_station_file(path)
    if found is None:
        config = load_demo()
        log.warning("no station file (no --config, no %s, no %s in this folder): using the bundled demo station; "
                    "its programs, store and cache are in %s", CONFIG_ENV, STATION_FILE, config.station_dir)
        return config
    text = read_station_file(found, "station file", ConfigError)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{found}: not valid TOML: {exc}") from None
    return replace(parse_config(data, origin=str(found), base=found.resolve().parent), source=found)
