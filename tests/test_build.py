"""A whole program, end to end, through the real CLI: real espeak-ng, real ffmpeg."""

from __future__ import annotations

import json
from pathlib import Path

from helpers.audio_probe import duration, mean_volume_db, silent_seconds, tags
from helpers.cli import DemoBuild, cli_env, run_cli, rundown_of
from helpers.fast_build import warm_station
from helpers.netfaults import proxy_env, refused_port
from helpers.station import make_station


def test_demo_program_builds_offline_with_fallback(demo_build: DemoBuild) -> None:
    done = demo_build.done
    assert done.returncode == 0, done.stderr
    mp3 = Path(done.stdout.strip().splitlines()[-1])
    demo = demo_build.state / "radio-gen" / "demo"
    assert mp3 == demo / "audio_out" / "2026-11-26" / "sang.mp3"

    rundown = json.loads(mp3.with_suffix(".json").read_text(encoding="utf-8"))
    assert abs(duration(mp3) - rundown["duration"]) < 0.5
    assert rundown["duration"] > 120, "seven articles should make minutes of audio"
    assert mean_volume_db(mp3) > -40
    assert silent_seconds(mp3) < 0.3 * rundown["duration"]

    tag = tags(mp3)
    assert tag["title"] == "Chương trình phát thanh ngày 26/11/2026 – Chương trình thời sự buổi sáng"
    assert tag["artist"] == "Đài Truyền thanh huyện Minh Sơn"
    assert tag["date"].startswith("2026")

    speech = [s for s in rundown["segments"] if s["kind"] == "speech"]
    assert speech and all(s["engine"] == "espeak-ng" for s in speech)
    assert "gtts" in speech[0]["fallbacks"][0]
    assert any("fell back to espeak-ng" in w for w in rundown["warnings"])
    assert len(rundown["articles"]) == 7
    item_ids = {s.get("article_id") for s in speech} - {None}
    assert item_ids == {a["id"] for a in rundown["articles"]}
    kinds = [s["kind"] for s in rundown["segments"]]
    assert kinds[0] == "clip" and kinds[-1] == "clip"
    starts = [s["start"] for s in rundown["segments"]]
    assert starts == sorted(starts)

    script = mp3.with_suffix(".txt").read_text(encoding="utf-8")
    assert "thứ Năm, ngày hai mươi sáu tháng mười một năm hai nghìn không trăm hai mươi sáu" in script
    assert "Chương trình hôm nay gồm các nội dung sau" in script
    assert "Xin chào và hẹn gặp lại" in script

    latest = demo / "audio_out" / "latest" / "sang.mp3"
    assert latest.read_bytes() == mp3.read_bytes()
    leftovers = [p.name for p in mp3.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_build_options_pick_program_date_articles_and_output(station: Path, tmp_path: Path) -> None:
    articles = tmp_path / "other"
    articles.mkdir()
    (articles / "c.md").write_text("# Tin riêng\n\nMột **tin** [riêng](http://x) cho buổi chiều.", encoding="utf-8")
    out = tmp_path / "elsewhere"
    done = run_cli("build", "--config", str(station), "--program", "sang", "--date", "2027-01-01",
                   "--articles", str(articles), "--out", str(out), "--engine", "espeak-ng")
    assert done.returncode == 0, done.stderr
    mp3 = out / "2027-01-01" / "sang.mp3"
    assert done.stdout.strip().splitlines()[-1] == str(mp3)
    rundown = json.loads(mp3.with_suffix(".json").read_text(encoding="utf-8"))
    assert [a["title"] for a in rundown["articles"]] == ["Tin riêng"]
    assert "Một tin riêng cho buổi chiều." in mp3.with_suffix(".txt").read_text(encoding="utf-8")
    # A program for a later date than the next broadcast stays in its date folder.
    assert not (out / "latest" / "sang.mp3").exists()


def test_unknown_program_is_a_clear_error(station: Path) -> None:
    done = run_cli("build", "--config", str(station), "--program", "toi")
    assert done.returncode == 1
    assert "no program 'toi'" in done.stderr and "sang" in done.stderr
    assert "Traceback" not in done.stderr


def test_program_without_articles_still_airs(tmp_path: Path) -> None:
    config = warm_station(tmp_path, articles={})
    done = run_cli("build", "--config", str(config), "--date", "2026-11-26")
    assert done.returncode == 3, done.stderr  # degraded: aired, but not a success
    rundown = rundown_of(done)
    assert rundown["articles"] == [] and rundown["outcome"] == "degraded"
    assert any("no usable article" in w for w in rundown["warnings"])


def test_no_engine_can_speak_publishes_nothing(tmp_path: Path) -> None:
    # gTTS asked without spacing and retried without real waits (tests/test_online_engines.py measures those).
    station = make_station(tmp_path, audio={"online_min_interval": 0, "online_backoff_seconds": 0.05})
    env = cli_env(RADIO_GEN_ESPEAK=str(tmp_path / "no-such-espeak"), **proxy_env(refused_port()))
    done = run_cli("build", "--config", str(station), "--engine", "gtts,espeak-ng", "--date", "2026-11-26", env=env)
    assert done.returncode == 1
    assert "no speech could be synthesized" in done.stderr
    assert "Traceback" not in done.stderr
    out = station.parent / "out"
    assert not list(out.rglob("*.mp3")) and not list(out.rglob("*.partial"))
