"""Built stations shared by the hostile and online tests: build once, copy, build again warm.

A first build of the test station synthesizes and levels every segment (a couple of seconds
of espeak-ng and ffmpeg); a copy of the built station keeps its audio cache, so a test that
only needs "a station that builds" pays a fraction of a second for its own build.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from helpers.cli import run_cli
from helpers.station import make_station

#: The date every build of these tests is for (the test clock's day).
DATE = "2026-11-26"
#: The default test station (helpers.station.make_station) built once per test process.
_BUILT: list[Path] = []


def build(config: Path, *extra: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`radio-gen build` of `config`'s first program for DATE, in this process."""
    return run_cli("build", "--config", str(config), "--date", DATE, *extra, timeout=timeout)


def rundown_of(done: subprocess.CompletedProcess[str]) -> dict:
    """The rundown a build wrote beside the MP3 whose path it printed last."""
    return json.loads(Path(done.stdout.strip().splitlines()[-1]).with_suffix(".json").read_text("utf-8"))


def built_station(factory: pytest.TempPathFactory) -> Path:
    """The folder of the default test station after one build for DATE (its audio cache is full)."""
    if not _BUILT:
        root = factory.mktemp("built-station")
        done = build(make_station(root))
        assert done.returncode == 0, done.stderr
        _BUILT.append(root)
    return _BUILT[0]


def copy_station(source: Path, dest: Path) -> Path:
    """A copy of the station folder `source` in `dest` (which may exist); returns its station.toml.

    Links are copied as links and FIFOs made again (copying would read them: hang), so a
    copied hostile folder is as hostile as the original.
    """
    def special(folder: str, names: list[str]) -> set[str]:
        return {n for n in names if stat.S_ISFIFO(os.lstat(os.path.join(folder, n)).st_mode)}

    shutil.copytree(source, dest, symlinks=True, ignore=special, dirs_exist_ok=True)
    for folder, _, names in os.walk(source):
        for name in special(folder, names):
            os.mkfifo(dest / Path(folder).relative_to(source) / name)
    return dest / "station.toml"
