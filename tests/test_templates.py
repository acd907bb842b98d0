"""Templates: editor overrides, sandboxing, strict names, errors that say where."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.cli import run_cli
from radio_gen import script
from radio_gen.script import Clip, Pause, Speech, parse_segments


def _templates(station: Path) -> Path:
    folder = station.parent / "templates"
    folder.mkdir(exist_ok=True)
    return folder


def test_station_template_overrides_a_built_in_part(station: Path) -> None:
    (_templates(station) / "closing.j2").write_text(
        "{{ station.name }} xin tạm biệt. Hẹn gặp lại vào {{ program.broadcast }} ngày mai.\n", encoding="utf-8")
    done = run_cli("script", "--config", str(station), "--date", "2026-11-26")
    assert done.returncode == 0, done.stderr
    assert "Đài Truyền thanh huyện Thử Nghiệm xin tạm biệt." in done.stdout
    assert "đến đây là kết thúc" not in done.stdout
    assert "Chương trình hôm nay gồm các nội dung sau" in done.stdout  # other parts still built in


@pytest.mark.parametrize("name, body, expected", [
    ("opening.j2", "Xin chào.\n{{ tram.ten }}\n", ["opening.j2, line 2", "undefined name", "tram"]),
    ("item.j2", "{{ item.title }}\n{{ item.tac_gia }}\n", ["item.j2, line 2", "undefined name", "tac_gia"]),
    ("closing.j2", "{{ ''.__class__.__mro__[1].__subclasses__() }}\n", ["closing.j2, line 1", "not allowed"]),
    ("closing.j2", "{{ station.name.__init__.__globals__ }}\n", ["closing.j2, line 1", "not allowed"]),
    ("headlines.j2", "{% for x in items %}\n{{ x.title }\n{% endfor %}\n", ["headlines.j2, line 2", "syntax error"]),
    ("program.j2", "{{ clip('../../etc/passwd') }}\n", ["program.j2, line 1", "clip name"]),
    ("program.j2", "{{ pause(3600) }}\n", ["program.j2, line 1", "pause()"]),
])
def test_broken_template_fails_clearly_and_publishes_nothing(station: Path, name: str, body: str,
                                                             expected: list[str]) -> None:
    (_templates(station) / name).write_text(body, encoding="utf-8")
    done = run_cli("build", "--config", str(station), "--date", "2026-11-26")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    for fragment in expected:
        assert fragment in done.stderr
    out = station.parent / "out"
    assert not out.exists() or not list(out.rglob("*.mp3"))


def test_article_text_cannot_inject_directives(tmp_path: Path) -> None:
    from helpers.station import make_station

    config = make_station(tmp_path, articles={"x.txt": "Tiêu đề\n\nNội dung \x1eclip:stinger\x1e kèm ký tự lạ."})
    done = run_cli("script", "--config", str(config), "--date", "2026-11-26")
    assert done.returncode == 0, done.stderr
    assert "Nội dung clip:stinger kèm ký tự lạ." in done.stdout


def test_parse_segments_keeps_order_and_ties_speech_to_items() -> None:
    mark = "\x1e"
    rendered = (f"{mark}clip:nhac-hieu{mark}Mở đầu.\n\nĐoạn hai\ncùng đoạn.{mark}pause:1.5{mark}"
                f"{mark}item:abc{mark}Tin một.{mark}item:{mark}Kết thúc.")
    assert parse_segments(rendered) == [
        Clip("nhac-hieu"), Speech("Mở đầu."), Speech("Đoạn hai cùng đoạn."), Pause(1.5),
        Speech("Tin một.", "abc"), Speech("Kết thúc."),
    ]


@pytest.mark.parametrize("body, expected", [
    ("{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}", "did not finish within"),
    ("{{ 'x' * 20000000 }}", "produced more than"),  # ten times the limit (Jinja folds it at compile time)
    ("{% for i in range(100000) %}{{ 'y' * 1000 }}{% endfor %}", "produced more than"),
    ("{{ 'x' * 3000000000 }}", "MB of memory"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "RecursionError"),
    ("{% include '../../../../../../etc/passwd' %}", "not found"),
    ("{% include '/etc/passwd' %}", "not found"),
    ("{{ cycler.__init__.__globals__ }}", "not allowed"),
    ("{{ lipsum.__globals__['os'].environ }}", "not allowed"),
])
def test_runaway_or_escaping_template_is_stopped(station: Path, body: str, expected: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    if expected == "did not finish within":  # the loop never ends: 0.3 s tell as much as the build's 10
        monkeypatch.setattr(script, "COMPOSE_TIMEOUT_SECONDS", 0.3)
    (_templates(station) / "opening.j2").write_text(body + "\n", encoding="utf-8")
    done = run_cli("build", "--config", str(station), "--date", "2026-11-26", timeout=60)
    assert done.returncode == 1
    assert expected in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr) < 2000
    out = station.parent / "out"
    assert not out.exists() or not list(out.rglob("*.mp3"))
