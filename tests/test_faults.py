"""Faults during a build: killed process, full or read-only disk, midnight crossing.

Whatever happens, the published paths hold a complete program or the previous one.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers.audio_probe import duration
from helpers.cli import cli_env, run_cli, rundown_of, wall_clock_env
from helpers.fast_build import warm_station
from helpers.station import make_station

# Four different stories: the store reads one story once, whatever its title.
ARTICLES = {f"{i}.txt": f"Tin số {i}\n\n" + f"Các xã trong cụm {i} tiếp tục ra quân làm thủy lợi nội đồng. " * 6
            for i in range(4)}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _decodes_cleanly(path: Path) -> bool:
    done = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "null", "-"],
                          capture_output=True, text=True)
    return done.returncode == 0 and not done.stderr.strip()


@pytest.mark.process
def test_sigkill_at_random_points_never_leaves_a_partial_program(tmp_path: Path) -> None:
    config = make_station(tmp_path, articles=ARTICLES)
    out = tmp_path / "out"
    started = time.monotonic()
    first = run_cli("build", "--config", str(config), "--date", "2026-11-26")
    cold = time.monotonic() - started
    assert first.returncode == 0, first.stderr
    mp3 = Path(first.stdout.strip().splitlines()[-1])
    full = json.loads(mp3.with_suffix(".json").read_text("utf-8"))["duration"]
    published = [mp3, mp3.with_suffix(".json"), mp3.with_suffix(".txt"), out / "latest" / "sang.mp3"]

    rng = random.Random(20261126)
    kills = 0
    for _ in range(6):
        # Without its cache each build does all the work again: synthesis, encoding, joining.
        shutil.rmtree(tmp_path / "cache", ignore_errors=True)
        child = subprocess.Popen([sys.executable, "-m", "radio_gen", "build", "--config", str(config),
                                  "--date", "2026-11-26"], env=cli_env(),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 0.9 * cold))
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            kills += 1
        child.wait()
        for path in published:
            assert path.is_file(), f"{path} vanished"
        assert _decodes_cleanly(mp3) and abs(duration(mp3) - full) < 0.5
        assert _decodes_cleanly(out / "latest" / "sang.mp3")
        json.loads(mp3.with_suffix(".json").read_text("utf-8"))
    assert kills >= 3, "the kills should land during builds"

    time.sleep(1)  # let orphaned encoders finish writing their temporary files
    again = run_cli("build", "--config", str(config), "--date", "2026-11-26")
    assert again.returncode == 0, again.stderr
    assert abs(duration(mp3) - full) < 0.5
    visible = sorted(p.name for p in mp3.parent.iterdir() if not p.name.startswith("."))
    assert visible == ["sang.json", "sang.mp3", "sang.txt"]


def test_stale_temporary_files_of_a_killed_build_are_removed(tmp_path: Path) -> None:
    station = warm_station(tmp_path)
    folder = station.parent / "out" / "2026-11-26"
    folder.mkdir(parents=True)
    stale = folder / ".sang.mp3.abc123.partial"
    fresh = folder / ".sang.mp3.def456.partial"
    stale.write_bytes(b"half a program")
    fresh.write_bytes(b"another build writing now")
    old = time.time() - 3600
    import os

    os.utime(stale, (old, old))
    done = run_cli("build", "--config", str(station), "--date", "2026-11-26")
    assert done.returncode == 0, done.stderr
    assert not stale.exists() and fresh.exists()


def _in_private_mount(script: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run a shell script in a private mount namespace (its mounts vanish with it)."""
    if shutil.which("unshare") is None:
        pytest.fail("unshare (util-linux) is needed for the disk-fault tests")
    runner = tmp_path / "fault.sh"
    runner.write_text("set -eu\n" + script, encoding="utf-8")
    return subprocess.run(["unshare", "-rm", "sh", str(runner)], capture_output=True, text=True,
                          env=cli_env(), timeout=300)


@pytest.mark.process
@pytest.mark.parametrize("fault, expected", [
    ("full", "disk is full"),
    ("readonly", "Read-only file system"),
])
def test_full_or_read_only_output_disk_keeps_the_previous_program(tmp_path: Path, fault: str,
                                                                   expected: str) -> None:
    config = make_station(tmp_path, articles=ARTICLES)
    out = tmp_path / "out"
    out.mkdir()
    cli = f"{sys.executable} -m radio_gen build --config {config} --date 2026-11-26"
    breaker = {
        "full": f"head -c $(( $(df -k --output=avail {out} | tail -1) * 1024 - 4096 )) /dev/zero "
                f"> {out}/filler 2>/dev/null || true",
        "readonly": f"mount -o remount,ro {out}",
    }[fault]
    done = _in_private_mount(f"""
mount -t tmpfs -o size=8m tmpfs {out}
{cli} > {tmp_path}/first.out
sha256sum {out}/2026-11-26/sang.mp3 {out}/2026-11-26/sang.json {out}/latest/sang.mp3 > {tmp_path}/before
{breaker}
set +e
{cli} > {tmp_path}/second.out 2> {tmp_path}/second.err
echo $? > {tmp_path}/status
set -e
sha256sum {out}/2026-11-26/sang.mp3 {out}/2026-11-26/sang.json {out}/latest/sang.mp3 > {tmp_path}/after
ls -A {out}/2026-11-26 {out}/latest > {tmp_path}/listing
""", tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "status").read_text().strip() == "1"
    error = (tmp_path / "second.err").read_text("utf-8")
    assert expected in error and "Traceback" not in error
    assert (tmp_path / "before").read_text() == (tmp_path / "after").read_text()
    assert ".partial" not in (tmp_path / "listing").read_text()


@pytest.mark.process
def test_program_keeps_the_date_it_started_with_across_midnight(tmp_path: Path) -> None:
    if shutil.which("faketime") is None:
        pytest.fail("faketime (Debian package faketime) is needed for the midnight test")
    config = make_station(tmp_path, articles=ARTICLES)
    # Two seconds before midnight: the process starts (about a second of imports on a loaded machine) and
    # takes its date before midnight; the four items' build (about 4 s) ends after it.
    command = ["faketime", "-f", "@2026-11-26 23:59:58", sys.executable, "-m", "radio_gen", "build",
               "--config", str(config)]
    done = subprocess.run(command, capture_output=True, text=True, env=wall_clock_env(TZ="Asia/Ho_Chi_Minh"),
                          timeout=300)
    assert done.returncode == 0, done.stderr
    mp3 = Path(done.stdout.strip().splitlines()[-1])
    assert mp3.parent.name == "2026-11-26"
    rundown = json.loads(mp3.with_suffix(".json").read_text("utf-8"))
    assert rundown["date"] == "2026-11-26"
    assert rundown["built_at"].startswith("2026-11-27"), "the build should have crossed midnight"
    assert "ngày hai mươi sáu tháng mười một" in mp3.with_suffix(".txt").read_text("utf-8")


# --- online engines: no name resolution, HTTP 429 and 500 -------------------------------

from helpers.netfaults import answering_proxy, proxy_env  # noqa: E402

GTTS_FIRST = '["gtts", "espeak-ng"]\ngtts_timeout = 3'


@pytest.mark.parametrize("status, words", [(429, "rate-limited"), (500, "500")])
def test_online_engine_answering_429_or_500_falls_back(tmp_path: Path, status: int, words: str) -> None:
    # Retried as always, without the real waits between tries (tests/test_online_engines.py measures those).
    config = make_station(tmp_path, engines=GTTS_FIRST,
                          audio={"online_min_interval": 0, "online_backoff_seconds": 0.05})
    with answering_proxy(status, tmp_path) as stats:
        done = run_cli("build", "--config", str(config), "--date", "2026-11-26",
                       env=cli_env(**proxy_env(stats["port"])))
    assert done.returncode == 0, done.stderr
    rundown = rundown_of(done)
    assert {s["engine"] for s in rundown["segments"] if s["kind"] == "speech"} == {"espeak-ng"}
    assert any(words in w for w in rundown["warnings"])
    assert 1 <= stats["requests"] <= 20, "a failing engine is not asked for every sentence"


@pytest.mark.process
def test_no_name_resolution_falls_back(tmp_path: Path) -> None:
    config = make_station(tmp_path, engines=GTTS_FIRST)
    env = {k: v for k, v in cli_env().items() if "proxy" not in k.lower()}
    done = subprocess.run(["unshare", "-rn", sys.executable, "-m", "radio_gen", "build", "--config", str(config),
                           "--date", "2026-11-26"], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    rundown = rundown_of(done)
    assert {s["engine"] for s in rundown["segments"] if s["kind"] == "speech"} == {"espeak-ng"}
    assert any("cannot reach Google" in w for w in rundown["warnings"])


# --- the station's SQLite store -------------------------------------------------------------

def test_corrupt_store_does_not_stop_the_program(tmp_path: Path) -> None:
    config = warm_station(tmp_path)
    (tmp_path / "radio-gen.sqlite").write_bytes(b"this is not a database" * 100)
    done = run_cli("build", "--config", str(config), "--date", "2026-11-26")
    assert done.returncode == 0, done.stderr
    rundown = rundown_of(done)
    assert len(rundown["articles"]) == 2, "the folders are still read"
    assert any("cannot open the station store" in w and "may repeat" in w for w in rundown["warnings"])


def test_locked_store_does_not_stop_the_program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from radio_gen import stationdb

    # Every open of the locked file waits out the busy timeout: 0.1 s shows the same as the real 10.
    monkeypatch.setattr(stationdb, "BUSY_TIMEOUT_SECONDS", 0.1)
    config = warm_station(tmp_path)
    first = run_cli("articles", "list", "--config", str(config), "--date", "2026-11-26")  # makes the store
    assert first.returncode == 0 and (tmp_path / "radio-gen.sqlite").is_file(), first.stderr
    holder = sqlite3.connect(tmp_path / "radio-gen.sqlite", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        done = run_cli("build", "--config", str(config), "--date", "2026-11-26", timeout=300)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 0, done.stderr
    rundown = rundown_of(done)
    assert rundown["articles"], "the folders are still read"
    assert any("store" in w for w in rundown["warnings"])


# --- when even the fallback program cannot be made ------------------------------------------

def test_nothing_speakable_keeps_previous_program_and_is_loud_everywhere(tmp_path: Path) -> None:
    config = warm_station(tmp_path)
    first = run_cli("run-now", "sang", "--config", str(config), "--date", "2026-11-26")
    assert first.returncode == 0, first.stderr
    mp3 = tmp_path / "out" / "2026-11-26" / "sang.mp3"
    before = _sha(mp3), _sha(tmp_path / "out" / "latest" / "sang.mp3")
    broken = cli_env(RADIO_GEN_ESPEAK=str(tmp_path / "no-espeak"))
    shutil.rmtree(tmp_path / "cache")   # with its cache, the station would still air the same speech
    config.write_text(config.read_text("utf-8") + "\n[schedule]\nretries = 0\n", "utf-8")
    done = run_cli("run-now", "sang", "--config", str(config), "--date", "2026-11-26", env=broken)
    assert done.returncode != 0
    assert "no speech could be synthesized" in done.stderr and "Traceback" not in done.stderr
    assert (_sha(mp3), _sha(tmp_path / "out" / "latest" / "sang.mp3")) == before
    status = run_cli("status", "--config", str(config))
    assert status.returncode == 0, status.stderr
    assert "failed" in status.stdout and "no speech could be synthesized" in status.stdout
