"""The station's signature tune and stinger, replaced by an editor's file (newsroom "Nhạc hiệu", `radio-gen clips`).

An uploaded file is checked before it can reach the air: ffprobe must find a real audio
stream, its length must suit the clip (a stinger of ten minutes is a mistake), and it
must not be silent. It is then decoded once (ffmpeg), brought to the station's loudness
target with the build's own leveler, and kept as `<clip>.flac` in the clips folder,
written under a temporary name and renamed, so a build never meets half a file. Files
it replaces are moved to `clips/da-thay/`, never deleted. The build finds the clip by
its name (`audio.clips.find_clip`), so the next build plays it.

The uploaded file's own name is never a path: only its suffix is looked at.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from radio_gen import atomic, audio, clock
from radio_gen.audio import loudness
from radio_gen.audio.clips import CLIP_SUFFIXES, TUNES, find_clip, load_clip
from radio_gen.audio.ffmpeg import ffmpeg, ffprobe
from radio_gen.config import StationConfig
from radio_gen.errors import CodedError
from radio_gen.intake.sources.names import upload_name
from radio_gen.users import Users


@dataclass(frozen=True)
class ClipKind:
    name: str
    #: Shortest and longest sensible length, in seconds.
    min_seconds: float
    max_seconds: float


#: The clips an editor may replace, by the name templates play them with (`clip("stinger")`).
KINDS = {k.name: k for k in (ClipKind("nhac-hieu", 2.0, 180.0), ClipKind("stinger", 0.3, 20.0))}
#: Other names for the same clips (the CLI's English words).
ALIASES = {"signature": "nhac-hieu", "tune": "nhac-hieu", "jingle": "stinger"}
#: File types accepted for upload.
UPLOAD_SUFFIXES = (".mp3", ".wav", ".ogg", ".flac")
#: Largest upload: three minutes of CD-quality WAV is 32 MB; anything bigger is not a jingle.
MAX_UPLOAD_BYTES = 40 * 1024 * 1024
#: Integrated loudness (LUFS) below which a clip counts as silent.
SILENT_LUFS = -60.0
#: Where replaced files go (inside the clips folder, out of the build's sight).
REPLACED_DIR = "da-thay"
#: ffprobe/ffmpeg on a few minutes of audio take well under a second; a hung one is killed.
TOOL_SECONDS = 60.0


class ClipError(CodedError):
    """An uploaded clip was refused (wrong type, not audio, too short or long, silent) or cannot be stored."""


@dataclass(frozen=True)
class ClipInfo:
    kind: str
    #: The station's own file, or None: the built-in tune plays.
    path: Path | None
    seconds: float | None


@dataclass(frozen=True)
class StoredClip:
    kind: str
    path: Path
    seconds: float
    measured_lufs: float
    lufs: float
    replaced: tuple[Path, ...]


def kind_of(name: str) -> ClipKind:
    key = ALIASES.get(name, name)
    if key not in KINDS:
        raise ClipError(f"no clip called {name!r}: choose {', '.join([*KINDS, *ALIASES])}", "clip.kind",
                        name=name[:40])
    return KINDS[key]


def probe(path: Path, shown: str) -> float:
    """The duration of the audio stream ffprobe finds in `path`; ClipError when it finds none."""
    try:
        done = subprocess.run([ffprobe(), "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
                               str(path)], capture_output=True, timeout=TOOL_SECONDS, check=False)
        found = json.loads(done.stdout or b"{}") if done.returncode == 0 else {}
    except (OSError, subprocess.TimeoutExpired, ValueError):
        found = {}
    streams = [s for s in found.get("streams", []) if s.get("codec_type") == "audio"]
    if not streams:
        raise ClipError(f"{shown}: not an audio file (ffprobe finds no audio stream)", "clip.not_audio", name=shown)
    for source in (streams[0], found.get("format", {})):
        try:
            return float(source["duration"])
        except (KeyError, TypeError, ValueError):
            continue
    raise ClipError(f"{shown}: not an audio file (no duration)", "clip.not_audio", name=shown)


def check_and_level(config: StationConfig, kind: ClipKind, path: Path, shown: str) -> tuple[loudness.Leveled, float]:
    """(leveled internal-format audio, seconds) of an uploaded file that passes every check."""
    if Path(shown).suffix.lower() not in UPLOAD_SUFFIXES:
        raise ClipError(f"{shown}: only {', '.join(UPLOAD_SUFFIXES)} files can be a clip", "clip.type", name=shown,
                        types=", ".join(UPLOAD_SUFFIXES))
    size = path.stat().st_size
    if size > MAX_UPLOAD_BYTES:
        raise ClipError(f"{shown}: too large ({size:,} bytes, limit {MAX_UPLOAD_BYTES:,})", "clip.too_large",
                        name=shown, limit=MAX_UPLOAD_BYTES)
    probed = probe(path, shown)
    if probed > kind.max_seconds:
        raise ClipError(f"{shown}: {probed:.1f} s is too long for the {kind.name} (at most {kind.max_seconds:g} s)",
                        "clip.too_long", name=shown, seconds=probed, limit=kind.max_seconds)
    pcm = decode(path, shown, kind.max_seconds + 1)
    seconds = audio.seconds(len(pcm))
    if seconds < kind.min_seconds or probed < kind.min_seconds:
        raise ClipError(f"{shown}: {seconds:.1f} s is too short for the {kind.name} (at least {kind.min_seconds:g} s)",
                        "clip.too_short", name=shown, seconds=seconds, limit=kind.min_seconds)
    if seconds > kind.max_seconds or probed > kind.max_seconds:
        raise ClipError(f"{shown}: {max(seconds, probed):.1f} s is too long for the {kind.name} "
                        f"(at most {kind.max_seconds:g} s)", "clip.too_long", name=shown,
                        seconds=max(seconds, probed), limit=kind.max_seconds)
    measured = loudness.integrated(loudness.block_powers(loudness.to_float(pcm)))
    if measured < SILENT_LUFS:
        raise ClipError(f"{shown}: silent (loudness {measured:.0f} LUFS, below {SILENT_LUFS:g})", "clip.silent",
                        name=shown)
    return loudness.level(pcm, config.audio.target_lufs, config.audio.true_peak_db), seconds


def decode(path: Path, shown: str, limit_seconds: float) -> bytes:
    """Internal-format PCM of at most `limit_seconds` of `path`, decoded by ffmpeg.

    Bounded: a small file can claim hours of audio (a low bitrate, a lying header), and
    only a little more than the longest clip is ever needed to judge it.
    """
    try:
        done = subprocess.run([ffmpeg(), "-hide_banner", "-loglevel", "error", "-nostdin", "-i", str(path),
                               "-t", f"{limit_seconds:g}", "-vn", "-f", "s16le", "-ac", str(audio.CHANNELS),
                               "-ar", str(audio.SAMPLE_RATE), "pipe:1"], capture_output=True, timeout=TOOL_SECONDS,
                              check=False)
    except (OSError, subprocess.TimeoutExpired):
        done = None
    if done is None or done.returncode != 0 or not done.stdout:
        raise ClipError(f"{shown}: not an audio file ffmpeg can decode", "clip.not_audio", name=shown)
    return done.stdout[:len(done.stdout) - len(done.stdout) % audio.SAMPLE_WIDTH]


def store_clip(config: StationConfig, kind_name: str, path: Path, filename: str, *, by: str) -> StoredClip:
    """Check `path` (an upload, called `filename` by its sender), level it and make it the station's clip."""
    kind = kind_of(kind_name)
    shown = upload_name(filename) or "?"
    leveled, seconds = check_and_level(config, kind, path, shown)
    folder = config.clips_dir
    dest = folder / f"{kind.name}.flac"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _write_flac(leveled.pcm, dest)
        replaced = _move_aside(folder, kind.name, keep=dest)
    except OSError as exc:
        raise ClipError(f"cannot store the clip in {folder}: {exc.strerror or exc}", "clip.store",
                        folder=str(folder)) from None
    Users(config.store_path).record(by, "clip.upload", clip=kind.name, file=shown, seconds=round(seconds, 2),
                                    measured_lufs=round(leveled.measured_lufs, 1), lufs=round(leveled.lufs, 1),
                                    replaced=[p.name for p in replaced])
    return StoredClip(kind.name, dest, seconds, leveled.measured_lufs, leveled.lufs, tuple(replaced))


def _write_flac(pcm: bytes, dest: Path) -> None:
    """Encode internal-format PCM to FLAC under a temporary name beside `dest`, then rename it into place."""
    try:
        with atomic.replacing(dest, mode=0o644, fsync=True) as raw:
            done = subprocess.run([ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", "-f", "s16le",
                                   "-ar", str(audio.SAMPLE_RATE), "-ac", str(audio.CHANNELS), "-i", "pipe:0",
                                   "-c:a", "flac", "-f", "flac", str(raw)], input=pcm, capture_output=True,
                                  timeout=TOOL_SECONDS, check=False)
            if done.returncode != 0:
                raise OSError(f"ffmpeg could not write FLAC: {done.stderr.decode(errors='replace').strip()[-200:]}")
    except subprocess.TimeoutExpired:
        raise OSError("ffmpeg did not finish writing the clip") from None


def _move_aside(folder: Path, name: str, *, keep: Path) -> list[Path]:
    """Move the clip's other files (nhac-hieu.mp3 would win over nhac-hieu.flac) into da-thay/."""
    moved = []
    stamp = dt.datetime.fromtimestamp(clock.timestamp()).strftime("%Y%m%d-%H%M%S")
    for suffix in CLIP_SUFFIXES:
        other = folder / f"{name}{suffix}"
        if other == keep or not os.path.lexists(other):
            continue
        aside = folder / REPLACED_DIR
        aside.mkdir(exist_ok=True)
        target = aside / f"{name}-{stamp}{suffix}"
        os.replace(other, target)
        moved.append(target)
    return moved


def clips(config: StationConfig) -> list[ClipInfo]:
    """Each replaceable clip and what the next build plays for it."""
    result = []
    for name in KINDS:
        own = find_clip(name, config.clips_dir)
        seconds = None
        if own is not None:
            try:
                seconds = probe(own, own.name)
            except ClipError:
                seconds = None
        elif name in TUNES:
            seconds = audio.seconds(len(load_clip(name, None)))
        result.append(ClipInfo(name, own, seconds))
    return result
