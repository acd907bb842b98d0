"""Station configuration: defaults, and errors that name the file, the key and the problem."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from helpers.cli import run_cli
from helpers.station import station_toml
from radio_gen.config import ConfigError, load_config


def test_bundled_demo_station_loads_with_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RADIO_GEN_CONFIG", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    config = load_config()
    assert config.name.startswith("Đài Truyền thanh huyện")
    assert config.timezone == "Asia/Ho_Chi_Minh"
    assert [p.id for p in config.programs] == ["sang", "chieu"]
    assert config.programs[0].broadcast == dt.time(5, 30)
    assert (config.output.mp3.bitrate_kbps, config.output.mp3.sample_rate, config.output.mp3.channels) == (64, 44100, 1)
    assert config.speech.engines == ("gtts", "espeak-ng")
    assert all(d.is_dir() for d in config.articles.folder_paths)
    assert config.output.dir == tmp_path / "state" / "radio-gen" / "demo" / "audio_out"
    assert config.station_dir == tmp_path / "state" / "radio-gen" / "demo"


def test_relative_paths_resolve_against_the_config_file(station: Path) -> None:
    config = load_config(station)
    assert config.articles.folder_paths == (station.parent / "articles",)
    assert config.output.dir == station.parent / "out"
    assert config.templates_dir == station.parent / "templates"
    assert config.programs[0].build == dt.time(5, 0), "build defaults to 30 minutes before broadcast"


BASE = station_toml()


@pytest.mark.parametrize("edit, key, problem", [
    (("broadcast = \"05:30\"", "broadcast = \"5h30\""), "programs[0].broadcast", "time like"),
    (("broadcast = \"05:30\"", ""), "programs[0].broadcast", "is required"),
    (("name = \"Đài", "# name = \"Đài"), "station.name", "is required"),
    (("engines = [\"espeak-ng\"]", "engines = \"espeak-ng\""), "speech.engines", "list"),
    (("[output]", "[output]\nbitrate_kbps = 65"), "output.bitrate_kbps", "MP3 bitrate"),
    (("[output]", "[output]\nchannels = 3"), "output.channels", "1 (mono) or 2"),
    (("province = \"tỉnh Kiểm Tra\"", "timezone = \"Asia/Hanoi2\""), "station.timezone", "unknown timezone"),
    (("id = \"sang\"", "id = \"../sang\""), "programs[0].id", "ASCII"),
    (("[speech]", "[speech]\ndialect = \"central\""), "speech.dialect", "north"),
])
def test_config_errors_name_file_key_and_problem(tmp_path: Path, edit: tuple[str, str], key: str,
                                                 problem: str) -> None:
    path = tmp_path / "station.toml"
    assert edit[0] in BASE
    path.write_text(BASE.replace(edit[0], edit[1], 1), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert str(path) in message and f"'{key}'" in message and problem in message


def test_invalid_toml_and_missing_file_are_one_line_cli_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[station\nname = 1", encoding="utf-8")
    for path, expected in ((broken, "not valid TOML"), (tmp_path / "nope.toml", "station file not found")):
        done = run_cli("build", "--config", str(path))
        assert done.returncode == 1
        assert expected in done.stderr and str(path) in done.stderr
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
