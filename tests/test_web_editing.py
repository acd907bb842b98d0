"""Editing in the newsroom over real HTTP: the queue, an article's spoken form, edits, drops, moves, the lexicon."""

from __future__ import annotations

import datetime as dt
import html
import re

import httpx
import pytest
from helpers import fast_web
from helpers.fast_web import copy_station, editing_template, login
from helpers.web_support import DAY2, csrf_of

from radio_gen.build import BuildRequest, prepare
from radio_gen.intake.store import Store
from radio_gen.users import Users
from radio_gen.web import ROUTES
from radio_gen.web.auth import LOGIN

QUEUE = f"/tin-bai/{DAY2}/sang"
EDITING_PREFIXES = ("/tin-bai", "/phat-am")
SAMPLE = {"date": DAY2.isoformat(), "program": "sang", "article": "0123abcd", "number": "0"}

server, module_server = fast_web.server, fast_web.module_server     # fixtures: one uvicorn a module


@pytest.fixture
def station(tmp_path, tmp_path_factory):
    return copy_station(editing_template(tmp_path_factory), tmp_path / "station")


def _ids(station) -> dict[str, str]:
    """Title -> id of the articles in the store."""
    with Store.open(station.store_path) as store:
        return {s.article.title: s.id for s in store.articles()}


def _journal(station) -> list[tuple[str, str]]:
    return [(e.user, e.action) for e in Users(station.store_path).journal(50)]


def _post(client: httpx.Client, path: str, **data: str) -> httpx.Response:
    return client.post(path, data={"csrf": csrf_of(client, "/"), **data})


def test_editing_routes_need_login_and_their_posts_an_editor_and_csrf(station, server):
    editing = [r for r in ROUTES if r[0].startswith(EDITING_PREFIXES)]
    assert len(editing) == 16
    editor = login(server.url, "bientap", station)
    with httpx.Client(base_url=server.url, timeout=30, verify=fast_web.TLS) as anonymous:
        for path, _endpoint, methods, need in editing:
            url = path.format(**SAMPLE)
            method = methods[0]
            assert need == ("editor" if method == "POST" else LOGIN), path
            response = anonymous.request(method, url, headers={"accept": "text/html"})
            assert response.status_code in (401, 303), (url, response.status_code)
            if method == "POST":                                   # logged in, but no CSRF token
                assert editor.post(url, data={"title": "x", "body": "y"}).status_code == 403, url
                assert editor.post(url, data={"csrf": "wrong"}).status_code == 403, url
    assert editor.get(f"/tin-bai/{DAY2}/khong-co").status_code == 404
    assert editor.get(f"{QUEUE}/bai/0123abcd").status_code == 404
    assert editor.get(f"{QUEUE}/bai/..%2F..%2Fetc").status_code == 404


def test_queue_in_order_with_budget_and_drop_moves_it_to_left_out(station, server):
    ids = _ids(station)
    approver = login(server.url, "duyet", station)
    page = approver.get(QUEUE).text
    queue = page.split('id="queue"')[1].split("</ol>")[0]
    assert "Huyện ra quân làm thủy lợi" in queue and "Xã hỗ trợ hộ nghèo" in queue
    assert re.search(r"Thời gian đọc ước tính: \d+:\d\d / 10:00", page) or "/ 20:00" in page
    dropped = ids["Xã hỗ trợ hộ nghèo"]
    assert _post(approver, f"{QUEUE}/bai/{dropped}/bo", on="1").status_code == 303
    page = approver.get(QUEUE).text
    queue, rest = page.split('id="queue"')[1].split("</ol>", 1)
    assert "Xã hỗ trợ hộ nghèo" not in queue
    assert "Xã hỗ trợ hộ nghèo" in rest.split('id="left-out"')[1] and "biên tập viên đã bỏ" in rest
    assert "Đã bỏ tin khỏi các chương trình sắp tới." in page
    assert ("duyet", "article.dropped") in _journal(station)
    # Brought back, it reads again.
    assert _post(approver, f"{QUEUE}/bai/{dropped}/bo", on="0").status_code == 303
    assert "Xã hỗ trợ hộ nghèo" in approver.get(QUEUE).text.split('id="queue"')[1].split("</ol>")[0]


def test_edit_keeps_the_original_airs_the_edit_and_shows_diff_and_spoken_form(station, server):
    article = _ids(station)["Huyện ra quân làm thủy lợi"]
    editor = login(server.url, "bientap", station)
    page = editor.get(f"{QUEUE}/bai/{article}").text
    assert "<del>UBND</del> → <ins>ủy ban nhân dân</ins>" in page
    assert "<del>12,5</del> → <ins>mười hai phẩy năm</ins>" in page and "<del>km</del> → <ins>ki lô mét</ins>" in page
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    body = ("Sáng 24/4, UBND huyện Thử Nghiệm ra quân nạo vét 15 km kênh mương.\n\n"
            "Các xã huy động hơn 1.200 người tham gia.")
    response = _post(editor, f"{QUEUE}/bai/{article}/sua", version=version, title="Huyện ra quân làm thủy lợi",
                     body=body)
    assert response.status_code == 303 and response.headers["location"].endswith(article)
    page = editor.get(f"{QUEUE}/bai/{article}").text
    assert "Đã lưu" in page and 'name="version" value="1"' in page
    diff = page.split('id="diff"')[1].split("</pre>")[0]
    assert "12,5 km" in diff and "15 km" in diff
    assert "<del>15</del> → <ins>mười lăm</ins>" in page
    with Store.open(station.store_path) as store:
        assert "12,5 km" in store.source_text(article)[1]             # the source's text is kept
    prepared = prepare(station, BuildRequest(program_id="sang", date=DAY2))
    said = " ".join(s.spoken for s in prepared.script.speech() if s.spoken)
    assert "mười lăm ki lô mét" in said and "mười hai phẩy năm" not in said
    audio = editor.get(f"{QUEUE}/bai/{article}/doan/1")
    assert audio.status_code == 200 and audio.content[:4] == b"RIFF" and len(audio.content) > 10_000
    assert editor.get(f"{QUEUE}/bai/{article}/doan/9").status_code == 404
    entries = Users(station.store_path).journal(10)
    edit = next(e for e in entries if e.action == "article.edit")
    assert edit.user == "bientap" and any("15 km" in line for line in edit.detail["diff"])


def test_second_editor_saving_an_older_version_is_refused(station, server):
    article = _ids(station)["Xã hỗ trợ hộ nghèo"]
    first, second = login(server.url, "bientap", station), login(server.url, "quantri", station)
    for client in (first, second):
        assert 'name="version" value="0"' in client.get(f"{QUEUE}/bai/{article}").text
    ok = _post(first, f"{QUEUE}/bai/{article}/sua", version="0", title="Xã hỗ trợ hộ nghèo",
               body="Bản của người thứ nhất.")
    assert ok.status_code == 303
    late = _post(second, f"{QUEUE}/bai/{article}/sua", version="0", title="Xã hỗ trợ hộ nghèo",
                 body="Bản của người thứ hai.")
    assert late.status_code == 303
    page = second.get(late.headers["location"]).text
    assert "người khác đã sửa tin này" in page and "Bản đang lưu là phiên bản 1, do bientap sửa lúc 26/11/2026" in page
    with Store.open(station.store_path) as store:
        stored = next(s for s in store.articles() if s.id == article)
    assert stored.article.body == "Bản của người thứ nhất." and stored.version == 1


def test_added_article_with_html_is_shown_escaped(station, server):
    editor = login(server.url, "bientap", station)
    hostile = '<script>alert("x")</script> Bà con <b>chú ý</b> lịch tiêm phòng ngày 3/12.'
    response = _post(editor, f"{QUEUE}/them", title="Thông báo <img src=x onerror=alert(1)>", body=hostile)
    assert response.status_code == 303
    page = editor.get(QUEUE).text
    assert "Đã thêm tin." in page and "&lt;img src=x onerror=alert(1)&gt;" in page and "<img src=x" not in page
    article = next(i for t, i in _ids(station).items() if t.startswith("Thông báo"))
    page = editor.get(f"{QUEUE}/bai/{article}").text
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert ("bientap", "article.add") in _journal(station)
    empty = _post(editor, f"{QUEUE}/them", title="", body="")
    assert "Tin bài cần có tiêu đề và nội dung." in editor.get(empty.headers["location"]).text


def test_move_and_pin_change_the_order(station, server):
    ids = _ids(station)
    editor = login(server.url, "bientap", station)

    def order() -> list[str]:
        queue = editor.get(QUEUE).text.split('id="queue"')[1].split("</ol>")[0]
        return re.findall(r'<li data-id="([0-9a-f]+)"', queue)

    start = order()
    assert set(start) == set(ids.values())
    _post(editor, f"{QUEUE}/bai/{start[1]}/len")
    assert order() == [start[1], start[0]]
    _post(editor, f"{QUEUE}/bai/{start[1]}/xuong")
    assert order() == start
    first = _post(editor, f"{QUEUE}/bai/{start[0]}/len")
    assert "đã ở đầu danh sách" in editor.get(first.headers["location"]).text
    _post(editor, f"{QUEUE}/bai/{start[1]}/ghim", on="1")
    assert order() == [start[1], start[0]]
    refused = _post(editor, f"{QUEUE}/bai/{start[0]}/len")
    assert "Tin được ghim luôn đọc trước" in html.unescape(editor.get(refused.headers["location"]).text)
    actions = _journal(station)
    assert ("bientap", "article.move") in actions and ("bientap", "article.pinned") in actions


def test_repeat_lets_a_broadcast_article_back_into_a_later_program(station, server):
    """Broadcast on DAY2, an article is left out of the next day's queue until an editor lets it repeat."""
    ids = _ids(station)
    article = ids["Xã hỗ trợ hộ nghèo"]
    with Store.open(station.store_path) as store:
        store.record_broadcast("sang", DAY2, list(ids.values()))
    later = f"/tin-bai/{DAY2 + dt.timedelta(days=1)}/sang"
    editor = login(server.url, "bientap", station)
    page = editor.get(later).text
    assert "đã phát (sang, 26/11/2026)" in page
    assert _post(editor, f"{later}/bai/{article}/lap-lai", on="1").status_code == 303
    page = editor.get(later).text
    assert "Xã hỗ trợ hộ nghèo" in page.split('id="queue"')[1].split("</ol>")[0]
    assert ("bientap", "article.repeat") in _journal(station)


def test_lexicon_page_add_edit_delete_try_and_listen(station, server):
    lexicon = station.station_dir / "lexicon.txt"
    editor = login(server.url, "bientap", station)
    page = editor.get("/phat-am").text
    assert "Nghèn" in page and "lexicon.txt" in page
    response = _post(editor, "/phat-am/luu", key="HTX", reading="hợp tác xã nông nghiệp")
    page = editor.get(response.headers["location"]).text
    assert "thay cách đọc mặc định" in page and "hợp tác xã nông nghiệp" in page
    assert lexicon.read_text(encoding="utf-8") == "# từ điển của đài\nNghèn = nghèn\nHTX = hợp tác xã nông nghiệp\n"
    page = editor.get("/phat-am", params={"thu": "HTX Minh Hòa họp ngày 3/12."}).text
    said = page.split('id="said"')[1].split("</p>")[0]
    assert "<del>HTX</del> → <ins>Hợp tác xã nông nghiệp</ins>" in said and "tháng mười hai" in said
    audio = editor.get("/phat-am/nghe", params={"thu": "HTX Minh Hòa"})
    assert audio.status_code == 200 and audio.content[:4] == b"RIFF"
    # Renamed and re-read in place: one line, same place in the file.
    _post(editor, "/phat-am/luu", key="HTXNN", reading="hợp tác xã nông nghiệp", replaces="HTX")
    assert lexicon.read_text(encoding="utf-8").splitlines()[1:] == ["Nghèn = nghèn", "HTXNN = hợp tác xã nông nghiệp"]
    bad = _post(editor, "/phat-am/luu", key="= x", reading="")
    assert "Không lưu được cách đọc" in html.unescape(editor.get(bad.headers["location"]).text)
    assert "HTXNN = hợp tác xã nông nghiệp" in lexicon.read_text(encoding="utf-8")
    hostile = _post(editor, "/phat-am/luu", key="ABC", reading="a\nXYZ = injected")
    assert hostile.status_code == 303 and "XYZ" not in lexicon.read_text(encoding="utf-8")
    assert _post(editor, "/phat-am/xoa", key="HTXNN").status_code == 303
    assert "HTXNN" not in lexicon.read_text(encoding="utf-8")
    assert "HTXNN" not in editor.get("/phat-am", params={"q": "HTX"}).text
    assert [a for u, a in _journal(station) if a.startswith("lexicon.")][:2] == ["lexicon.delete", "lexicon.save"]
    assert not list(station.station_dir.glob(".lexicon.txt.*"))            # no temporary files left
