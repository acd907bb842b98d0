"""`radio-gen doctor`: what this machine lacks for a build, and how to fix it."""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from radio_gen.audio import AudioError
from radio_gen.audio.cache import MB, AudioCache
from radio_gen.audio.ffmpeg import ffmpeg, ffprobe
from radio_gen.config import ConfigError, StationConfig, load_config
from radio_gen.tts.online import OnlineSettings
from radio_gen.tts import UnknownEngine, create_engine
from radio_gen.tts.base import Engine, EngineError
from radio_gen.tts.online import OnlineGate
from radio_gen.tts.engines.espeak import find_espeak


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    required: bool = True


def machine_checks() -> list[Check]:
    """What every station needs of this machine, whatever its station file says."""
    return [_binary("ffmpeg", ffmpeg), _binary("ffprobe", ffprobe), _espeak_vietnamese()]


def run_checks(config: StationConfig) -> list[Check]:
    checks = machine_checks() + station_checks(config)
    usable = 0
    for name in config.speech.engines:
        try:
            engine = create_engine(name, config.speech)
            problem = engine.check()
        except UnknownEngine as exc:
            engine, problem = None, str(exc)
        if problem is None and engine is not None and engine.online:
            problem = reach_online_engine(engine, config)
        usable += problem is None
        checks.append(Check(f"engine {name}", problem is None, problem or
                            ("answered a short request" if engine is not None and engine.online else "available"),
                            required=False))
    checks.append(Check("engines", usable > 0, f"{usable} of {len(config.speech.engines)} configured engines usable"
                        if usable else "no configured engine can run: add \"espeak-ng\" to [speech] engines"))
    checks.extend(_announcers(config))
    checks.append(_writable(config))
    checks.append(_cache(config))
    checks.append(_newsroom(config))
    for folder in config.articles.folder_paths:
        checks.append(Check(f"articles folder {folder}", folder.is_dir(),
                            "exists" if folder.is_dir() else "missing: create it or fix [articles] folders",
                            required=False))
    return checks


def station_checks(config: StationConfig) -> list[Check]:
    """What the station file asks of this machine that loading it cannot tell: every espeak-ng
    voice it names (`[speech] espeak_voice`, regions, `+variants`) is one this espeak-ng has."""
    from radio_gen.tts.roles import espeak_variant

    binary = find_espeak()
    if binary is None:
        return []  # the espeak-ng check already says how to install it
    wanted = sorted({espeak_variant(config, None)} |
                    {espeak_variant(config, role) for role in config.voices.roles})
    try:
        languages = _espeak_names(binary, "--voices", 1)
        variants = _espeak_names(binary, "--voices=variant", -1) if any("+" in v for v in wanted) else set()
    except (OSError, subprocess.TimeoutExpired) as exc:
        return [Check("espeak-ng voices", False, f"{binary} does not run: {exc}")]
    checks = []
    for voice in wanted:
        language, _, variant = voice.lower().partition("+")
        missing = [f"{name} is not in `espeak-ng {option}`" for name, known, option in
                   ((language, languages, "--voices"), (variant, variants, "--voices=variant"))
                   if name and name not in known]
        checks.append(Check(f"espeak-ng voice {voice}", not missing, "installed" if not missing else
                            f"{'; '.join(missing)}: install espeak-ng-data, or fix [speech] espeak_voice"))
    return checks


def _espeak_names(binary: str, option: str, column: int) -> set[str]:
    """Lower-cased names in one column of `espeak-ng --voices` (language) or `--voices=variant` (file)."""
    listing = subprocess.run([binary, option], capture_output=True, text=True, timeout=10).stdout
    rows = [line.split() for line in listing.splitlines()[1:]]
    return {row[column].lower().rsplit("/", 1)[-1] for row in rows if len(row) > max(column, 1)}


#: What doctor asks an online engine to say: one short request.
PROBE_TEXT = "Xin chào."


def reach_online_engine(engine: Engine, config: StationConfig) -> str | None:
    """None when the online engine answers a real, short request in time, else why it did not.

    One attempt, no retry, cut off at the station's timeout for online requests: a
    doctor that waits on a dead network would be as unhelpful as one that does not ask.
    """
    settings = OnlineSettings(min_interval=0, retries=0, backoff=0,
                              timeout=min(config.audio.online.timeout, config.speech.gtts_timeout + 5))
    with tempfile.TemporaryDirectory(prefix="radio-gen-doctor-") as work:
        try:
            OnlineGate(settings).synthesize(engine, PROBE_TEXT, Path(work) / f"probe{engine.suffix}")
        except EngineError as exc:
            return (f"unreachable: {exc.reason}; builds fall back to the next engine "
                    "(check the network, proxy or firewall)")
    return None


def _announcers(config: StationConfig) -> list[Check]:
    """Each announcer's own engine; not required, as every announcer ends in espeak-ng."""
    from radio_gen.tts.roles import make_engine

    checks = []
    for role in config.voices.roles:
        engine = make_engine(role.engine, config, role)
        problem = engine.check()
        if problem is None and engine.online:
            problem = reach_online_engine(engine, config)
        checks.append(Check(f"announcer {role.name}", problem is None,
                            f"{engine.voice_id} ready" if problem is None
                            else f"{problem} (until then: its fallbacks speak)", required=False))
    return checks


def _binary(name: str, locate) -> Check:  # type: ignore[no-untyped-def]
    try:
        return Check(name, True, locate())
    except AudioError as exc:
        return Check(name, False, str(exc))


def _espeak_vietnamese() -> Check:
    binary = find_espeak()
    if binary is None:
        return Check("espeak-ng", False, "not installed: run `sudo apt-get install espeak-ng`")
    try:
        voices = subprocess.run([binary, "--voices=vi"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Check("espeak-ng", False, f"{binary} does not run: {exc}")
    if " vi" not in voices:
        return Check("espeak-ng", False, "no Vietnamese voice: install the full espeak-ng-data package")
    return Check("espeak-ng", True, f"{binary} (Vietnamese voices present)")


def _cache(config: StationConfig) -> Check:
    """Not required: without its cache a station still airs, it only rebuilds slower."""
    cache = AudioCache.of_station(config)
    try:
        cache.root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cache.root, prefix=".doctor-"):
            pass
    except OSError as exc:
        return Check("audio cache", False, f"{cache.root} is not writable ({exc.strerror}): programs still "
                     "air, but every build speaks and encodes everything again", required=False)
    return Check("audio cache", True, f"{cache.root}: {cache.usage() / MB:.0f} MB of {config.audio.cache_mb} MB",
                 required=False)


def _newsroom(config: StationConfig) -> Check:
    """Not required: the program airs without the web app; a broken [web] table is still reported."""
    from radio_gen.errors import RadioGenError
    from radio_gen.newsroom import web_check

    try:
        ok, detail = web_check(config)
    except RadioGenError as exc:
        return Check("newsroom", False, str(exc), required=False)
    return Check("newsroom", ok, detail, required=False)


def _writable(config: StationConfig) -> Check:
    folder = config.output.dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
            pass
    except OSError as exc:
        return Check("output folder", False, f"{folder} is not writable ({exc.strerror}): "
                     "fix its permissions or set [output] dir")
    return Check("output folder", True, f"{folder} is writable")


def check_station(config_path: Path | None) -> list[Check]:
    """Every check for the station file at `config_path` (None: the usual search).

    A station file that does not load is one failed check: the machine is still checked.
    """
    try:
        return run_checks(load_config(config_path))
    except ConfigError as exc:
        return [Check("station file", False, str(exc)), *machine_checks()]
