"""A station file is checked for what it will do: a typo, a day, an engine, a time, a zone
or a path that would make a wrong program (or crash later) stops the build, and the
daemon keeps its schedule when SIGHUP brings such a file.

Cases: tests/data/bad_station_files.tsv (one per line) and tests/data/weekday_names.tsv.
"""

from __future__ import annotations

import re
import signal
import tomllib
from pathlib import Path

import pytest

from helpers.cli import run_cli
from helpers.paths import DATA, REPO
from helpers.station import PROGRAM, make_station, station_toml
from helpers.sched_support import DaemonProcess, clock, published, wait_until
from radio_gen.config import load_demo, parse_config

def base_station(timezone: str = "Asia/Ho_Chi_Minh", build: str = "05:00", broadcast: str = "05:30") -> str:
    """Every key the bad cases edit is here, so each case changes one thing of a valid file."""
    program = {"id": "sang", "title": "Chương trình buổi sáng", "build": build, "broadcast": broadcast}
    if broadcast <= build:
        program["build_day_before"] = True
    return station_toml(station={"name": "Đài Truyền thanh xã Thử", "timezone": timezone, "dir": "state"},
                        programs=[program], articles={"folders": ["articles"], "max_age_days": 7},
                        speech={"engines": ["espeak-ng"], "espeak_voice": "vi", "gtts_timeout": 10},
                        audio={"workers": 0})


def _cases() -> list[tuple[str, str, str, list[str]]]:
    rows = []
    for line in (DATA / "bad_station_files.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, pattern, replacement, expected = line.split("\t")
        replacement = re.sub(r"\{(.)\*(\d+)\}", lambda m: m.group(1) * int(m.group(2)),
                             replacement.replace("\\n", "\n"))
        rows.append((name, pattern, replacement, expected.split("&&")))
    return rows


CASES = _cases()


def broken(text: str, pattern: str, replacement: str) -> str:
    edited, count = re.subn(pattern, lambda _: replacement, text, count=1)
    assert count == 1, f"the case's pattern {pattern!r} is not in the base station file"
    return edited


def test_the_base_station_file_is_valid(tmp_path: Path) -> None:
    parse_config(tomllib.loads(base_station()), origin="station.toml", base=tmp_path)


@pytest.mark.parametrize("name, pattern, replacement, expected", CASES, ids=[c[0] for c in CASES])
def test_a_bad_station_file_stops_the_build_naming_file_key_and_fix(tmp_path: Path, name: str, pattern: str,
                                                                     replacement: str, expected: list[str]) -> None:
    make_station(tmp_path)
    path = tmp_path / "station.toml"
    path.write_text(broken(base_station(), pattern, replacement), encoding="utf-8")
    done = run_cli("build", "--config", str(path))
    assert done.returncode == 1, f"{name}: accepted\n{done.stdout}"
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert done.stderr.startswith(f"radio-gen: error: {path}: ")
    for words in expected:
        assert words in done.stderr, f"{name}: {words!r} not in {done.stderr!r}"
    assert not (tmp_path / "out").exists(), "nothing is built from a file with a mistake"


@pytest.mark.process
def test_sighup_with_any_broken_file_keeps_the_schedule_and_logs_why(tmp_path: Path) -> None:
    """Every bad case through one real daemon: each reload is refused with its reason, the
    daemon lives on, and the program is built at the time of the file it started with."""
    make_station(tmp_path)
    path = tmp_path / "station.toml"
    good = base_station(timezone="UTC", build=clock(30), broadcast=clock(900))
    path.write_text(good, encoding="utf-8")
    with DaemonProcess(tmp_path) as daemon:
        daemon.wait_for("next build")
        for index, (name, pattern, replacement, expected) in enumerate(CASES, start=1):
            path.write_text(broken(good, pattern, replacement), encoding="utf-8")
            daemon.signal(signal.SIGHUP)
            wait_until(lambda index=index: daemon.output().count("reload refused") >= index, 15,
                       f"reload of '{name}' refused:\n{daemon.output()}")
            refusal = daemon.output().split("reload refused")[index]
            assert expected[0] in refusal, f"{name}: {expected[0]!r} not in {refusal!r}"
        assert "Traceback" not in daemon.output()
        assert "configuration reloaded" not in daemon.output()
        wait_until(lambda: published(tmp_path), 120, "the build at the time of the first file")
        assert daemon.process.poll() is None
        assert daemon.stop() == 0


def _weekday_cases() -> list[tuple[str, str]]:
    lines = (DATA / "weekday_names.tsv").read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t")) for line in lines if line.strip() and not line.startswith("#")]


def test_weekdays_mean_what_an_operator_means(tmp_path: Path) -> None:
    """One program per way of writing a day; `status` on Thursday 26 November 2026 05:00
    tells the day each is next built (thu2 is thứ 2, Monday: not Thursday)."""
    cases = _weekday_cases()
    programs = [{"id": f"p{i}", "broadcast": "06:00", "weekdays": [written]} for i, (written, _) in enumerate(cases)]
    config = make_station(tmp_path, programs=[*programs, PROGRAM])
    done = run_cli("status", "--config", str(config))
    assert done.returncode == 0, done.stderr
    for i, (written, day) in enumerate(cases):
        block = done.stdout.split(f"p{i}: ", 1)[1]
        nxt = re.search(r"next build: (\w+ \d{4}-\d\d-\d\d)", block).group(1)
        assert nxt == day, f"weekdays = [{written!r}] is next built {nxt}, expected {day}"


def test_a_program_built_the_evening_before_says_so(tmp_path: Path) -> None:
    config = make_station(tmp_path, extra="")
    text = config.read_text(encoding="utf-8").replace(
        'broadcast = "05:30"', 'build = "23:30"\nbroadcast = "00:15"\nbuild_day_before = true\nweekdays = ["cn"]')
    config.write_text(text, encoding="utf-8")
    done = run_cli("status", "--config", str(config))
    assert done.returncode == 0, done.stderr
    assert "next build: Sat 2026-11-28 23:30:00, airs Sun 2026-11-29 00:15" in done.stdout


def test_doctor_reports_a_broken_station_file_and_still_checks_the_machine(tmp_path: Path) -> None:
    config = make_station(tmp_path, extra="")
    config.write_text(config.read_text(encoding="utf-8").replace("[speech]", "[speech]\nespeak_speed = 100000"),
                      encoding="utf-8")
    done = run_cli("doctor", "--config", str(config))
    assert done.returncode == 1
    assert f"!!  station file: {config}: key 'speech.espeak_speed': must be between 80 and 450" in done.stdout
    assert "ok  ffmpeg" in done.stdout and "ok  espeak-ng" in done.stdout


def test_doctor_checks_the_espeak_voice_against_espeak_ng(tmp_path: Path) -> None:
    config = make_station(tmp_path)
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("[speech]", '[speech]\nespeak_voice = "vi+nosuchvariant"'), encoding="utf-8")
    done = run_cli("doctor", "--config", str(config))
    assert done.returncode == 1, done.stdout
    assert "!!  espeak-ng voice vi+nosuchvariant: nosuchvariant is not in `espeak-ng --voices=variant`" in done.stdout
    config.write_text(text.replace("[speech]", '[speech]\nespeak_voice = "vi-vn-x-south+f2"'), encoding="utf-8")
    done = run_cli("doctor", "--config", str(config))
    assert done.returncode == 0, done.stdout
    assert "ok  espeak-ng voice vi-vn-x-south+f2: installed" in done.stdout


def _merge(into: dict, extra: dict) -> dict:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value
    return into


@pytest.mark.parametrize("doc", ["README.md", "docs/scheduling.md", "docs/articles.md", "docs/voices.md",
                                 "src/radio_gen/demo/station.toml"])
def test_every_documented_station_file_snippet_is_valid(doc: str, tmp_path: Path) -> None:
    """The documentation never shows a key the strict reader refuses."""
    text = (REPO / doc).read_text(encoding="utf-8")
    snippets = [text] if doc.endswith(".toml") else re.findall(r"```toml\n(.*?)```", text, re.S)
    assert snippets
    for snippet in snippets:
        other_file = re.match(r"# (\S+\.toml)\b", snippet)
        if other_file and other_file.group(1) != "station.toml":
            continue  # e.g. a cleaning rules file
        data = tomllib.loads(snippet)
        if not doc.endswith(".toml"):  # a part of a file: shown in a valid whole
            whole = tomllib.loads(base_station())
            del whole["articles"]["folders"]  # the snippet's own sources, if any, are the station's
            data = _merge(whole, data)
        parse_config(data, origin=doc, base=tmp_path)


def test_the_demo_file_is_one_to_copy_and_only_the_demo_run_reuses_its_samples(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (REPO / "src" / "radio_gen" / "demo" / "station.toml").read_text(encoding="utf-8")
    copied = parse_config(tomllib.loads(text), origin="station.toml", base=tmp_path)
    assert not any(s.repeat for s in copied.articles.sources)
    assert 1 <= copied.articles.max_age_days <= 31
    assert "CHANGE" in text
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    demo = load_demo()
    assert demo.articles.max_age_days == 0 and all(s.repeat for s in demo.articles.sources)
