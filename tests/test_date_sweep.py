"""The suite passes on any date: a sample of date-sensitive tests, run under faketime.

faketime moves the wall clock of the test process and of every CLI and daemon it starts
(file modification times stay real). Each start is far from the day these tests were
written, and the last two begin seconds before a midnight, so the sample runs across it:
in the station timezone of most tests (UTC+7, 17:00 UTC) and in UTC (run-now's station).

The scheduler daemon is not in the sample: libfaketime shifts the monotonic clock that
Python's timed waits use, so a faked daemon never wakes. Its decisions are date-free
functions of an explicit `now` (tests/test_timetable.py, which is in the sample).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.cli import cli_env
from helpers.paths import REPO

pytestmark = pytest.mark.process  # runs pytest itself under faketime

#: Tests whose outcome depends on "today": the demo build, the store and selection through
#: the CLI, history and status, the daemon's own clock, the article date rules.
SAMPLE = (
    "tests/test_build.py::test_demo_program_builds_offline_with_fallback",
    "tests/test_intake_cli.py::test_pin_puts_an_article_first",
    "tests/test_intake_cli.py::test_offline_build_uses_the_store_and_the_folder",
    "tests/test_run_now_status.py::test_run_now_builds_and_records_and_status_shows_it",
    "tests/test_timetable.py",
    "tests/test_selection.py",
    "tests/test_cleaning.py",
)

FAKE_STARTS = (
    "2027-06-15 09:30:00",   # an ordinary morning, half a year on
    "2031-02-28 16:59:45",   # midnight in Vietnam (UTC+7) falls during the run; 28 Feb then 1 Mar
    "2035-12-31 23:59:45",   # midnight UTC, the turn of a year, the end of the range
)


@pytest.mark.parametrize("start", FAKE_STARTS)
def test_date_sensitive_tests_pass_at_a_far_away_date(start: str, tmp_path: Path) -> None:
    if shutil.which("faketime") is None:
        pytest.fail("faketime (Debian package faketime) is needed: bash scripts/setup.sh --dev installs it")
    # Its own temporary folder: a build years ahead takes every other run's fresh work folder in
    # the shared /tmp for a day-old leftover and removes it (a doctor probe failed that way).
    (tmp_path / "tmp").mkdir()
    env = cli_env(TZ="UTC", TMPDIR=str(tmp_path / "tmp"))
    command = ["faketime", "-f", f"@{start}", sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               "--basetemp", str(tmp_path / "base"), *SAMPLE]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
    tail = "\n".join(done.stdout.splitlines()[-30:])
    assert done.returncode == 0, f"at {start}:\n{tail}\n{done.stderr[-2000:]}"
    assert " passed" in tail and "failed" not in tail, tail
