"""Directive injection and runaway programs: the segment marker cannot come from a template's
text, an article or an item, every directive's value is checked where it is parsed, and a
program longer than the station's limit is a clear template error."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from helpers.cli import run_cli
from helpers.fast_build import warm_station
from helpers.station import make_station
from radio_gen.script import Clip, Pause, TemplateError, parse_segments

MARK = "\x1e"


def _script(tmp_path: Path, template: str, extra: str = "") -> object:
    config = make_station(tmp_path, extra=extra)
    (tmp_path / "templates").mkdir(exist_ok=True)
    (tmp_path / "templates" / "opening.j2").write_text(template, encoding="utf-8")
    return run_cli("script", "--config", str(config), "--date", "2026-11-26", timeout=120)


@pytest.mark.parametrize("template", [
    f"Xin chào.{MARK}pause:1e12{MARK}",                 # the marker typed into the template's text
    f"Xin chào.{MARK}clip:../../../../tmp/x{MARK}",
    "{% raw %}" + f"{MARK}pause:nan{MARK}" + "{% endraw %}",
])
def test_the_marker_typed_into_a_template_is_removed(tmp_path: Path, template: str) -> None:
    done = _script(tmp_path, template)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and MARK not in done.stdout
    pauses = [float(p) for p in re.findall(r"\[nghỉ ([^ \]]+) giây\]", done.stdout)]
    assert pauses and all(0 <= p <= 30 for p in pauses)
    assert set(re.findall(r"\[nhạc: ([^\]]+)\]", done.stdout)) == {"nhac-hieu", "stinger"}


@pytest.mark.parametrize("template, problem", [
    ('{% filter replace("1", "1e12") %}{{ pause(1) }}{% endfilter %}', "pause:'1e12'"),
    ('{% filter replace("1", "nan") %}{{ pause(1) }}{% endfilter %}', "pause:'nan'"),
    ('{% filter replace("1", "inf") %}{{ pause(1) }}{% endfilter %}', "pause:'inf'"),
    ('{% filter replace("1", "-5") %}{{ pause(1) }}{% endfilter %}', "pause:'-5'"),
    ('{% filter replace("stinger", "../../../../tmp/x") %}{{ clip("stinger") }}{% endfilter %}', "clip:'../"),
    ('{% filter replace("clip", "boom") %}{{ clip("stinger") }}{% endfilter %}', "unknown directive"),
    ("{{ news_item({'id': '\\x1epause:1e12\\x1e', 'title': 'x'}) }}", "news_item() takes one of the program's items"),
])
def test_a_rewritten_directive_is_a_template_error(tmp_path: Path, template: str, problem: str) -> None:
    done = _script(tmp_path, template)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    assert problem in done.stderr and ("opening.j2" in done.stderr or "program.j2" in done.stderr)


@pytest.mark.parametrize("value", ["1e12", "nan", "inf", "-5", "-0.1", "31", "x"])
def test_parse_segments_refuses_bad_pauses(value: str) -> None:
    with pytest.raises(TemplateError, match="a pause must be 0 to 30 seconds"):
        parse_segments(f"Tin.{MARK}pause:{value}{MARK}")


def test_parse_segments_refuses_clips_with_folders_and_unknown_roles_or_items() -> None:
    for bad in ("../x", "/etc/x", "..", "a/b"):
        with pytest.raises(TemplateError, match="short file name"):
            parse_segments(f"{MARK}clip:{bad}{MARK}")
    with pytest.raises(TemplateError, match="no such announcer"):
        parse_segments(f"{MARK}voice:Z{MARK}Tin.", roles=frozenset({"A"}))
    with pytest.raises(TemplateError, match="not one of the program's items"):
        parse_segments(f"{MARK}item:zzz{MARK}Tin.{MARK}item:{MARK}", item_ids=frozenset({"abc"}))
    assert parse_segments(f"{MARK}clip:stinger{MARK}{MARK}pause:0{MARK}{MARK}pause:30{MARK}") == [
        Clip("stinger"), Pause(0.0), Pause(30.0)]
    assert all(math.isfinite(s.seconds) for s in parse_segments(f"{MARK}pause:2.5{MARK}") if isinstance(s, Pause))


def test_a_program_longer_than_the_limit_is_a_template_error(tmp_path: Path) -> None:
    """The tryout's loop of pause(30) made a 10-hour program (288 MB a copy)."""
    done = _script(tmp_path, "{% for i in range(1300) %}{{ pause(30) }}{% endfor %}")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "would last about 6" in done.stderr and "max_minutes" in done.stderr


def test_the_program_length_limit_is_a_station_setting(tmp_path: Path) -> None:
    done = _script(tmp_path, "{% for i in range(30) %}{{ pause(30) }}{% endfor %}", extra="max_minutes = 10\n")
    assert done.returncode == 1 and "limit of 10 ([output] max_minutes)" in done.stderr
    done = _script(tmp_path, "{% for i in range(30) %}{{ pause(30) }}{% endfor %}", extra="max_minutes = 30\n")
    assert done.returncode == 0, done.stderr


def test_control_and_bidi_characters_never_reach_speech_or_tags(tmp_path: Path) -> None:
    from mutagen.id3 import ID3

    config = warm_station(tmp_path)   # the news items' audio is cached
    text = config.read_text("utf-8").replace('name = "Đài Truyền thanh huyện Thử Nghiệm"',
                                             'name = "Đài \\u202eTruyền\\u202c thanh\\u001b[31m huyện\\u0007"')
    config.write_text(text, encoding="utf-8")
    done = run_cli("build", "--config", str(config), "--date", "2026-11-26")
    assert done.returncode == 0, done.stderr
    mp3 = Path(done.stdout.strip().splitlines()[-1])
    artist = str(ID3(mp3)["TPE1"])
    assert artist == "Đài Truyền thanh[31m huyện", artist
    script = mp3.with_suffix(".txt").read_text("utf-8")
    assert not any(c in script for c in "\u202e\u202c\x1b\x07")
