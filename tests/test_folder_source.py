"""The folder source: encodings, NFC, HTML, and bad files skipped with a reason."""

from __future__ import annotations

import codecs
import json
import os
import unicodedata
from pathlib import Path

from helpers.cli import run_cli, rundown_of
from helpers.fast_build import warm_station
from helpers.station import make_station
from radio_gen.intake.sources.folder import FolderSource

TITLE, BODY = "Xã Cẩm Thành hỗ trợ hộ nghèo", "Ủy ban nhân dân xã đã trao quà cho hộ nghèo."


def _text(title: str = TITLE, body: str = BODY) -> str:
    return f"{title}\n\n{body}\n"


def test_reads_every_supported_encoding_and_applies_nfc(tmp_path: Path) -> None:
    files = {
        "utf8.txt": _text().encode("utf-8"),
        "utf8bom.txt": codecs.BOM_UTF8 + _text().encode("utf-8"),
        "utf16le.txt": codecs.BOM_UTF16_LE + _text().encode("utf-16-le"),
        "utf16be.txt": codecs.BOM_UTF16_BE + _text().encode("utf-16-be"),
        "utf16-nobom.txt": _text().encode("utf-16-le"),
        "nfd.txt": unicodedata.normalize("NFD", _text()).encode("utf-8"),
        "crlf.md": ("# " + TITLE + "\r\n\r\n" + BODY + "\r\n").encode("utf-8"),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    result = FolderSource(tmp_path).collect()
    assert result.skipped == []
    assert len(result.articles) == len(files)
    for article in result.articles:
        assert (article.title, article.body) == (TITLE, BODY), article.location
        assert unicodedata.is_normalized("NFC", article.body)
    assert len({a.id for a in result.articles}) == 1, "the same story has one id wherever it comes from"


def test_html_page_keeps_headline_and_paragraphs_drops_scripts_and_captions(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        "<html><head><title>Trang chủ - Tin</title><script>var x=1;</script></head><body>"
        "<nav>Trang chủ | Tin tức</nav><h1>Khánh thành cầu &amp; đường</h1>"
        "<p>Sáng nay, xã khánh thành cây cầu mới.</p>"
        "<figure><img src=a.jpg><figcaption>Các đại biểu cắt băng</figcaption></figure>"
        "<p class='caption'>Ảnh: Minh Anh</p><p>Cầu dài 120 mét.</p><footer>Tổng truy cập: 5.705.840</footer>"
        "</body></html>", encoding="utf-8")
    [article] = FolderSource(tmp_path).collect().articles
    assert article.title == "Khánh thành cầu & đường"
    assert article.paragraphs == ["Sáng nay, xã khánh thành cây cầu mới.", "Cầu dài 120 mét."]


def test_bad_files_are_skipped_with_a_reason_and_the_build_goes_on(tmp_path: Path) -> None:
    config = make_station(tmp_path, articles={
        "good.txt": _text(),
        "empty.txt": b"",
        "blank.txt": b"   \n\n  ",
        "binary.txt": bytes(range(256)) * 4,
        "latin1.txt": "Caf\xe9 cr\xe8me".encode("latin-1"),
        "title-only.txt": "Chỉ có tiêu đề\n",
        "notice.pdf": b"%PDF-1.4",
    })
    done = run_cli("build", "--config", str(config), "--date", "2026-11-26")
    assert done.returncode == 0, done.stderr
    rundown = rundown_of(done)
    assert [a["title"] for a in rundown["articles"]] == [TITLE]
    reasons = {w.split(":")[0].rsplit("/", 1)[-1]: w for w in rundown["warnings"] if w.startswith("skipped")}
    assert set(reasons) == {"empty.txt", "blank.txt", "binary.txt", "latin1.txt", "title-only.txt", "notice.pdf"}
    assert "save the text as .docx" in reasons["notice.pdf"], "a format that cannot be read says what to do"
    assert "empty file" in reasons["empty.txt"] and "empty file" in reasons["blank.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "UTF-8" in reasons["latin1.txt"]
    assert "no title or no body" in reasons["title-only.txt"]
    for name in reasons:
        assert name in done.stderr, "each skip is also said on the console"


def test_missing_articles_folder_is_reported_not_fatal(tmp_path: Path) -> None:
    config = warm_station(tmp_path, articles={})   # the program without news, made before
    (tmp_path / "articles").rmdir()
    done = run_cli("build", "--config", str(config), "--date", "2026-11-26")
    assert done.returncode == 3, done.stderr  # built and aired, but degraded: no news item
    assert "does not exist" in done.stderr and "Traceback" not in done.stderr


def test_a_moved_station_folder_airs_nothing_its_editors_deleted_or_replaced(tmp_path: Path) -> None:
    """The store knows folder articles by their file's path: after the whole station folder moved (a new disk,
    a new PC), a file deleted or rewritten there must not leave its old version on the air."""
    articles = {"a.txt": "Huyện ra quân làm thủy lợi\n\nSáng nay, các xã ra quân nạo vét kênh mương.",
                "b.txt": "Xã hỗ trợ hộ nghèo\n\nXã đã trao quà cho các hộ nghèo trong thôn.",
                "c.txt": "Tin thứ ba\n\nNội dung tin thứ ba."}
    before = make_station(tmp_path / "cu", articles=articles)
    listed = run_cli("articles", "list", "--json", "--config", str(before), "--date", "2026-11-26")
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)["articles"]) == 3

    (tmp_path / "cu").rename(tmp_path / "moi")
    folder = tmp_path / "moi" / "articles"
    (folder / "c.txt").unlink()
    edited = folder / "b.txt"
    stamp = edited.stat().st_mtime
    edited.write_text("Xã hỗ trợ hộ nghèo\n\nXã đã trao quà và gạo cho các hộ nghèo trong thôn.", encoding="utf-8")
    os.utime(edited, (stamp, stamp))
    after = run_cli("articles", "list", "--json", "--config", str(tmp_path / "moi" / "station.toml"),
                    "--date", "2026-11-26")
    assert after.returncode == 0, after.stderr
    shown = json.loads(after.stdout)["articles"]
    assert sorted(a["title"] for a in shown if a["selected"]) == ["Huyện ra quân làm thủy lợi", "Xã hỗ trợ hộ nghèo"]
    left_out = {(a["title"], a["reason"].split(":")[0]) for a in shown if not a["selected"]}
    assert left_out == {("Tin thứ ba", "withdrawn"), ("Xã hỗ trợ hộ nghèo", "withdrawn")}, shown
    [new_b] = [a for a in shown if a["selected"] and a["title"] == "Xã hỗ trợ hộ nghèo"]
    assert new_b["id"] != next(a["id"] for a in shown if not a["selected"] and a["title"] == new_b["title"])
    sources = {a["source"] for a in shown if a["selected"]}
    assert sources == {f"folder:{folder}"}, "the moved files belong to the folder the station reads now"
