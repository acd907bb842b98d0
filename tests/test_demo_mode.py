"""No silent demo: without --config a command uses $RADIO_GEN_CONFIG or ./station.toml;
the bundled demo only when there is neither, saying so, its files in a per-user folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from helpers.cli import ARTICLE_MTIME, DemoBuild, cli_env, run_cli, rundown_of
from helpers.fast_build import warm_station
from helpers.paths import REPO
from helpers.station import make_station
from helpers.netfaults import proxy_env, refused_port

DEMO_FILE = REPO / "src" / "radio_gen" / "demo" / "station.toml"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = cli_env()
    env.pop("RADIO_GEN_CONFIG", None)
    env.update(XDG_STATE_HOME=str(tmp_path / "state"), **extra)
    return env


def test_build_in_a_station_folder_builds_that_station(tmp_path: Path) -> None:
    folder = tmp_path / "station"
    warm_station(folder)
    done = run_cli("build", "--date", "2026-11-26", env=_env(tmp_path), cwd=folder)
    assert done.returncode == 0, done.stderr
    mp3 = Path(done.stdout.strip().splitlines()[-1])
    assert mp3 == folder / "out" / "2026-11-26" / "sang.mp3"
    rundown = rundown_of(done)
    assert rundown["station"] == "Đài Truyền thanh huyện Thử Nghiệm"
    assert sorted(a["title"] for a in rundown["articles"]) == ["Huyện ra quân làm thủy lợi", "Xã hỗ trợ hộ nghèo"]
    assert "demo" not in done.stderr
    assert not (folder / "audio_out").exists() and not (tmp_path / "state").exists()


def test_radio_gen_config_names_the_station_file(tmp_path: Path) -> None:
    config = make_station(tmp_path / "station")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = run_cli("script", "--date", "2026-11-26", env=_env(tmp_path, RADIO_GEN_CONFIG=str(config)), cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    assert "Đài Truyền thanh huyện Thử Nghiệm" in done.stdout
    assert os.listdir(elsewhere) == []

    missing = tmp_path / "nope.toml"
    done = run_cli("build", env=_env(tmp_path, RADIO_GEN_CONFIG=str(missing)), cwd=elsewhere)
    assert done.returncode == 1
    assert f"{missing}: station file not found (named by RADIO_GEN_CONFIG" in done.stderr


def test_build_in_an_empty_folder_builds_the_demo_says_so_and_writes_nothing_there(demo_build: DemoBuild) -> None:
    done, empty = demo_build.done, demo_build.cwd
    assert done.returncode == 0, done.stderr
    demo_dir = demo_build.state / "radio-gen" / "demo"
    assert "using the bundled demo station" in done.stderr and str(demo_dir) in done.stderr
    assert Path(done.stdout.strip().splitlines()[-1]) == demo_dir / "audio_out" / "2026-11-26" / "sang.mp3"
    assert len(rundown_of(done)["articles"]) == 7
    assert (demo_dir / "radio-gen.sqlite").is_file() and (demo_dir / "cache").is_dir()
    assert os.listdir(empty) == [], "the demo writes nothing in the current folder"


def test_the_demo_airs_its_samples_on_any_day(tmp_path: Path) -> None:
    """Its sample articles never age, for the demo only (the file to copy says 7 days)."""
    empty = tmp_path / "empty"
    empty.mkdir()
    env = _env(tmp_path, RADIO_GEN_NOW="2031-06-02T05:00:00+07:00")
    done = run_cli("script", env=env, cwd=empty)
    assert done.returncode == 0, done.stderr
    assert "Minh Sơn có năm mươi trên năm mươi ba trường học công lập đạt chuẩn quốc gia" in done.stdout
    assert "thứ Hai, ngày hai tháng sáu năm hai nghìn không trăm ba mươi mốt" in done.stdout
    assert done.stdout.count("[nhạc: stinger]") == 7, "all seven samples, years after they were written"
    assert os.listdir(empty) == []


def test_the_demo_file_copied_as_it_is_airs_each_article_once(tmp_path: Path) -> None:
    """README: copy the demo station.toml next to an articles folder. Day two does not
    air day one's news again (the demo file once had repeat = true, max_age_days = 0)."""
    folder = tmp_path / "radio"
    (folder / "articles").mkdir(parents=True)
    shutil.copy(DEMO_FILE, folder / "station.toml")
    article = folder / "articles" / "tin.txt"
    article.write_text("Xã ra quân làm đường\n\nSáng nay, xã ra quân làm đường giao thông nông thôn.", encoding="utf-8")
    os.utime(article, (ARTICLE_MTIME, ARTICLE_MTIME))
    env = _env(tmp_path, **proxy_env(refused_port()))
    first = run_cli("build", "--date", "2026-11-26", env=env, cwd=folder)
    assert first.returncode == 0, first.stderr
    assert [a["title"] for a in rundown_of(first)["articles"]] == ["Xã ra quân làm đường"]
    env["RADIO_GEN_NOW"] = "2026-11-27T05:00:00+07:00"
    second = run_cli("build", "--date", "2026-11-27", env=env, cwd=folder)
    assert second.returncode == 3, second.stderr  # degraded: no news item left to air
    assert rundown_of(second)["articles"] == [], "an article airs once"
    assert "demo" not in first.stderr + second.stderr
