"""`status` shows manual builds, and no missed run before the station's first run."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers.cli import cli_env, run_cli
from helpers.fast_build import warm_station
from helpers.station import make_station


def test_status_shows_a_manual_build(tmp_path: Path) -> None:
    config = warm_station(tmp_path)
    assert run_cli("build", "--config", str(config), "--date", "2026-11-26").returncode == 0
    status = run_cli("status", "--config", str(config)).stdout
    line = next(line for line in status.splitlines() if " manual " in line)
    assert " ok " in line and "2026-11-26/sang.mp3" in line


@pytest.mark.process
def test_first_daemon_start_records_no_missed_run_for_before_the_station_existed(tmp_path: Path) -> None:
    config = make_station(tmp_path)
    # First start, after today's 05:30 broadcast (and its grace) passed: nothing was missed.
    env = cli_env(RADIO_GEN_NOW="2026-11-26T09:00:00+07:00")
    daemon = subprocess.Popen([sys.executable, "-m", "radio_gen", "schedule", "--config", str(config)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (tmp_path / "logs" / "scheduler.log").exists():
            time.sleep(0.1)
        time.sleep(2)
    finally:
        daemon.send_signal(signal.SIGTERM)
        log = daemon.communicate(timeout=30)[0]
    assert "catch-up" in log, log
    assert "before the station's first run" in log
    status = run_cli("status", "--config", str(config), env=env).stdout
    assert "missed" not in status, status
