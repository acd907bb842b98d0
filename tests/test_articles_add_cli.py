"""`radio-gen articles add --file/--url` through the real entry point.

Pasted text on standard input is tested in test_articles_edit_cli.
"""

from __future__ import annotations

import re

from helpers.cli import run_cli
from helpers.station import make_station
from helpers.fixture_site import SITE, serve_site
from helpers.documents import docx_bytes
from helpers.web_support import PAGE, PAGE_TITLE

from radio_gen.config import load_config
from radio_gen.users import Users


def _titles(config) -> str:
    done = run_cli("articles", "list", "--config", str(config))
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_add_docx_and_html_files_cleaned_like_the_folder(tmp_path):
    config = make_station(tmp_path)
    document = tmp_path / "tap-huan.docx"
    document.write_bytes(docx_bytes("Huyện tập huấn phòng chống cháy rừng",
                                    ["Sáng 26/11, Hạt Kiểm lâm huyện tập huấn cho 80 hộ nhận khoán.",
                                     "Ảnh minh họa", "Các hộ được hướng dẫn làm đường băng cản lửa."]))
    added = run_cli("articles", "add", "--config", str(config), "--file", str(document), "--by", "anh")
    assert added.returncode == 0, added.stderr
    assert re.match(r"[0-9a-f]{12} added: Huyện tập huấn phòng chống cháy rừng", added.stdout)
    page = tmp_path / "trang.html"
    page.write_bytes((SITE / PAGE.lstrip("/")).read_bytes())
    added = run_cli("articles", "add", "--config", str(config), "--file", str(page))
    assert added.returncode == 0 and PAGE_TITLE in added.stdout, added.stderr
    again = run_cli("articles", "add", "--config", str(config), "--file", str(page))
    assert again.returncode == 0 and "already in the store" in again.stdout
    listing = _titles(config)
    assert "Huyện tập huấn phòng chống cháy rừng" in listing and PAGE_TITLE in listing
    wrong = tmp_path / "bai.pdf"
    wrong.write_bytes(b"%PDF-1.4")
    refused = run_cli("articles", "add", "--config", str(config), "--file", str(wrong))
    assert refused.returncode == 1 and "only .txt, .docx, .html, .htm files can be added" in refused.stderr
    journal = [e for e in Users(load_config(config).store_path).journal(10) if e.action == "article.add"]
    assert ("anh", "tap-huan.docx") in [(e.user, e.detail.get("file")) for e in journal]


def test_add_by_url_honours_allow_hosts(tmp_path):
    refused_station = make_station(tmp_path / "a")
    allowed_station = make_station(tmp_path / "b")
    text = allowed_station.read_text(encoding="utf-8").replace(
        "[articles]\n", '[articles]\nallow_hosts = ["127.0.0.1"]\n')
    allowed_station.write_text(text, encoding="utf-8")
    with serve_site() as site:
        refused = run_cli("articles", "add", "--config", str(refused_station), "--url", site.url(PAGE))
        assert refused.returncode == 1 and "internal address" in refused.stderr and "allow_hosts" in refused.stderr
        assert site.requests == []
        added = run_cli("articles", "add", "--config", str(allowed_station), "--url", site.url(PAGE))
        assert added.returncode == 0, added.stderr
        assert PAGE_TITLE in added.stdout and [p for p, _ in site.requests] == [PAGE]
        missing = run_cli("articles", "add", "--config", str(allowed_station), "--url", site.url("/error"))
        assert missing.returncode == 1 and "HTTP 500" in missing.stderr
    assert PAGE_TITLE in _titles(allowed_station)
    both = run_cli("articles", "add", "--config", str(allowed_station), "--url", "x", "--file", "y")
    assert both.returncode == 2 and "not allowed with" in both.stderr
