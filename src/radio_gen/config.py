"""The station file: where it is, its top level, and each owner's settings assembled into one.

Each table's settings live with the subsystem that uses them and parse themselves from
their table (`tts.settings`, `audio.settings`, `sources.settings`, `programs`, `alerts`);
the generic reader (types, unknown keys, messages that name the file and the key) is
`settings_reader`. What stays here is the station file's own level: finding the file,
`[station]` and `[text]`, assembling the sections, and the checks across sections.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from radio_gen import alerts, clock, newsroom_settings, publish
from radio_gen import programs as program_settings
from radio_gen.alerts import AlertSettings
from radio_gen.audio import settings as audio_settings
from radio_gen.audio.settings import AudioSettings
from radio_gen.errors import read_station_file
from radio_gen.newsroom_settings import ApprovalSettings, WebSettings
from radio_gen.programs import ProgramConfig, ScheduleSettings
from radio_gen.publish import OutputSettings
from radio_gen.settings_reader import ConfigError, TableReader, closest, show
from radio_gen.intake.sources import settings as source_settings
from radio_gen.intake.sources.settings import ArticlesConfig
from radio_gen.tts import settings as speech_settings
from radio_gen.tts.settings import SpeechSettings, VoicesSettings, region

log = logging.getLogger(__name__)

DEMO_PACKAGE = "radio_gen.demo"
#: Where a station file is looked for when no --config is given (before ./station.toml).
CONFIG_ENV = "RADIO_GEN_CONFIG"
STATION_FILE = "station.toml"
DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"

#: Every table of the station file and its keys: a key or table not listed here is refused
#: as a typo, naming the closest listed one. Each owner lists its own tables (their keys
#: are the `setting()` fields of its dataclasses); sub-tables (`articles.sources`) are keys
#: of their parent by being listed; `voices.*` is any [voices.NAME].
TABLE_KEYS: dict[str, frozenset[str]] = {
    "station": frozenset({"name", "district", "province", "timezone", "region", "dir", "templates", "clips"}),
    **program_settings.TABLES,
    **source_settings.TABLES,
    **speech_settings.TABLES,
    **publish.TABLES,
    **audio_settings.TABLES,
    "text": frozenset({"lexicon"}),
    **alerts.TABLES,
    **newsroom_settings.TABLES,
}
#: Tables written as [[name]], one per item.
_ARRAYS = frozenset({"programs", "articles.sources"})

#: ConfigError is the settings reader's, named here too: every command catches it from the config.
__all__ = ["ConfigError", "StationConfig", "find_station_file", "load_config", "load_demo", "parse_config",
           "table_keys"]


def table_keys(table: str) -> frozenset[str]:
    """The keys `table` ("" for the top level) may hold: its settings and its sub-tables."""
    return _reader("", {}).keys(table)


def _reader(origin: str, data: dict[str, Any]) -> TableReader:
    """A reader of the whole station file, which refuses unknown tables and top-level keys."""
    return TableReader(origin, data, schema="", tables=TABLE_KEYS, arrays=_ARRAYS)


@dataclass(frozen=True)
class StationConfig:
    """Everything one station's builds need; paths are absolute."""

    name: str
    district: str
    province: str
    timezone: str
    programs: tuple[ProgramConfig, ...]
    #: [output]: the output folder, MP3 format, publishing and retention.
    output: OutputSettings
    station_dir: Path
    templates_dir: Path
    clips_dir: Path
    lexicon: Path | None
    speech: SpeechSettings = field(default_factory=SpeechSettings)
    audio: AudioSettings = field(default_factory=AudioSettings)
    source: Path | None = None
    articles: ArticlesConfig = field(default_factory=ArticlesConfig)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    #: north, central or south: picks the espeak-ng variant; None keeps [speech] espeak_voice.
    region: str | None = None
    voices: VoicesSettings = field(default_factory=VoicesSettings)
    #: [web]: the newsroom web page.
    web: WebSettings = field(default_factory=WebSettings)
    #: [approval]: whether a person must hear a program before it airs.
    approval: ApprovalSettings = field(default_factory=ApprovalSettings)
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


def parse_config(data: dict[str, Any], *, origin: str, base: Path, state_base: Path | None = None) -> StationConfig:
    """Validate a parsed TOML document; `base` resolves relative paths.

    `state_base` (default: `base`) is where the station keeps state and output when the
    file does not say: the bundled demo keeps them in a per-user folder.
    """
    root = _reader(origin, data)
    for table in sorted(table_keys("")):
        if isinstance(data.get(table), dict):
            root.sub(table)  # every table's keys checked, also those its owner module reads later
    state_base = state_base or base
    station = root.sub("station")
    tz = _timezone(station)

    programs = tuple(ProgramConfig.from_table(r) for r in root.items("programs"))
    if not programs:
        raise root.fail("programs", "add at least one [[programs]] table with id, title and broadcast")
    ids = [p.id for p in programs]
    if len(set(ids)) != len(ids):
        raise root.fail("programs", f"program ids must be unique, got {ids}")

    station_dir = station.path("dir", state_base, ".")
    articles = ArticlesConfig.from_table(root.sub("articles"), base)
    return StationConfig(
        name=station.get("name", str, required=True),
        district=station.get("district", str, ""),
        province=station.get("province", str, ""),
        timezone=tz,
        programs=programs,
        output=OutputSettings.from_table(root.sub("output"), state_base),
        station_dir=station_dir,
        templates_dir=station.path("templates", station_dir, "templates"),
        clips_dir=station.path("clips", station_dir, "clips"),
        lexicon=root.sub("text").path("lexicon", station_dir),
        speech=SpeechSettings.from_table(root.sub("speech")),
        audio=AudioSettings.from_table(root.sub("audio")),
        source=None,
        articles=articles,
        schedule=ScheduleSettings.from_table(root.sub("schedule")),
        region=region(station),
        voices=VoicesSettings.from_table(root.sub("voices"), station_dir),
        web=WebSettings.from_table(root.sub("web")),
        approval=ApprovalSettings.from_table(root.sub("approval")),
        alerts=AlertSettings.from_table(root.sub("alerts")),
    )


def _timezone(station: TableReader) -> str:
    """A real zone of the tz database, or an error saying what to write."""
    tz = station.get("timezone", str, DEFAULT_TIMEZONE)
    try:
        ZoneInfo(tz)
        return tz
    except (ZoneInfoNotFoundError, ValueError, OSError):
        pass  # "Asia" is a folder of the database, a 5,000-character name too long a file name
    hint = closest(tz, available_timezones()) if len(tz) <= 64 else ""
    raise station.fail("timezone", f"unknown timezone {show(tz)}{hint} (for Vietnam: \"{DEFAULT_TIMEZONE}\")")


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
    samples = tuple(replace(source, repeat=True) for source in config.articles.sources)
    return replace(config, articles=replace(config.articles, max_age_days=0, sources=samples))


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
