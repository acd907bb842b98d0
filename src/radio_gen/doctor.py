"""`radio-gen doctor`: what this machine lacks for a build, and how to fix it."""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass

from radio_gen.audio import AudioError
from radio_gen.audio.cache import MB, AudioCache
from radio_gen.audio.ffmpeg import ffmpeg, ffprobe
from radio_gen.config import StationConfig
from radio_gen.tts import UnknownEngine, create_engine
from radio_gen.tts.espeak import find_espeak


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    required: bool = True


def run_checks(config: StationConfig) -> list[Check]:
    checks = [_binary("ffmpeg", ffmpeg), _binary("ffprobe", ffprobe), _espeak_vietnamese()]
    usable = 0
    for name in config.speech.engines:
        try:
            problem = create_engine(name, config.speech).check()
        except UnknownEngine as exc:
            problem = str(exc)
        usable += problem is None
        checks.append(Check(f"engine {name}", problem is None, problem or "available", required=False))
    checks.append(Check("engines", usable > 0, f"{usable} of {len(config.speech.engines)} configured engines usable"
                        if usable else "no configured engine can run: add \"espeak-ng\" to [speech] engines"))
    checks.extend(_announcers(config))
    checks.append(_writable(config))
    checks.append(_cache(config))
    checks.append(_newsroom(config))
    for folder in config.articles_dirs:
        checks.append(Check(f"articles folder {folder}", folder.is_dir(),
                            "exists" if folder.is_dir() else "missing: create it or fix [articles] folders",
                            required=False))
    return checks


def _announcers(config: StationConfig) -> list[Check]:
    """Each announcer's own engine; not required, as every announcer ends in espeak-ng."""
    from radio_gen.tts.roles import make_engine

    checks = []
    for role in config.voices.roles:
        engine = make_engine(role.engine, config, role)
        problem = engine.check()
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
    folder = config.output_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
            pass
    except OSError as exc:
        return Check("output folder", False, f"{folder} is not writable ({exc.strerror}): "
                     "fix its permissions or set [output] dir")
    return Check("output folder", True, f"{folder} is writable")
