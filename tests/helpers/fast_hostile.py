"""Built hostile folders shared by the hostile tests: build once, copy, build again warm.

A copy keeps the audio cache of the build it copies (so a test's own build costs a fraction
of a second) and keeps the folder's hostility: links stay links, FIFOs are made again. For
"a station that builds", see helpers.fast_build.warm_station.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path


from helpers.cli import run_cli

#: The date every build of these tests is for (the test clock's day).
DATE = "2026-11-26"


def build(config: Path, *extra: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`radio-gen build` of `config`'s first program for DATE, in this process."""
    return run_cli("build", "--config", str(config), "--date", DATE, *extra, timeout=timeout)



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
