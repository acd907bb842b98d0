"""`radio-gen doctor` finds what a build needs and says how to fix what is missing."""

from __future__ import annotations

from pathlib import Path


from helpers.cli import cli_env, run_cli
from helpers.fast_build import warm_station


def test_doctor_passes_on_a_complete_machine(station: Path) -> None:
    done = run_cli("doctor", "--config", str(station))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok  ffmpeg" in done.stdout and "ok  espeak-ng" in done.stdout
    assert "all required checks passed" in done.stdout


def test_doctor_says_how_to_install_missing_tools(station: Path, tmp_path: Path) -> None:
    env = cli_env(RADIO_GEN_FFMPEG=str(tmp_path / "none"), RADIO_GEN_ESPEAK=str(tmp_path / "none"))
    done = run_cli("doctor", "--config", str(station), env=env)
    assert done.returncode == 1
    assert "apt-get install ffmpeg" in done.stdout
    assert "apt-get install espeak-ng" in done.stdout
    assert "no configured engine can run" in done.stdout


def test_doctor_reports_an_unwritable_output_folder(station: Path) -> None:
    blocker = station.parent / "out"
    blocker.write_text("a file where the output folder should be")
    done = run_cli("doctor", "--config", str(station))
    assert done.returncode == 1
    assert "output folder" in done.stdout and "not writable" in done.stdout


def test_build_without_ffmpeg_is_a_clear_error(station: Path, tmp_path: Path) -> None:
    done = run_cli("build", "--config", str(station), env=cli_env(RADIO_GEN_FFMPEG=str(tmp_path / "none")))
    assert done.returncode == 1
    assert "ffmpeg is not installed" in done.stderr and "Traceback" not in done.stderr


def test_doctor_reports_the_audio_cache(tmp_path: Path) -> None:
    station = warm_station(tmp_path)   # built once: its cache is full
    assert run_cli("build", "--config", str(station)).returncode == 0
    done = run_cli("doctor", "--config", str(station))
    line = next(row for row in done.stdout.splitlines() if "audio cache" in row)
    assert line.lstrip().startswith("ok") and "MB of 500 MB" in line
    assert str(station.parent / "cache" / "audio") in line


def test_unusable_cache_is_a_warning_not_a_failure(station: Path) -> None:
    (station.parent / "cache").write_text("a file where the cache folder should be")
    done = run_cli("doctor", "--config", str(station))
    assert done.returncode == 0, done.stdout
    assert "audio cache" in done.stdout and "still air" in done.stdout
