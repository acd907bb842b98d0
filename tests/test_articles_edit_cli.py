"""`radio-gen articles edit/drop/move/add` and `templates check` through the real entry point."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from helpers.cli import run_cli
from helpers.station import make_station

from radio_gen.config import load_config
from radio_gen.users import Users


def _queue(config: Path) -> tuple[list[tuple[str, str]], str]:
    """([(id, title)] in reading order, the whole output) of `articles list`."""
    done = run_cli("articles", "list", "--config", str(config))
    assert done.returncode == 0, done.stderr
    return re.findall(r"^\s+\d+\. ([0-9a-f]{12})  \S+  (.+?)  \(", done.stdout, re.M), done.stdout


def test_edit_show_diff_and_a_stale_version_is_refused(tmp_path):
    config = make_station(tmp_path)
    items, _ = _queue(config)
    article, title = items[0]
    shown = run_cli("articles", "edit", article[:6], "--config", str(config), "--show")
    assert shown.returncode == 0 and "version 0" in shown.stdout and "(as the source gave it)" in shown.stdout
    text = tmp_path / "sua.txt"
    text.write_text(f"{title}\n\nUBND xã đã sửa lại tin này ngày 25/11.\n", encoding="utf-8")
    saved = run_cli("articles", "edit", article, "--config", str(config), "--file", str(text), "--by", "anh")
    assert saved.returncode == 0, saved.stderr
    assert "saved as version 1" in saved.stdout
    stale = run_cli("articles", "edit", article, "--config", str(config), "--file", str(text), "--version", "0")
    assert stale.returncode == 1
    assert "was changed by anh" in stale.stderr and "was not saved" in stale.stderr and "Traceback" not in stale.stderr
    shown = run_cli("articles", "edit", article, "--config", str(config), "--show")
    assert "version 1  (edited by anh" in shown.stdout and "+ UBND xã đã sửa lại tin này ngày 25/11." in shown.stdout
    script = run_cli("script", "--config", str(config), "--date", "2026-11-26")
    assert script.returncode == 0, script.stderr
    assert "Ủy ban nhân dân xã đã sửa lại tin này ngày hai mươi lăm tháng mười một" in script.stdout
    station = load_config(config)
    with sqlite3.connect(station.store_path) as db:       # the source's text is kept beside the edit
        body, edited = db.execute("SELECT body, edited_body FROM articles WHERE id = ?", (article,)).fetchone()
    assert "đã sửa" not in body and "đã sửa" in edited
    actions = [(e.user, e.action) for e in Users(station.store_path).journal(10)]
    assert ("anh", "article.edit") in actions


def test_drop_move_and_add_from_standard_input(tmp_path):
    config = make_station(tmp_path)
    items, _ = _queue(config)
    assert len(items) == 2
    (first, _), (second, second_title) = items
    moved = run_cli("articles", "move", second, "up", "--config", str(config), "--date", "2026-11-26")
    assert moved.returncode == 0, moved.stderr
    assert [i for i, _ in _queue(config)[0]] == [second, first]
    top = run_cli("articles", "move", second, "up", "--config", str(config))
    assert top.returncode == 1 and "already first" in top.stderr
    dropped = run_cli("articles", "drop", second, "--config", str(config))
    assert dropped.returncode == 0 and "dropped" in dropped.stdout
    items, listing = _queue(config)
    assert [i for i, _ in items] == [first]
    assert f"{second}  {second_title}: dropped by an editor" in listing
    added = run_cli("articles", "add", "--config", str(config), "--file", "-",
                    input="Thông báo lịch cắt điện\n\nĐiện lực huyện cắt điện ngày 27/11 từ 7h đến 11h.\n")
    assert added.returncode == 0, added.stderr
    new_id = added.stdout.split()[0]
    items, _ = _queue(config)
    assert (new_id, "Thông báo lịch cắt điện") in items
    back = run_cli("articles", "drop", second, "--off", "--config", str(config))
    assert back.returncode == 0 and second in [i for i, _ in _queue(config)[0]]
    empty = run_cli("articles", "add", "--config", str(config), "--file", "-", input="Chỉ có tiêu đề\n")
    assert empty.returncode == 1 and "needs a title and some text" in empty.stderr
    actions = [e.action for e in Users(load_config(config).store_path).journal(20)]
    for action in ("article.move", "article.dropped", "article.add", "article.undropped"):
        assert action in actions


def test_templates_check_reports_the_line_and_passes_when_fixed(tmp_path):
    config = make_station(tmp_path)
    ok = run_cli("templates", "check", "--config", str(config))
    assert ok.returncode == 0 and "ok: 1 program(s) render" in ok.stdout
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "item.j2").write_text("{{ item.title | sentence }}\n{% for p in item.paragraphs %}\n{{ p }}\n",
                                    encoding="utf-8")
    broken = run_cli("templates", "check", "--config", str(config))
    assert broken.returncode == 1
    assert "item.j2, line 3: syntax error" in broken.stdout and "template problem" in broken.stderr
    (folder / "item.j2").write_text("{{ item.title | sentence }}\n{{ item.nothing }}\n", encoding="utf-8")
    undefined = run_cli("templates", "check", "--config", str(config))
    assert undefined.returncode == 1 and "item.j2, line 2: undefined name" in undefined.stdout
    (folder / "item.j2").write_text("{{ ''.__class__.__mro__ }}\n", encoding="utf-8")
    hostile = run_cli("templates", "check", "--config", str(config))
    assert hostile.returncode == 1 and "not allowed in a template" in hostile.stdout
    (folder / "item.j2").write_text("{{ item.title | sentence }}\n{% for p in item.paragraphs %}\n{{ p }}\n"
                                    "{% endfor %}\n", encoding="utf-8")
    fixed = run_cli("templates", "check", "--config", str(config))
    assert fixed.returncode == 0 and "item.j2" in fixed.stdout, fixed.stdout + fixed.stderr


def test_a_store_from_before_editing_gains_the_columns_and_keeps_its_articles(tmp_path):
    from radio_gen.intake.store import SCHEMA, Store, VersionConflict

    path = tmp_path / "radio-gen.sqlite"
    with sqlite3.connect(path) as db:                       # the file as the first release wrote it
        db.executescript(SCHEMA)
        db.execute("INSERT INTO articles (id, url, source, title, body, content_hash, first_seen, last_seen) "
                   "VALUES ('abcdef123456', 'u', 's', 'Tin cũ', 'Nội dung cũ.', 'h', "
                   "'2026-11-25T00:00:00+00:00', '2026-11-25T00:00:00+00:00')")
    with Store.open(path) as first, Store.open(path) as second:    # two openers: one migration
        (old,) = first.articles()
        assert (old.article.body, old.version, old.dropped, old.rank, old.edited) == \
            ("Nội dung cũ.", 0, False, 0, False)
        assert first.save_edit(old.id, "Tin cũ", "Nội dung mới.", 0, "anh") == 1
        with pytest.raises(VersionConflict, match="changed by anh"):
            second.save_edit(old.id, "Tin cũ", "Nội dung khác.", 0, "binh")
        (now,) = second.articles()
        assert now.article.body == "Nội dung mới." and now.edited and second.source_text(old.id)[1] == "Nội dung cũ."
