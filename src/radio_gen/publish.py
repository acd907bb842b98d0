"""Put a finished program where loudspeaker systems fetch it, as one set.

A build writes its files into a folder of its own; one rename then switches the dated
files and `latest/` together (see `Publication`), so a crash or a kill never leaves a
half-written program, nor a new MP3 beside an old rundown, at a published path.
Leftovers of killed builds are removed at the next start (`remove_unused`,
`remove_dead_work_folders`, `remove_stale_partials` for files of earlier versions).
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from radio_gen.audio.settings import BITRATES, SAMPLE_RATES, Mp3Settings
from radio_gen.errors import RadioGenError
from radio_gen.settings_reader import TableReader, keys_of, setting


class PublishError(RadioGenError):
    """The output folder cannot be written (missing, read-only, disk full)."""


@dataclass(frozen=True)
class ProgramPaths:
    """Where one program's files go."""

    folder: Path
    mp3: Path
    rundown: Path
    script: Path
    latest: Path


def program_paths(out_dir: Path, date: dt.date, program_id: str) -> ProgramPaths:
    folder = out_dir / date.isoformat()
    return ProgramPaths(folder, folder / f"{program_id}.mp3", folder / f"{program_id}.json",
                        folder / f"{program_id}.txt", out_dir / "latest" / f"{program_id}.mp3")


#: A temporary file untouched this long belongs to a build that died (writes are streamed).
STALE_PARTIAL_SECONDS = 300


def remove_stale_partials(final: Path, older_than: float = STALE_PARTIAL_SECONDS) -> list[Path]:
    """Delete temporary files of `final` left by a killed build of an earlier version."""
    removed: list[Path] = []
    if not final.parent.is_dir():
        return removed
    cutoff = time.time() - older_than
    for leftover in final.parent.glob(f".{final.name}.*.partial"):
        try:
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()
                removed.append(leftover)
        except OSError:
            continue
    return removed


#: Per program, under the output folder: its builds, its snapshots and the one switch.
PUBLISH_DIR = ".publish"
CURRENT = "current"
LATEST = "latest"


class Publication:
    """One build's files, published as a set with one rename.

    The MP3, rundown and script are written into a fresh build folder that no reader can
    see. `commit` then makes a snapshot (one link per program date, and `latest`, to a
    build folder) and switches `.publish/<program>/current` to it with one rename. The
    public paths (`<date>/<program>.mp3`, `.json`, `.txt`, `latest/<program>.mp3`) are
    fixed links through `current`, so a reader sees the old set or the new one, never a
    mix, and a loudspeaker system still fetches `latest/<program>.mp3` as a plain path.
    """

    def __init__(self, out_dir: Path, date: dt.date, program_id: str, *, latest: bool) -> None:
        self.paths = program_paths(out_dir, date, program_id)
        self.out_dir, self.date, self.program_id, self.latest = out_dir, date, program_id, latest
        self.root = out_dir / PUBLISH_DIR / program_id
        self.build_dir = self.root / "builds" / f"{date.isoformat()}-{os.getpid()}-{time.time_ns()}"
        try:
            self.build_dir.mkdir(parents=True)
        except OSError as exc:
            raise PublishError(f"cannot write in {out_dir}: {_reason(exc)}") from None
        #: Where the build writes its files before they are published.
        self.mp3 = self.build_dir / self.paths.mp3.name
        self.rundown = self.build_dir / self.paths.rundown.name
        self.script = self.build_dir / self.paths.script.name
        self._done = False

    def write_text(self, dest: Path, text: str) -> None:
        try:
            dest.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise PublishError(f"cannot write {dest.name} in {self.out_dir}: {_reason(exc)}") from None

    def commit(self) -> list[str]:
        """Flush the build folder, then switch every public path of the program to it at once.

        PublishError when nothing was published; afterwards, what could not be tidied (warnings).
        """
        token = f"{os.getpid()}-{time.time_ns()}"
        snapshot = self.root / f"snap-{token}"
        try:
            for path in (self.mp3, self.rundown, self.script):
                with open(path, "rb") as handle:
                    os.fsync(handle.fileno())
                os.chmod(path, 0o644)
            _fsync_dir(self.build_dir)
            links = _snapshot_links(self.root / CURRENT)
            links[self.date.isoformat()] = self.build_dir.name
            if self.latest:
                links[LATEST] = self.build_dir.name
            _make_snapshot(snapshot, links)
            public = self._public_links()
            for path, target in public:
                if not os.path.lexists(path):
                    _link(target, path)  # not there before: it shows nothing until the switch
            _link(snapshot.name, self.root / CURRENT)  # the switch
        except OSError as exc:
            shutil.rmtree(snapshot, ignore_errors=True)
            raise PublishError(f"cannot publish in {self.out_dir}: {_reason(exc)}") from None
        self._done = True
        try:
            _fsync_dir(self.root)
            for path, target in public:
                if not (path.is_symlink() and os.readlink(path) == target):
                    _link(target, path)  # a plain file of an earlier version: now a link too
        except OSError as exc:
            # Published: only a path written by an earlier version still shows the earlier program.
            return [f"the program is published, but a file of an earlier version in {self.out_dir} "
                    f"could not be replaced by a link: {_reason(exc)}"]
        finally:
            remove_unused(self.out_dir, self.program_id)
        return []

    def _public_links(self) -> list[tuple[Path, str]]:
        inner = f"../{PUBLISH_DIR}/{self.program_id}/{CURRENT}"
        day = self.date.isoformat()
        links = [(path, f"{inner}/{day}/{path.name}") for path in (self.paths.mp3, self.paths.rundown,
                                                                   self.paths.script)]
        if self.latest:
            links.append((self.paths.latest, f"{inner}/{LATEST}/{self.paths.mp3.name}"))
        return links

    def discard(self) -> None:
        if not self._done:
            shutil.rmtree(self.build_dir, ignore_errors=True)

    def __enter__(self) -> "Publication":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.discard()


def published_build(out_dir: Path, date: dt.date, program_id: str) -> Path:
    """The MP3 of the build published for `date`, in its own (never rewritten) build folder."""
    root = out_dir / PUBLISH_DIR / program_id
    build = _snapshot_links(root / CURRENT).get(date.isoformat())
    if build is None:
        raise PublishError(f"program '{program_id}' of {date} is not built in {out_dir}")
    return root / "builds" / build / f"{program_id}.mp3"


def promote(out_dir: Path, program_id: str, build_mp3: Path) -> None:
    """Put an already published build on `latest/` (an approval, a deadline) with one switch.

    `build_mp3` comes from `published_build`: naming the build folder, not the date, means a
    rebuild in between can never be promoted unheard.
    """
    root = out_dir / PUBLISH_DIR / program_id
    latest = out_dir / LATEST / f"{program_id}.mp3"
    target = f"../{PUBLISH_DIR}/{program_id}/{CURRENT}/{LATEST}/{latest.name}"
    try:
        links = _snapshot_links(root / CURRENT)
        links[LATEST] = build_mp3.parent.name
        if not os.path.lexists(latest):
            _link(target, latest)  # not there before: it shows nothing until the switch
        _switch(root, links)
    except OSError as exc:
        raise PublishError(f"cannot publish {build_mp3} to {latest}: {_reason(exc)}") from None
    try:
        if not (latest.is_symlink() and os.readlink(latest) == target):
            _link(target, latest)  # a plain file of an earlier version
    finally:
        remove_unused(out_dir, program_id)


def retire(out_dir: Path, program_id: str, date: dt.date) -> None:
    """Stop showing the program of `date` (retention), so that its build folder can go.

    The build on latest/ stays, whatever its date.
    """
    root = out_dir / PUBLISH_DIR / program_id
    links = _snapshot_links(root / CURRENT)
    if links.pop(date.isoformat(), None) is None:
        return
    try:
        _switch(root, links)
    except OSError as exc:
        raise PublishError(f"cannot remove the program of {date} from {out_dir}: {_reason(exc)}") from None
    remove_unused(out_dir, program_id)


def _switch(root: Path, links: dict[str, str]) -> None:
    """Make a snapshot of `links` and show it with one rename of `current`."""
    snapshot = root / f"snap-{os.getpid()}-{time.time_ns()}"
    try:
        _make_snapshot(snapshot, links)
        _link(snapshot.name, root / CURRENT)
    except OSError:
        shutil.rmtree(snapshot, ignore_errors=True)
        raise


def _make_snapshot(snapshot: Path, links: dict[str, str]) -> None:
    """A snapshot folder: one link per date (and `latest`) to a build folder."""
    snapshot.mkdir()
    for name, build in links.items():
        os.symlink(f"../builds/{build}", snapshot / name)
    _fsync_dir(snapshot)


def _snapshot_links(current: Path) -> dict[str, str]:
    """What the current snapshot shows: {date or "latest": build folder name}."""
    links: dict[str, str] = {}
    if not current.is_dir():
        return links
    for entry in current.iterdir():
        if entry.is_symlink():
            links[entry.name] = Path(os.readlink(entry)).name
    return links


def _link(target: str, path: Path) -> None:
    """Make `path` a symlink to `target` with one rename (replacing what was there)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}-{time.time_ns()}.link")
    os.symlink(target, temp)
    try:
        os.replace(temp, path)
    except OSError:
        temp.unlink(missing_ok=True)
        raise


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _pid_of(name: str) -> int | None:
    """The PID in a build or snapshot folder's name (`<date>-<pid>-<ns>`, `snap-<pid>-<ns>`)."""
    try:
        return int(name.rsplit("-", 2)[-2])
    except (IndexError, ValueError):
        return None


def _dead(pid: int | None) -> bool:
    if pid is None:
        return True
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def remove_unused(out_dir: Path, program_id: str) -> list[Path]:
    """Delete snapshots and build folders the current set does not show.

    A folder of a process still alive (another build of this program, or this one still
    writing) is left alone; this process's own finished leftovers and those of processes
    that were killed are removed.
    """
    root = out_dir / PUBLISH_DIR / program_id
    current = root / CURRENT
    try:
        shown_snapshot = os.readlink(current) if current.is_symlink() else None
    except OSError:
        shown_snapshot = None
    shown = set(_snapshot_links(current).values())
    removed = []
    candidates = [p for p in root.glob("snap-*") if p.name != shown_snapshot]
    candidates += [p for p in (root / "builds").glob("*") if p.name not in shown]
    for path in candidates:
        pid = _pid_of(path.name)
        if pid == os.getpid() or _dead(pid):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    for temp in list(root.glob(".*.link")) + list(out_dir.glob("*/.*.link")):
        stem = temp.name[: -len(".link")].rsplit(".", 1)[-1]  # `<pid>-<ns>`
        if _dead(_pid_of(f"x-{stem}")):
            temp.unlink(missing_ok=True)
    return removed


#: Work folders of builds live in the system's temporary folder under this prefix + PID.
WORK_PREFIX = "radio-gen-"


def work_prefix() -> str:
    """The prefix of this process's work folders: the PID tells a killed build's leftovers."""
    return f"{WORK_PREFIX}{os.getpid()}-"


def remove_dead_work_folders(temp_dir: Path | None = None) -> list[Path]:
    """Delete the temporary work folders of builds whose process is gone (killed builds)."""
    removed = []
    for folder in Path(temp_dir or tempfile.gettempdir()).glob(f"{WORK_PREFIX}*"):
        parts = folder.name[len(WORK_PREFIX):].split("-", 1)
        if not folder.is_dir() or folder.is_symlink():
            continue
        try:
            pid = int(parts[0])
        except ValueError:
            # A folder of an earlier version (no PID in its name): a day untouched means dead.
            try:
                if folder.stat().st_mtime > time.time() - 86400:
                    continue
            except OSError:
                continue
            pid = None
        if pid is None or _dead(pid):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    return exc.strerror or str(exc)


@dataclass(frozen=True)
class OutputSettings:
    """`[output]`: where programs are published, their MP3 format and how long they are kept."""

    TABLE: ClassVar[str] = "output"

    #: The output folder: date folders and latest/ (absolute).
    dir: Path = Path("audio_out")
    bitrate_kbps: int = setting(Mp3Settings.bitrate_kbps, choices=BITRATES,
                                says="must be an MP3 bitrate such as 48, 64 or 128")
    sample_rate: int = setting(Mp3Settings.sample_rate, choices=SAMPLE_RATES,
                               says=f"must be one of {', '.join(map(str, SAMPLE_RATES))}")
    channels: int = setting(Mp3Settings.channels, choices=(1, 2), says="must be 1 (mono) or 2 (stereo)")
    #: A template that makes a longer program is refused.
    max_minutes: float = setting(180.0, low=1, high=1440, unit="minutes")
    #: Whether a program without news replaces latest/.
    publish_degraded: bool = setting(True)
    #: Date folders older than this are removed by the daemon; 0 keeps every folder.
    keep_days: int = setting(30, low=0, high=3650, says="must be between 0 (keep everything) and 3650")

    @property
    def mp3(self) -> Mp3Settings:
        """What the encoder makes: what the loudspeaker system expects."""
        return Mp3Settings(bitrate_kbps=self.bitrate_kbps, sample_rate=self.sample_rate, channels=self.channels)

    @classmethod
    def from_table(cls, r: TableReader, state_base: Path) -> OutputSettings:
        """`dir` is relative to `state_base` (the station file's folder, or the demo's state folder)."""
        return cls(dir=r.path("dir", state_base, str(cls.dir)), **r.fill(cls))


#: The table this module owns, and its keys.
TABLES: dict[str, frozenset[str]] = {OutputSettings.TABLE: keys_of(OutputSettings, "dir")}
