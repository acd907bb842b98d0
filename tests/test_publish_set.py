"""Publish as a set: a build killed at any step leaves the dated files and latest/ all old or all new,
and the next build removes what the killed ones left (build folders, work folders in the temp dir)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
from pathlib import Path

import pytest

from helpers.cli import cli_env, run_cli, run_cli_process
from helpers.paths import SRC
from helpers.station import make_station
from helpers.sched_support import mp3_seconds

#: Loaded by every Python started with this folder first on PYTHONPATH: it kills the process
#: (SIGKILL, as the OOM killer or a power cut would) right after its N-th file-system step
#: (a rename or a symlink) under a given folder.
KILLER = """\
import os, signal
_prefix, _after = os.environ["KILL_UNDER"], int(os.environ["KILL_AFTER"])
_steps = [0]

def _step(dest):
    if os.fspath(dest).startswith(_prefix):
        _steps[0] += 1
        if _steps[0] == _after:
            os.kill(os.getpid(), signal.SIGKILL)

def _wrap(real):
    def wrapped(src, dst, *args, **kwargs):
        real(src, dst, *args, **kwargs)
        _step(dst)
    return wrapped

os.replace, os.rename, os.symlink = _wrap(os.replace), _wrap(os.rename), _wrap(os.symlink)
"""

WORDS = ["một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười"]


def build(tmp_path: Path, config: Path, round_: int, kill: tuple[Path, int] | None = None) -> int:
    """A build of a program that differs from the last one (a new article each round)."""
    articles = tmp_path / "articles"
    (articles / f"z{round_:02d}.txt").write_text(
        f"Tin số {WORDS[round_]} của xã\n\n" + "Bà con ra đồng gặt lúa sớm. " * (round_ + 1), encoding="utf-8")
    env = cli_env(TMPDIR=str(tmp_path / "tmp"))
    if kill is not None:
        hook = tmp_path / "hook"
        hook.mkdir(exist_ok=True)
        (hook / "sitecustomize.py").write_text(KILLER, encoding="utf-8")
        env["PYTHONPATH"] = os.pathsep.join([str(hook), str(SRC), env.get("PYTHONPATH", "")])
        env.update(KILL_UNDER=str(kill[0]), KILL_AFTER=str(kill[1]))
    args = ("build", "--config", str(config), "--date", "2026-11-26", "--articles", str(articles))
    run = run_cli if kill is None else run_cli_process  # only a new process loads the killing hook
    return run(*args, env=env).returncode


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_one_set(out: Path) -> str:
    """The dated MP3, rundown and script and latest/ come from one build; returns the MP3's hash."""
    mp3 = out / "2026-11-26" / "sang.mp3"
    rundown = json.loads(mp3.with_suffix(".json").read_text("utf-8"))
    script = mp3.with_suffix(".txt").read_text("utf-8")
    assert abs(mp3_seconds(mp3) - rundown["duration"]) < 0.5, "the MP3 and its rundown are from different builds"
    titles = [a["title"] for a in rundown["articles"]]
    assert all(title in script for title in titles), "the script is not the rundown's"
    rounds = re.compile(r"Tin số (\w+) của xã")
    assert set(rounds.findall(" ".join(titles))) == set(rounds.findall(script)), "the script is not the rundown's"
    assert sha(out / "latest" / "sang.mp3") == sha(mp3), "latest/ is not the dated program"
    return sha(mp3)


@pytest.mark.process
def test_a_build_killed_at_each_publish_step_leaves_one_consistent_set(tmp_path: Path) -> None:
    config = make_station(tmp_path)
    out = tmp_path / "out"
    (tmp_path / "tmp").mkdir()
    assert build(tmp_path, config, 0) == 0
    published = assert_one_set(out)

    # Killed in the middle of rendering: nothing changes, a work folder is left in the temp dir.
    assert build(tmp_path, config, 1, kill=(tmp_path / "cache", 1)) == -signal.SIGKILL
    assert assert_one_set(out) == published
    assert list((tmp_path / "tmp").glob("radio-gen-*")), "the kill should leave a work folder behind"

    # Killed right after each step of the publication: the old set or the new one, never a mix.
    kills = 0
    for round_, step in enumerate(range(1, 7), start=2):
        code = build(tmp_path, config, round_, kill=(out, step))
        assert_one_set(out)
        if code == 0:
            break  # fewer steps than that: the build finished
        assert code == -signal.SIGKILL
        kills += 1
    assert kills >= 3, "the kills should land between the publication's steps"

    # The next build removes every leftover of the killed ones.
    assert build(tmp_path, config, 9) == 0
    assert_one_set(out)
    assert not list((tmp_path / "tmp").glob("radio-gen-*")), "work folders of killed builds were left"
    hidden = [p for p in out.rglob("*") if p.name.endswith((".partial", ".link"))]
    assert not hidden, hidden
    builds = out / ".publish" / "sang" / "builds"
    assert len(list(builds.iterdir())) == 1 and len(list(builds.parent.glob("snap-*"))) == 1


def test_files_published_by_an_earlier_version_are_replaced_by_the_set(tmp_path: Path) -> None:
    config = make_station(tmp_path)
    out = tmp_path / "out"
    (tmp_path / "tmp").mkdir()
    for name in ("2026-11-26/sang.mp3", "2026-11-26/sang.json", "2026-11-26/sang.txt", "latest/sang.mp3"):
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(b"a program of an earlier version")
    assert build(tmp_path, config, 0) == 0
    assert_one_set(out)
    assert all((out / name).is_symlink() for name in ("2026-11-26/sang.mp3", "latest/sang.mp3"))
