"""Editors see and control what was extracted from a page (issue 14): `articles show` prints a
real portal page's article as the program reads it, `list --json` and `show --json` give the
same as JSON, and `articles edit` opens the text in $EDITOR and keeps the edited version."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from helpers.cli import cli_env, run_cli
from helpers.paths import DATA
from helpers.station import make_station

PAGE = DATA / "real" / "dakrlap-benh-truyen-nhiem.html"


def _station(tmp_path: Path) -> Path:
    today = ("Xã ra quân vệ sinh môi trường\n\n"
             "Sáng 26/11, xã tổ chức ra quân vệ sinh môi trường tại các thôn.\n")
    return make_station(tmp_path, articles={PAGE.name: PAGE.read_bytes(), "ve-sinh.txt": today})


def _listed(config: Path) -> dict:
    done = run_cli("articles", "list", "--config", str(config), "--date", "2026-11-26", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_list_and_show_give_what_the_program_reads(tmp_path: Path) -> None:
    listed = _listed(_station(tmp_path))
    page = next(a for a in listed["articles"] if a["location"].endswith(PAGE.name))
    assert page["title"] == "Huyện Đăk R’lấp ghi nhận 636 ca mắc bệnh truyền nhiễm"
    assert page["published"] == "2019-06-28"
    assert page["byline"] == "Ngô Tấm – Khánh Hiền"
    assert len(page["paragraphs"]) == 3 and page["paragraphs"][0].startswith("Trong 06 tháng đầu năm 2019")
    assert not any("Ngô Tấm" in p or "Xem chi tiết" in p for p in page["paragraphs"])
    # A 2019 article is too old for a 2026 program: listed, not selected, and the reason says why.
    assert page["selected"] is False and page["reason"]
    fresh = next(a for a in listed["articles"] if a["location"].endswith("ve-sinh.txt"))
    assert fresh["selected"] is True and fresh["reason"] is None and fresh["published"] == "2026-11-26"

    config = tmp_path / "station.toml"
    shown = run_cli("articles", "show", page["id"][:8], "--config", str(config), "--json")
    assert shown.returncode == 0, shown.stderr
    assert {k: v for k, v in json.loads(shown.stdout).items() if k != "edited"} == \
        {k: page[k] for k in ("id", "title", "published", "byline", "source", "location", "paragraphs")}
    text = run_cli("articles", "show", page["id"], "--config", str(config))
    assert text.returncode == 0, text.stderr
    assert "byline (not read): Ngô Tấm – Khánh Hiền" in text.stdout and "2019-06-28" in text.stdout
    assert page["paragraphs"][2] in text.stdout
    missing = run_cli("articles", "show", "ffffffff", "--config", str(config))
    assert missing.returncode != 0 and "Traceback" not in missing.stderr


def test_edit_opens_the_editor_and_keeps_the_edited_version(tmp_path: Path) -> None:
    config = _station(tmp_path)
    page = next(a for a in _listed(config)["articles"] if a["location"].endswith(PAGE.name))
    editor = tmp_path / "editor.py"  # an editor that drops the last paragraph and renames the article
    editor.write_text("import sys, pathlib\n"
                      "p = pathlib.Path(sys.argv[1]); parts = p.read_text(encoding='utf-8').strip().split('\\n\\n')\n"
                      "title = 'Dịch bệnh ở Đăk R’lấp'\n"
                      "p.write_text('\\n\\n'.join([title] + parts[1:-1]) + '\\n', encoding='utf-8')\n",
                      encoding="utf-8")
    env = cli_env(EDITOR=f"{sys.executable} {editor}", VISUAL="")
    done = run_cli("articles", "edit", page["id"], "--config", str(config), "--by", "anh", env=env)
    assert done.returncode == 0, done.stderr
    assert "saved as version 1" in done.stdout
    shown = json.loads(run_cli("articles", "show", page["id"], "--config", str(config), "--json").stdout)
    assert shown["edited"] is True and shown["title"] == "Dịch bệnh ở Đăk R’lấp"
    assert shown["paragraphs"] == page["paragraphs"][:2]

    unchanged = tmp_path / "same.py"
    unchanged.write_text("pass\n", encoding="utf-8")
    again = run_cli("articles", "edit", page["id"], "--config", str(config),
                    env=cli_env(EDITOR=f"{sys.executable} {unchanged}", VISUAL=""))
    assert again.returncode == 0 and "not changed" in again.stdout
    failing = run_cli("articles", "edit", page["id"], "--config", str(config), env=cli_env(EDITOR="false", VISUAL=""))
    assert failing.returncode != 0 and "nothing was saved" in failing.stderr and "Traceback" not in failing.stderr
