"""Adding articles by upload and by URL, and replacing clips, over real HTTP through the newsroom.

Uploads go through the real server (multipart bodies, a chunked body over the limit on
a raw socket); URL adds fetch from the fixture site on a real 127.0.0.1 server; clips
are real audio made by ffmpeg, checked by ffprobe, and the stored clip is measured with
ffmpeg's own EBU R128 meter.
"""

from __future__ import annotations

import html
import re
import socket
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from helpers.audio_probe import probe
from helpers.documents import docx_bytes
from helpers.fixture_site import SITE, serve_site
from helpers import fast_web
from helpers.fast_web import copy_station, editing_template, login, served, session_tone
from helpers.web_support import DAY2, PAGE, PAGE_TITLE, Clock, allow_local, csrf_of

from radio_gen.intake.pipeline import web_context
from radio_gen.intake.sources.folder import read_article
from radio_gen.intake.sources.web import PageSource
from radio_gen.intake.store import Store
from radio_gen.users import Users
from radio_gen.web import create_app

QUEUE = f"/tin-bai/{DAY2}/sang"
server, module_server = fast_web.server, fast_web.module_server     # fixtures: one uvicorn a module


@pytest.fixture
def station(tmp_path, tmp_path_factory):
    return allow_local(copy_station(editing_template(tmp_path_factory), tmp_path / "station"))


def stored(station) -> dict[str, object]:
    """Title -> stored article."""
    with Store.open(station.store_path) as store:
        return {s.article.title: s for s in store.articles()}


def queue_titles(client: httpx.Client) -> str:
    return client.get(QUEUE).text.split('id="queue"')[1].split("</ol>")[0]


def flash(client: httpx.Client, response: httpx.Response) -> str:
    assert response.status_code == 303, response.text[:300]
    page = client.get(response.headers["location"]).text
    found = re.search(r'<p class="flash">(.*?)</p>', page, re.S)
    return html.unescape(found.group(1)) if found else ""


def upload(client: httpx.Client, path: str, name: str, data: bytes, content_type: str = "application/octet-stream"):
    return client.post(path, data={"csrf": csrf_of(client, "/")}, files={"file": (name, data, content_type)})


# -- articles ---------------------------------------------------------------------------------
def test_upload_txt_docx_html_read_and_cleaned_like_the_folder_source(station, server, tmp_path):
    editor = login(server.url, "bientap", station)
    txt = ("Xã Minh Hòa tổ chức ngày hội đại đoàn kết\n\nTối 25/11, UBND xã Minh Hòa tổ chức ngày hội đại đoàn "
           "kết toàn dân tộc tại nhà văn hóa thôn Đông.\n\nẢnh minh họa\n\nNhiều hộ gia đình được biểu dương.")
    added = upload(editor, f"{QUEUE}/tai-len", "ngay-hoi.txt", txt.encode("utf-8"), "text/plain")
    assert flash(editor, added) == "Đã thêm tin «Xã Minh Hòa tổ chức ngày hội đại đoàn kết»."
    document = docx_bytes("Huyện tập huấn phòng chống cháy rừng",
                          ["Sáng 26/11, Hạt Kiểm lâm huyện tập huấn phòng chống cháy rừng cho 80 hộ nhận khoán.",
                           "Các hộ được hướng dẫn làm đường băng cản lửa."])
    added = upload(editor, f"{QUEUE}/tai-len", "tap-huan.docx", document)
    assert "Huyện tập huấn phòng chống cháy rừng" in flash(editor, added)
    page = (SITE / PAGE.lstrip("/")).read_bytes()
    added = upload(editor, f"{QUEUE}/tai-len", "thu-hoach.html", page, "text/html")
    assert PAGE_TITLE in flash(editor, added)

    articles = stored(station)
    for name, data, title in (("a.txt", txt.encode("utf-8"), "Xã Minh Hòa tổ chức ngày hội đại đoàn kết"),
                              ("b.docx", document, "Huyện tập huấn phòng chống cháy rừng"),
                              ("c.html", page, PAGE_TITLE)):
        (tmp_path / name).write_bytes(data)
        folder = read_article(tmp_path / name, "x", web_context(station, Store.open(station.store_path), DAY2)[0].rules,
                              today=DAY2)
        item = articles[title]
        assert (item.article.title, item.article.body) == (folder.title, folder.body), name
        assert item.article.source == "bien-tap"
    assert "Ảnh minh họa" not in articles["Xã Minh Hòa tổ chức ngày hội đại đoàn kết"].article.body
    assert "Ảnh minh họa" not in articles[PAGE_TITLE].article.body
    queue = queue_titles(editor)
    for title in ("Xã Minh Hòa tổ chức ngày hội đại đoàn kết", "Huyện tập huấn phòng chống cháy rừng", PAGE_TITLE):
        assert title in queue
    journal = [e for e in Users(station.store_path).journal(20) if e.action == "article.add"]
    assert {e.detail.get("file") for e in journal} == {"ngay-hoi.txt", "tap-huan.docx", "thu-hoach.html"}
    assert all(e.user == "bientap" for e in journal)
    again = upload(editor, f"{QUEUE}/tai-len", "ngay-hoi.txt", txt.encode("utf-8"), "text/plain")
    assert "đã có trong kho" in flash(editor, again)


def test_add_by_url_is_cleaned_exactly_like_a_page_source(station, server):
    editor = login(server.url, "bientap", station)
    with serve_site() as site:
        response = editor.post(f"{QUEUE}/them-url", data={"csrf": csrf_of(editor, "/"), "url": site.url(PAGE)})
        assert flash(editor, response) == f"Đã thêm tin «{PAGE_TITLE}»."
        context = replace(web_context(station, Store.open(station.store_path), DAY2)[0], is_known=lambda url: False)
        [expected] = PageSource([site.url(PAGE)], context).collect().articles     # as a page source reads it
        missing = editor.post(f"{QUEUE}/them-url", data={"csrf": csrf_of(editor, "/"), "url": site.url("/error")})
        assert flash(editor, missing) == f"Trang «{site.url('/error')}» trả lời lỗi, không lấy được tin."
        huge = editor.post(f"{QUEUE}/them-url", data={"csrf": csrf_of(editor, "/"), "url": site.url("/huge")})
        assert flash(editor, huge) == f"Trang «{site.url('/huge')}» quá lớn, không lấy."
    item = stored(station)[PAGE_TITLE]
    assert (item.article.title, item.article.body, item.article.published) == \
        (expected.title, expected.body, expected.published)
    assert item.article.location == site.url(PAGE) and "Ảnh: Minh Anh" not in item.article.body
    assert PAGE_TITLE in queue_titles(editor)
    entry = next(e for e in Users(station.store_path).journal(10) if e.action == "article.add")
    assert entry.detail["url"] == site.url(PAGE) and entry.user == "bientap"
    for bad in ("file:///etc/passwd", "javascript:alert(1)", "ftp://127.0.0.1/x"):
        refused = editor.post(f"{QUEUE}/them-url", data={"csrf": csrf_of(editor, "/"), "url": bad})
        assert "không phải địa chỉ trang web" in flash(editor, refused), bad


def test_url_to_a_host_the_station_does_not_allow_is_refused_before_any_request(tmp_path, tmp_path_factory,
                                                                                 module_server):
    config = copy_station(editing_template(tmp_path_factory), tmp_path / "station")     # no allow_hosts
    with served(module_server, create_app(config, clock=Clock())) as live, serve_site() as site:
        editor = login(live.url, "bientap", config)
        for url in (site.url(PAGE), live.url + "/dang-nhap", f"http://localhost:{live.port}/"):
            response = editor.post(f"{QUEUE}/them-url", data={"csrf": csrf_of(editor, "/"), "url": url})
            message = flash(editor, response)
            assert message.startswith(f"Không lấy tin từ «{url}»: đây là địa chỉ trong mạng nội bộ"), message
        assert site.requests == []
        english = editor.post("/ngon-ngu", data={"lang": "en", "csrf": csrf_of(editor, "/")})
        assert english.status_code == 303
        response = editor.post(f"{QUEUE}/them-url", data={"csrf": csrf_of(editor, "/"), "url": site.url(PAGE)})
        assert "an address on the internal network" in flash(editor, response)
    assert PAGE_TITLE not in stored(config)


@pytest.mark.parametrize("name", ["../../x.txt", "/etc/cron.d/x.txt", "..\\..\\x.txt", "a\x00b.txt",
                                  "C:\\Windows\\x.txt", "x" * 3000 + ".txt", "<script>alert(1)</script>.txt"])
def test_path_names_in_an_upload_choose_nothing(station, server, name):
    editor = login(server.url, "bientap", station)
    before = sorted(p for p in station.station_dir.rglob("*") if not p.name.startswith("radio-gen.sqlite"))
    text = f"Tin thử tên tệp lạ {len(name)}\n\nBà con chú ý <b>lịch</b> tiêm phòng ngày 3/12."
    response = upload(editor, f"{QUEUE}/tai-len", name, text.encode("utf-8"), "text/plain")
    message = flash(editor, response)
    assert message.startswith("Đã thêm tin"), message
    after = sorted(p for p in station.station_dir.rglob("*") if not p.name.startswith("radio-gen.sqlite"))
    assert after == before                                    # nothing written anywhere by the upload
    assert not Path("/etc/cron.d/x.txt").exists()
    entry = next(e for e in Users(station.store_path).journal(5) if e.action == "article.add")
    shown = entry.detail["file"]
    assert "/" not in shown and "\\" not in shown and "\x00" not in shown and len(shown) <= 80
    page = editor.get(QUEUE).text
    assert "<b>lịch</b>" not in page and "<script>alert(1)" not in page


def test_html_in_an_uploaded_text_is_shown_escaped(station, server):
    editor = login(server.url, "bientap", station)
    text = ('Thông báo <img src=x onerror=alert(1)>\n\n<script>alert("x")</script> Bà con chú ý lịch '
            'cắt điện ngày 28/11.').encode("utf-8")
    flash(editor, upload(editor, f"{QUEUE}/tai-len", "tb.txt", text, "text/plain"))
    article = next(s for t, s in stored(station).items() if t.startswith("Thông báo"))
    page = editor.get(f"{QUEUE}/bai/{article.id}").text
    assert "<img src=x" not in page and "<script>alert" not in page and "&lt;script&gt;" in page


def test_wrong_types_and_unreadable_files_are_refused_in_vietnamese(station, server):
    editor = login(server.url, "bientap", station)
    cases = [("bai.pdf", b"%PDF-1.4 ...", "«bai.pdf»: chỉ nhận tệp .txt, .docx, .html, .htm."),
             ("bai.exe", b"MZ\x90\x00", "«bai.exe»: chỉ nhận tệp .txt, .docx, .html, .htm."),
             ("bai.docx", b"not a zip at all", "Không đọc được «bai.docx»"),
             ("bai.txt", b"\x00\x01\x02\x03" * 100, "Không đọc được «bai.txt»"),
             ("rong.txt", b"   \n", "Không đọc được «rong.txt»")]
    for name, data, expected in cases:
        message = flash(editor, upload(editor, f"{QUEUE}/tai-len", name, data))
        assert message.startswith(expected), (name, message)
    missing = editor.post(f"{QUEUE}/tai-len", data={"csrf": csrf_of(editor, "/")},
                          files={"other": ("x.txt", b"Tin\n\nx", "text/plain")})
    assert flash(editor, missing) == "Chưa chọn tệp nào."


def test_oversize_upload_is_refused_from_its_declared_length(station, server):
    editor = login(server.url, "bientap", station)
    big = "Tin rất dài\n\n".encode("utf-8") + b"a" * 3_000_000
    response = upload(editor, f"{QUEUE}/tai-len", "dai.txt", big, "text/plain")
    assert response.status_code == 413 and "Tệp quá lớn" in response.text
    assert "Tin rất dài" not in stored(station)


def test_oversize_chunked_upload_is_cut_while_it_streams(station, server):
    """No Content-Length: the server stops reading once the count passes the limit and answers 413."""
    editor = login(server.url, "bientap", station)
    token, cookie = csrf_of(editor, "/"), "; ".join(f"{k}={v}" for k, v in editor.cookies.items())
    boundary = "----radiogen"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"dai.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\nTin rất dài\n\n").encode("utf-8")
    total, sent, answer = 200 * 1024 * 1024, 0, b""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall((f"POST {QUEUE}/tai-len HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n"
                      f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n").encode("ascii"))
        chunk = b"a" * (256 * 1024)
        sock.sendall(f"{len(head):x}\r\n".encode() + head + b"\r\n")
        sock.settimeout(0.01)
        try:
            while sent < total:
                sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                sent += len(chunk)
                try:
                    answer += sock.recv(65536)
                except TimeoutError:
                    continue
                if answer:
                    break
        except (BrokenPipeError, ConnectionResetError):
            pass
        sock.settimeout(10)
        deadline = time.monotonic() + 10
        while b"\r\n\r\n" not in answer and time.monotonic() < deadline:
            try:
                more = sock.recv(65536)
            except (TimeoutError, ConnectionResetError):
                break
            if not more:
                break
            answer += more
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 40 * 1024 * 1024, sent         # refused long before the 200 MB were sent
    assert "Tin rất dài" not in stored(station)


# -- clips ------------------------------------------------------------------------------------
def integrated_lufs(path: Path) -> float:
    """ffmpeg's own EBU R128 meter (an independent check of the build's)."""
    err = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-i", str(path), "-af", "ebur128",
                          "-f", "null",
                          "-"], capture_output=True, text=True, check=True).stderr
    return float(re.findall(r"I:\s+(-?[\d.]+) LUFS", err)[-1])


@pytest.mark.parametrize("suffix", [".mp3", ".wav", ".ogg", ".flac"])
def test_clip_upload_of_each_type_is_leveled_and_stored_atomically(station, server, tmp_path_factory, suffix):
    editor = login(server.url, "bientap", station)
    page = editor.get("/nhac-hieu").text
    assert "Đang dùng nhạc mặc định của radio-gen" in page
    assert "dài từ 0,3 đến 20 giây" in page and '<span class="seconds">0,7</span>' in page   # the stinger's
    builtin = editor.get("/nhac-hieu/stinger/nghe")
    assert builtin.status_code == 200 and builtin.content[:4] == b"RIFF"
    clips = station.clips_dir
    clips.mkdir(exist_ok=True)
    (clips / "stinger.mp3").write_bytes(session_tone(tmp_path_factory, "old.mp3", 1.0, 300).read_bytes())  # the old one
    quiet = session_tone(tmp_path_factory, f"moi{suffix}", 1.5, 660, volume=0.1)     # quiet: it must be raised
    data = quiet.read_bytes()
    message = flash(editor, upload(editor, "/nhac-hieu/stinger/tai-len", f"nhac-chuyen{suffix}", data))
    assert message.startswith("Đã lưu nhạc chuyển tin: 1,5 giây"), message
    stored_clip = clips / "stinger.flac"
    assert [p.name for p in clips.iterdir() if p.is_file()] == ["stinger.flac"]      # no temporary file left
    assert [p.name[-4:] for p in (clips / "da-thay").iterdir()] == [".mp3"]           # the old one kept aside
    found = probe(stored_clip)
    assert abs(float(found["format"]["duration"]) - 1.5) < 0.1
    stream = found["streams"][0]
    assert stream["codec_name"] == "flac" and stream["sample_rate"] == "24000" and stream["channels"] == 1
    assert abs(integrated_lufs(stored_clip) - station.audio.target_lufs) < 1.0       # leveled like the build
    assert integrated_lufs(quiet) < station.audio.target_lufs - 5
    page = editor.get("/nhac-hieu").text
    assert "stinger.flac" in page and 'src="/nhac-hieu/stinger/nghe"' in page
    assert re.search(r'<span class="seconds">1,[45]</span>', page), "its length, as Vietnamese writes it"
    served = editor.get("/nhac-hieu/stinger/nghe")
    assert served.status_code == 200 and served.content == stored_clip.read_bytes()
    entry = next(e for e in Users(station.store_path).journal(5) if e.action == "clip.upload")
    assert entry.user == "bientap" and entry.detail["clip"] == "stinger"
    assert entry.detail["file"] == f"nhac-chuyen{suffix}"


def test_fake_silent_too_long_and_too_short_clips_are_refused(station, server, tmp_path, tmp_path_factory):
    editor = login(server.url, "bientap", station)
    cases = [
        ("gia.mp3", b"Day khong phai am thanh, chi la van ban doi ten.\n" * 200,
         "«gia.mp3» không phải tệp âm thanh (không tìm thấy luồng âm thanh)."),
        ("im-lang.wav", session_tone(tmp_path_factory, "im.wav", 3.0, volume=0).read_bytes(),
         "«im-lang.wav» không có tiếng (im lặng)."),
        ("dai.wav", session_tone(tmp_path_factory, "dai.wav", 25.0).read_bytes(),
         "«dai.wav» dài 25 giây, quá dài (tối đa 20 giây)."),
        ("ngan.ogg", session_tone(tmp_path_factory, "ngan.ogg", 0.1).read_bytes(),
         "«ngan.ogg» dài 0,1 giây, quá ngắn (ít nhất 0,3 giây)."),
        ("nhac.m4a", b"\x00\x00\x00\x20ftypM4A ", "«nhac.m4a»: chỉ nhận tệp âm thanh .mp3, .wav, .ogg, .flac."),
        ("../../../nhac.txt", b"abc", "«nhac.txt»: chỉ nhận tệp âm thanh .mp3, .wav, .ogg, .flac."),
    ]
    for name, data, expected in cases:
        assert flash(editor, upload(editor, "/nhac-hieu/stinger/tai-len", name, data)) == expected, name
    # An hour at 8 kbit/s is a small file: refused from ffprobe's length, before anything is decoded.
    # Its 50,000 frames are 100 encoded ones over and over (encoding a whole hour cost 3 s of CPU).
    part = tmp_path / "7-giay.mp3"
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    "sine=frequency=300:duration=7.2:sample_rate=8000", "-b:a", "8k", "-write_xing", "0",
                    "-id3v2_version", "0", str(part)], check=True)
    frames = part.read_bytes()
    assert len(frames) % 72 == 0                     # whole frames: 576 samples at 8 kHz, 8 kbit/s, 72 bytes
    hour = (frames * (3_600_000 // len(frames) + 1))[:3_600_000]
    assert len(hour) < 4_000_000
    message = flash(editor, upload(editor, "/nhac-hieu/stinger/tai-len", "mot-gio.mp3", hour))
    assert re.fullmatch(r"«mot-gio\.mp3» dài 3600(,\d)? giây, quá dài \(tối đa 20 giây\)\.", message), message
    assert not station.clips_dir.exists() or not any(station.clips_dir.iterdir())
    assert editor.post("/nhac-hieu/khong-co/tai-len", data={"csrf": csrf_of(editor, "/")},
                       files={"file": ("a.mp3", b"x")}).status_code == 404
    too_big = upload(editor, "/nhac-hieu/nhac-hieu/tai-len", "to.wav", b"\x00" * (41 * 1024 * 1024))
    assert too_big.status_code == 413
    assert not any(e.action == "clip.upload" for e in Users(station.store_path).journal(20))


def test_the_clips_page_and_uploads_need_a_login(station, server, tmp_path_factory):
    data = session_tone(tmp_path_factory, "a.mp3", 1.0).read_bytes()
    with httpx.Client(base_url=server.url, timeout=30, verify=fast_web.TLS) as anonymous:
        assert anonymous.get("/nhac-hieu", headers={"accept": "text/html"}).status_code == 303
        assert anonymous.get("/nhac-hieu/stinger/nghe").status_code == 401
        assert anonymous.post("/nhac-hieu/stinger/tai-len", files={"file": ("a.mp3", data)}).status_code == 401
        assert anonymous.post(f"{QUEUE}/tai-len", files={"file": ("a.txt", b"Tin\n\nx")}).status_code == 401
    editor = login(server.url, "bientap", station)
    no_token = editor.post("/nhac-hieu/stinger/tai-len", files={"file": ("a.mp3", data)})
    assert no_token.status_code == 403 and not (station.clips_dir / "stinger.flac").exists()


def test_article_page_shows_the_edit_time_in_station_time_and_errors_in_the_page_language(station, server):
    """Stored as UTC ISO, shown as dd/mm/yyyy hh:mm in Asia/Ho_Chi_Minh; a library error in Vietnamese, or English."""
    article = next(s for t, s in stored(station).items() if t == "Xã hỗ trợ hộ nghèo")
    editor = login(server.url, "bientap", station)
    saved = editor.post(f"{QUEUE}/bai/{article.id}/sua", data={"csrf": csrf_of(editor, "/"), "version": "0",
                                                                "title": article.article.title, "body": "Bản mới."})
    assert saved.status_code == 303
    with Store.open(station.store_path) as store:
        _version, _who, when = store.edit_info(article.id)
    assert when.endswith("+00:00")
    page = editor.get(f"{QUEUE}/bai/{article.id}").text
    shown = re.search(r'<span id="edited-at">([^<]+)</span>', page).group(1)
    assert shown == "26/11/2026 05:00" and "+00:00" not in page           # TEST_NOW is 05:00 in Hanoi
    empty = editor.post(f"{QUEUE}/bai/{article.id}/sua", data={"csrf": csrf_of(editor, "/"), "version": "1",
                                                                "title": "", "body": ""})
    assert flash(editor, empty) == "Tin bài cần có tiêu đề và nội dung."
    editor.post("/ngon-ngu", data={"lang": "en", "csrf": csrf_of(editor, "/")})
    empty = editor.post(f"{QUEUE}/bai/{article.id}/sua", data={"csrf": csrf_of(editor, "/"), "version": "1",
                                                                "title": "", "body": ""})
    assert flash(editor, empty) == "An article needs a title and some text."


@pytest.mark.parametrize("name", ["../../../../tmp/nhac.wav", "/etc/nhac.wav", "..\\..\\nhac.wav", "nh\x00ac.wav",
                                  "n" * 4000 + ".wav"])
def test_a_clip_with_a_path_name_is_stored_only_as_the_station_clip(station, server, tmp_path_factory, name):
    editor = login(server.url, "bientap", station)
    data = session_tone(tmp_path_factory, "t.wav", 3.0, 500).read_bytes()
    outside = sorted(p for p in station.station_dir.parent.rglob("*") if station.clips_dir not in p.parents)
    message = flash(editor, upload(editor, "/nhac-hieu/nhac-hieu/tai-len", name, data))
    assert message.startswith("Đã lưu nhạc hiệu: 3 giây"), message
    assert [p.name for p in station.clips_dir.iterdir()] == ["nhac-hieu.flac"]
    after = sorted(p for p in station.station_dir.parent.rglob("*") if station.clips_dir not in p.parents)
    assert [p for p in after if p not in outside and p != station.clips_dir and "sqlite" not in p.name] == []
    assert not Path("/tmp/nhac.wav").exists() and not Path("/etc/nhac.wav").exists()


def test_every_left_out_reason_and_error_code_has_a_message_in_both_languages():
    """Codes raised by the library (not only the ones a test happens to provoke) are in the catalogue."""
    import ast

    from radio_gen.intake.selection import REASONS
    from radio_gen.web.i18n import CATALOGUE

    root = Path(__file__).resolve().parent.parent / "src" / "radio_gen"
    codes = set()
    for module in ("editing.py", "clip_upload.py", "web/editing.py"):
        for node in ast.walk(ast.parse((root / module).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                    "EditError", "ClipError") and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant):
                codes.add(node.args[1].value)
    kinds = {"scheme", "refused", "status", "too_large", "unreachable", "failed"}    # FetchError.kind
    assert {"edit.empty", "add.type", "clip.silent", "move.pinned"} <= codes
    for language in ("vi", "en"):
        messages = CATALOGUE[language]
        assert {f"err.{c}" for c in codes} <= set(messages), language
        assert {f"err.url.{k}" for k in kinds} <= set(messages), language
        assert {f"left_{r}" for r in REASONS} <= set(messages), language


def test_clip_messages_name_the_clip_and_write_numbers_as_the_language_does():
    from radio_gen.clip_upload import KINDS
    from radio_gen.web.i18n import translator

    vi, en = translator("vi"), translator("en")
    assert [vi(f"clip_{kind.replace('-', '_')}_saved", seconds=4.23).split(":")[0] for kind in KINDS] == \
        ["Đã lưu nhạc hiệu", "Đã lưu nhạc chuyển tin"]
    assert vi("clip_stinger_saved", seconds=4.23).startswith("Đã lưu nhạc chuyển tin: 4,2 giây")
    assert en("clip_stinger_saved", seconds=4.23).startswith("Saved the stinger: 4.2 s")
    assert vi("err.clip.too_short", name="a.wav", seconds=0.14, limit=0.3) == \
        "«a.wav» dài 0,1 giây, quá ngắn (ít nhất 0,3 giây)."
    assert vi("err.clip.too_long", name="b.wav", seconds=180.0, limit=20.0) == \
        "«b.wav» dài 180 giây, quá dài (tối đa 20 giây)."
