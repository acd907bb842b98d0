"""Hostile files in the articles folder: only the station's own, stable, regular files are read.

Links out of the folder, FIFOs, devices, half-written files, names that are not UTF-8,
Markdown built to backtrack and booby-trapped .docx files: each is read or skipped with
a reason, in bounded time and memory, and the program is built from the rest.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers.cli import ARTICLE_MTIME, TEST_NOW, run_cli, rundown_of
from helpers.fast_hostile import build, copy_station
from helpers.station import make_station
from radio_gen.intake.sources import docx as docx_source
from radio_gen.intake.sources.folder import FolderSource, _split_title

GOOD = {"00-good.txt": "Xã ra quân vệ sinh môi trường\n\nSáng nay, người dân trong xã ra quân dọn vệ sinh đường làng."}


def _skipped(rundown: dict) -> dict[str, str]:
    found = {}
    for warning in rundown["warnings"]:
        match = re.match(r"skipped (.+?): (.+)", warning, re.S)
        if match:
            found[match.group(1).rsplit("/", 1)[-1]] = match.group(2)
    return found


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _with_document_xml(docx_bytes: bytes, document_xml: bytes) -> bytes:
    """The same package with word/document.xml replaced (deflated: bombs stay small on disk)."""
    source, out = zipfile.ZipFile(io.BytesIO(docx_bytes)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = document_xml if item.filename == "word/document.xml" else source.read(item)
            target.writestr(item.filename, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


#: The .docx size limits of these tests: a tenth of the real ones, so the bombs built to pass
#: them are a tenth as large (and as slow to make); the checks are the same.
PART_LIMIT, PACKAGE_LIMIT = docx_source.MAX_PART_BYTES // 10, docx_source.MAX_PACKAGE_BYTES // 10


def hostile_docx() -> dict[str, bytes]:
    good = _docx(["Thôn Đông làm đường giao thông nông thôn",
                  "Bà con thôn Đông góp công, góp của làm đường bê tông dài hai cây số."])
    head = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    body_open = (b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                 b'<w:body><w:p><w:r><w:t>')
    body_close = b"</w:t></w:r></w:p></w:body></w:document>"
    laughs = (head + b'<!DOCTYPE w:document [<!ENTITY a "' + b"ha" * 50 + b'">'
              + b"".join(b'<!ENTITY %c "%s">' % (98 + i, (b"&%c;" % (97 + i)) * 10) for i in range(8))
              + b"]>" + body_open + b"&i;" + body_close)
    return {
        "01-good.docx": good,
        "corrupt.docx": _with_document_xml(good, head + body_open + b"<unclosed" + body_close),
        "long-run.docx": _with_document_xml(good, head + body_open + b"a" * 3 * PART_LIMIT + body_close),
        "laughs.docx": _with_document_xml(good, laughs),
        "bomb.docx": _with_document_xml(good, head + body_open + b" " * 5 * PACKAGE_LIMIT + body_close),
        "truncated.docx": good[:len(good) // 2],
    }


UNDECODABLE = "tin-m\udce9i.txt"   # b"tin-m\xe9i.txt": Latin-1 from a Samba share
ODD_ARTICLE = "Thông báo lịch tiêm chủng\n\nTrạm y tế xã tiêm chủng cho trẻ vào sáng thứ bảy."


@pytest.fixture(scope="module", autouse=True)
def small_docx_limits() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(docx_source, "MAX_PART_BYTES", PART_LIMIT)
        patch.setattr(docx_source, "MAX_PACKAGE_BYTES", PACKAGE_LIMIT)
        yield


def _plant_odd_name(folder: Path) -> None:
    odd = Path(os.fsdecode(bytes(folder) + b"/tin-m\xe9i.txt"))
    odd.write_text(ODD_ARTICLE, encoding="utf-8")
    os.utime(odd, (ARTICLE_MTIME, ARTICLE_MTIME))


@dataclass
class HostileBuild:
    """One build of a folder holding every hostile file of this module (each test reads its part)."""

    root: Path
    done: subprocess.CompletedProcess[str]
    seconds: float
    rundown: dict
    script: str


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> HostileBuild:
    root = tmp_path_factory.mktemp("hostile-folder")
    config = make_station(root, articles={**GOOD, **hostile_docx(),
                                          "half.txt": "Tin đang gõ dở\n\nBà con chú ý, sáng mai"})
    folder = root / "articles"
    # Links out of the folder, a FIFO, devices.
    secret = root / "secret"
    secret.mkdir()
    (secret / "notes.txt").write_text("Mật khẩu\n\nMật khẩu của máy chủ là abc123.", encoding="utf-8")
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "status.txt").symlink_to("/proc/self/status")
    (folder / "notes.txt").symlink_to("../secret/notes.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    (folder / "twin.txt").symlink_to("00-good.txt")   # a link inside the folder is fine
    os.mkfifo(folder / "pipe.txt")
    # A file saved a second ago (by the CLI's clock in the tests): maybe still being saved.
    test_now = dt.datetime.fromisoformat(TEST_NOW).timestamp()
    os.utime(folder / "half.txt", (test_now - 1, test_now - 1))
    _plant_odd_name(folder)
    started = time.monotonic()
    done = build(config, timeout=300)
    seconds = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    script = Path(done.stdout.strip().splitlines()[-1]).with_suffix(".txt").read_text("utf-8")
    return HostileBuild(root, done, seconds, rundown_of(done), script)


def test_booby_trapped_word_files_are_skipped_and_the_folder_still_airs(hostile_build: HostileBuild) -> None:
    assert "Traceback" not in hostile_build.done.stderr
    assert hostile_build.seconds < 120
    titles = {a["title"] for a in hostile_build.rundown["articles"]}
    assert "Thôn Đông làm đường giao thông nông thôn" in titles, "the good .docx is read"
    skipped = _skipped(hostile_build.rundown)
    word = {name: reason for name, reason in skipped.items() if name.endswith(".docx")}
    assert set(word) == {"corrupt.docx", "long-run.docx", "laughs.docx", "bomb.docx", "truncated.docx"}
    assert "unpacks to" in word["bomb.docx"] and "unpacks to" in word["long-run.docx"]
    assert "declares entities" in word["laughs.docx"]
    assert all("Word .docx" in reason for reason in word.values())


def test_links_fifos_and_devices_are_never_read(hostile_build: HostileBuild) -> None:
    assert hostile_build.seconds < 90, "a FIFO must not hang the build"
    skipped = _skipped(hostile_build.rundown)
    for name in ("passwd.txt", "status.txt", "notes.txt", "zero.txt"):
        assert "outside the articles folder" in skipped[name], name
    assert "named pipe" in skipped["pipe.txt"] and "dangling.txt" in skipped
    script = hostile_build.script
    assert "root" not in script and "abc123" not in script and "VmRSS" not in script
    # Only the folder's own readable articles air (the link to 00-good.txt is not a second copy).
    assert sorted(a["title"] for a in hostile_build.rundown["articles"]) == sorted(
        ["Xã ra quân vệ sinh môi trường", "Thôn Đông làm đường giao thông nông thôn", "Thông báo lịch tiêm chủng"])


def test_a_file_still_being_saved_waits_for_the_next_build(hostile_build: HostileBuild, tmp_path: Path) -> None:
    skipped = _skipped(hostile_build.rundown)
    assert "may still be being saved" in skipped["half.txt"] and "next build" in skipped["half.txt"]
    config = copy_station(hostile_build.root, tmp_path)
    test_now = dt.datetime.fromisoformat(TEST_NOW).timestamp()   # the CLI's clock in the tests
    os.utime(tmp_path / "articles" / "half.txt", (test_now - 60, test_now - 60))
    done = build(config)
    assert done.returncode == 0, done.stderr
    assert "half.txt" not in _skipped(rundown_of(done))
    assert "Tin đang gõ dở" in {a["title"] for a in rundown_of(done)["articles"]}


def test_a_file_name_that_is_not_utf8_is_built_and_shown_with_an_escape(hostile_build: HostileBuild) -> None:
    assert "Traceback" not in hostile_build.done.stderr and "UnicodeEncodeError" not in hostile_build.done.stderr
    [article] = [a for a in hostile_build.rundown["articles"] if a["title"].startswith("Thông báo")]
    assert article["location"].endswith("tin-m\\xe9i.txt"), "stored losslessly, shown with an escape"


@pytest.mark.parametrize("command", [["script"], ["articles", "fetch"], ["articles", "list"], ["run-now", "sang"]])
def test_a_file_name_that_is_not_utf8_crashes_nothing(hostile_build: HostileBuild, tmp_path: Path,
                                                      command: list[str]) -> None:
    if command[0] == "run-now":   # a build: from a copy of the built folder, whose audio is cached
        config = copy_station(hostile_build.root, tmp_path)
    else:
        config = make_station(tmp_path, articles=GOOD)
        _plant_odd_name(tmp_path / "articles")
    dated = [] if command[:2] == ["articles", "fetch"] else ["--date", "2026-11-26"]
    args = [*command, "--config", str(config), *dated]
    done = run_cli(*args, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "UnicodeEncodeError" not in done.stderr
    if command == ["script"]:
        assert "Thông báo lịch tiêm chủng" in done.stdout


def test_a_file_that_grows_while_read_is_skipped(tmp_path: Path, wall_clock: None) -> None:
    # "changed within stable_seconds" is judged against the file's real modification time
    (tmp_path / "a.txt").write_text(GOOD["00-good.txt"], encoding="utf-8")
    os.utime(tmp_path / "a.txt", (ARTICLE_MTIME, ARTICLE_MTIME))
    source = FolderSource(tmp_path, stable_seconds=5)
    assert len(source.collect().articles) == 1, "old enough: read"
    (tmp_path / "a.txt").write_text(GOOD["00-good.txt"] + "\nThêm", encoding="utf-8")
    [skip] = source.collect().skipped
    assert "may still be being saved" in skip.reason


def test_a_title_only_edit_updates_the_stored_article(tmp_path: Path) -> None:
    config = make_station(tmp_path, articles=GOOD)
    assert run_cli("articles", "fetch", "--config", str(config)).returncode == 0
    path = tmp_path / "articles" / "00-good.txt"
    path.write_text(GOOD["00-good.txt"].replace("môi trường", "môi trường xanh sạch đẹp"), encoding="utf-8")
    os.utime(path, (ARTICLE_MTIME, ARTICLE_MTIME))
    fetched = run_cli("articles", "fetch", "--config", str(config))
    assert fetched.returncode == 0 and "1 updated" in fetched.stdout, fetched.stdout
    listing = run_cli("articles", "list", "--config", str(config), "--date", "2026-11-26")
    assert "môi trường xanh sạch đẹp" in listing.stdout


def test_formats_that_cannot_be_read_say_what_to_do(tmp_path: Path) -> None:
    source = FolderSource(tmp_path)
    for name in ("cu.doc", "ban.rtf", "mo.odt", "quet.pdf", "anh.jpg", "anh.PNG"):
        (tmp_path / name).write_bytes(b"\0" * 10)
    reasons = {Path(s.location).name: s.reason for s in source.collect().skipped}
    assert set(reasons) == {"cu.doc", "ban.rtf", "mo.odt", "quet.pdf", "anh.jpg", "anh.PNG"}
    assert all("save it as .docx" in reasons[n] for n in ("cu.doc", "ban.rtf", "mo.odt"))
    assert ".docx or .txt" in reasons["quet.pdf"] and ".docx or .txt" in reasons["anh.jpg"]


MARKDOWN_TRAPS = {
    "unclosed emphasis": lambda n: "*a " * (n // 3),
    "unclosed underscores": lambda n: "_a " * (n // 3),
    "nested brackets": lambda n: "[" * n,
    "link without address end": lambda n: "[a](" * (n // 4),
    "backticks": lambda n: "`a" * (n // 2),
}


@pytest.mark.parametrize("trap", MARKDOWN_TRAPS)
def test_markdown_handling_grows_linearly(trap: str) -> None:
    """The old patterns backtracked: 198 KB cost 108 s. Time for 4n must stay near 4x time for n."""
    make = MARKDOWN_TRAPS[trap]

    def cost(n: int) -> float:
        text = "Tiêu đề\n" + make(n)
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            _split_title(text, markdown=True)
            best = min(best, time.perf_counter() - started)
        return best

    small, large = cost(25_000), cost(100_000)
    assert large < 10 * small + 0.05, f"{trap}: {small:.4f} s for n, {large:.4f} s for 4n"


def test_markdown_is_still_read_as_text() -> None:
    title, body = _split_title("# **Tin** mới\n\nXem [trang xã](http://xa.vn/a) và *chú ý* `giờ` __họp__ snake_case.",
                               markdown=True)
    assert title == "Tin mới"
    assert body == "\nXem trang xã và chú ý giờ họp snake_case."
