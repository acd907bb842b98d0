"""The in-process CLI runner of the tests reads what a process would, and leaves nothing behind."""

from __future__ import annotations

import logging
import os
import tempfile
import urllib.request
from pathlib import Path

import pytest

from helpers.cli import cli_env, run_cli, run_cli_process
from helpers.station import make_station
from radio_gen.audio.ffmpeg import ffmpeg


def test_in_process_and_real_process_answer_alike(tmp_path: Path) -> None:
    """Exit statuses (return value, argparse's SystemExit), stdout, stderr and stdin."""
    cases = [("normalize",), ("build", "--date", "hôm nay"), ("build", "--config", str(tmp_path / "none.toml"))]
    for args in cases:
        here, there = run_cli(*args, input="Sáng 24/4.\n"), run_cli_process(*args, input="Sáng 24/4.\n")
        assert (here.returncode, here.stdout, here.stderr) == (there.returncode, there.stdout, there.stderr), args
    assert [run_cli(*args).returncode for args in cases] == [0, 2, 1]


def test_a_run_leaves_environment_folder_logging_and_lookups_as_they_were(tmp_path: Path) -> None:
    before = (dict(os.environ), os.getcwd(), logging.getLogger().handlers[:], tempfile.gettempdir(), ffmpeg())
    (tmp_path / "tmp").mkdir()
    env = cli_env(RADIO_GEN_FFMPEG=str(tmp_path / "none"), TMPDIR=str(tmp_path / "tmp"), EXTRA="1")
    config = make_station(tmp_path / "station")
    done = run_cli("doctor", "--config", str(config), env=env, cwd=tmp_path)
    assert done.returncode == 1 and "ffmpeg is not installed" in done.stdout, "the run saw its own environment"
    assert (dict(os.environ), os.getcwd(), logging.getLogger().handlers[:], tempfile.gettempdir(), ffmpeg()) == before


def test_a_run_does_not_hand_its_proxies_to_the_next_one(tmp_path: Path) -> None:
    """urlopen keeps the proxies of the environment it first ran in, as a process would for its life."""
    urllib.request.urlopen("file:///dev/null").close()       # an opener made with this environment
    config = make_station(tmp_path)
    run_cli("doctor", "--config", str(config), env=cli_env(HTTPS_PROXY="http://127.0.0.1:9"))
    assert urllib.request._opener is None, "the next run makes its opener from its own environment"


def test_warnings_are_logged_to_the_runs_stderr(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """pytest's own log handler does not swallow the CLI's warnings (basicConfig sees no handler)."""
    lexicon = tmp_path / "tu.txt"
    lexicon.write_text("không có dấu bằng\n", encoding="utf-8")
    done = run_cli("normalize", "--lexicon", str(lexicon), input="Xin chào.\n")
    assert done.returncode == 0 and "radio-gen: warning:" in done.stderr
