"""`radio-gen clips list/add` through the real entry point, and the next build playing the new stinger."""

from __future__ import annotations

import datetime as dt
import json

from helpers.cli import run_cli
from helpers.fast_build import warm_station
from helpers.station import make_station
from helpers.media import dominant_hz, tone

from radio_gen.config import load_config
from radio_gen.publish import program_paths
from radio_gen.users import Users


def test_clips_add_replaces_the_stinger_and_the_next_build_plays_it(tmp_path):
    config = warm_station(tmp_path)   # its speech is cached: what changes is the stinger
    listed = run_cli("clips", "list", "--config", str(config))
    assert listed.returncode == 0, listed.stderr
    assert "stinger" in listed.stdout and "built-in tune" in listed.stdout
    new = tmp_path / "chuyen-tin.ogg"
    tone(new, 2.5, 440, volume=0.3)
    added = run_cli("clips", "add", "stinger", str(new), "--config", str(config), "--by", "anh")
    assert added.returncode == 0, added.stderr
    assert "stinger" in added.stdout and "(2.5 s" in added.stdout and "the next build plays it" in added.stdout
    station = load_config(config)
    assert (station.clips_dir / "stinger.flac").is_file()
    listed = run_cli("clips", "list", "--config", str(config))
    assert "stinger.flac" in listed.stdout and "2.5 s" in listed.stdout
    entry = next(e for e in Users(station.store_path).journal(5) if e.action == "clip.upload")
    assert entry.user == "anh" and entry.detail["file"] == "chuyen-tin.ogg"
    built = run_cli("build", "--config", str(config), "--date", "2026-11-26")
    assert built.returncode == 0, built.stderr
    paths = program_paths(station.output.dir, dt.date(2026, 11, 26), "sang")
    rundown = json.loads(paths.rundown.read_text(encoding="utf-8"))
    stingers = [s for s in rundown["segments"] if s.get("clip") == "stinger"]
    assert len(stingers) == 2 and all(abs((s["end"] - s["start"]) - 2.5) < 0.1 for s in stingers)
    assert all(abs(s["lufs"] - station.audio.target_lufs) < 1.5 for s in stingers)
    # The built program's audio at the stinger is the new 440 Hz tone, not the built-in (784/1047 Hz).
    assert abs(dominant_hz(paths.mp3, stingers[0]["start"], stingers[0]["end"]) - 440) < 5


def test_clips_add_refuses_fake_and_silent_files_with_a_reason(tmp_path):
    config = make_station(tmp_path)
    fake = tmp_path / "gia.mp3"
    fake.write_text("chỉ là chữ, không phải nhạc\n" * 50, encoding="utf-8")
    refused = run_cli("clips", "add", "signature", str(fake), "--config", str(config))
    assert refused.returncode == 1 and "not an audio file" in refused.stderr and "Traceback" not in refused.stderr
    silent = tmp_path / "im.wav"
    tone(silent, 4.0, volume=0)
    refused = run_cli("clips", "add", "signature", str(silent), "--config", str(config))
    assert refused.returncode == 1 and "silent" in refused.stderr
    short = tmp_path / "ngan.wav"
    tone(short, 1.0)
    refused = run_cli("clips", "add", "nhac-hieu", str(short), "--config", str(config))
    assert refused.returncode == 1 and "too short for the nhac-hieu (at least 2 s)" in refused.stderr
    missing = run_cli("clips", "add", "stinger", str(tmp_path / "khong-co.mp3"), "--config", str(config))
    assert missing.returncode == 1 and "no such file" in missing.stderr
    assert not (tmp_path / "clips").exists() or not any((tmp_path / "clips").iterdir())
