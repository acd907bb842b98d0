"""The newsroom over real HTTP: every route's access rule, sessions, CSRF, roles, rate limit, paths, language."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import httpx
import pytest
from helpers import fast_web
from helpers.fast_web import copy_station, login, served, users_template
from helpers.web_support import DAY2, MORNING, PASSWORD, Clock, csrf_of, shared_template, station_copy
from helpers.web_support import login as real_login

from radio_gen.approval import content_hash
from radio_gen.web import ROUTES, create_app
from radio_gen.web.auth import PUBLIC, LoginLimiter
from radio_gen.web.i18n import CATALOGUE

TEMPLATES = Path(__file__).resolve().parent.parent / "src" / "radio_gen" / "web" / "templates"
SAMPLE_PARAMS = {"date": DAY2.isoformat(), "program": "sang", "kind": "mp3", "segment": "2", "number": "0",
                 "article": "0123abcd", "name": "sang.mp3"}
server, module_server = fast_web.server, fast_web.module_server     # fixtures: one uvicorn a module


@pytest.fixture
def station(tmp_path, tmp_path_factory):
    return copy_station(users_template(tmp_path_factory), tmp_path / "station")


def _routes(app):
    for route in app.routes:
        if hasattr(route, "endpoint") and hasattr(route, "methods"):
            yield route


def test_every_route_is_declared_and_refused_without_a_session(station, server):
    """Each route of the router, filled with real values, answers 401 or a redirect to the login page."""
    app = create_app(station, clock=Clock())
    routes = list(_routes(app))
    assert len(routes) == len(ROUTES)
    checked = 0
    with httpx.Client(base_url=server.url, timeout=30, verify=fast_web.TLS) as anonymous:
        for route in routes:
            need = route.endpoint.need
            path = route.path.format(**{k: SAMPLE_PARAMS[k] for k in route.param_convertors})
            for method in sorted(route.methods - {"HEAD"}):
                response = anonymous.request(method, path, headers={"accept": "text/html"})
                if need == PUBLIC:
                    assert response.status_code in (200, 403), (method, path)   # POST /dang-nhap: CSRF
                    continue
                assert response.status_code in (401, 303), (method, path, response.status_code)
                if response.status_code == 303:
                    assert response.headers["location"].startswith("/dang-nhap"), path
                checked += 1
        assert anonymous.get("/static/app.js").status_code == 200          # the only public mount
    assert checked == len([r for r in ROUTES if r[3] != PUBLIC])


def test_delivery_is_public_only_when_configured(tmp_path, tmp_path_factory, module_server):
    template = shared_template(tmp_path_factory)
    for public, expected in (("false", 401), ("true", 200)):
        config = station_copy(template, tmp_path / public, approval="required = false",
                              web=f"public_delivery = {public}")
        (config.output.dir / "latest").mkdir(exist_ok=True)
        (config.output.dir / "latest" / "sang.mp3").write_bytes(
            (config.output.dir / DAY2.isoformat() / "sang.mp3").read_bytes())
        with served(module_server, create_app(config, clock=Clock())) as live, \
                httpx.Client(base_url=live.url, verify=fast_web.TLS) as client:
            for path in ("/phat/sang.mp3", "/phat/sang.m3u", "/phat/sang.rss"):
                assert client.get(path).status_code == expected, (public, path)
            assert client.get("/", headers={"accept": "text/html"}).status_code == 303


def test_session_cookie_is_signed_httponly_samesite_with_expiry(station, server):
    client = httpx.Client(base_url=server.url, verify=fast_web.TLS)
    token = csrf_of(client)
    response = client.post("/dang-nhap", data={"user": "duyet", "password": PASSWORD, "csrf": token})
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "max-age=43200" in cookie
    assert client.get("/").status_code == 200
    value = client.cookies["radio_gen_session"]
    forged = httpx.Client(base_url=server.url, cookies={"radio_gen_session": value[:-4] + "AAAA"}, verify=fast_web.TLS)
    assert forged.get("/").status_code == 401


def test_state_changing_requests_need_the_csrf_token(station, server):
    client = login(server.url, "duyet", station)
    latest = station.output.dir / "latest" / "sang.mp3"
    page = client.get(f"/chuong-trinh/{DAY2}/sang").text
    digest = re.search(r'name="hash" value="([0-9a-f]{64})"', page).group(1)
    url = f"/chuong-trinh/{DAY2}/sang/duyet"
    assert client.post(url, data={"hash": digest}).status_code == 403
    assert client.post(url, data={"hash": digest, "csrf": "wrong"}).status_code == 403
    assert client.post(url, data={"hash": digest}, headers={"x-csrf-token": "wrong"}).status_code == 403
    assert not latest.exists()
    assert client.post("/dang-xuat").status_code == 403                  # even logging out
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    assert client.post(url, data={"hash": digest, "csrf": token}).status_code == 303
    assert content_hash(latest) == digest


def test_roles_editor_cannot_approve_or_hold(station, server):
    editor = login(server.url, "bientap", station)
    page = editor.get(f"/chuong-trinh/{DAY2}/sang").text
    assert 'id="approve"' not in page and 'id="rebuild"' in page
    token = csrf_of(editor, "/")
    for action in ("duyet", "giu"):
        response = editor.post(f"/chuong-trinh/{DAY2}/sang/{action}", data={"csrf": token})
        assert response.status_code == 403
        assert "Bạn không có quyền" in response.text
    assert not (station.output.dir / "latest" / "sang.mp3").exists()
    admin = login(server.url, "quantri", station)
    assert 'id="approve"' in admin.get(f"/chuong-trinh/{DAY2}/sang").text


def test_editor_rebuild_is_recorded_with_its_user(station, module_server):
    from radio_gen.history import History
    from radio_gen.users import Users

    app = create_app(station, clock=Clock())
    with served(module_server, app) as live:
        editor = real_login(live.url, "bientap")                  # a real login, journaled
        response = editor.post(f"/chuong-trinh/{DAY2}/sang/dung-lai", data={"csrf": csrf_of(editor, "/")})
        assert response.status_code == 303
        for thread in app.state.newsroom.builds:
            thread.join(timeout=120)
    runs = History(station.store_path).last_runs("sang", 5)
    assert runs and runs[0].outcome == "ok" and runs[0].trigger == "run-now"
    actions = [(e.user, e.action) for e in Users(station.store_path).journal(20)]
    assert ("bientap", "rebuild") in actions and ("bientap", "login") in actions


def test_sixth_wrong_password_in_a_minute_is_refused(station, server):
    client = httpx.Client(base_url=server.url, verify=fast_web.TLS)
    token = csrf_of(client)
    for _ in range(5):
        response = client.post("/dang-nhap", data={"user": "duyet", "password": "sai-mat-khau", "csrf": token})
        assert response.status_code == 401
    response = client.post("/dang-nhap", data={"user": "duyet", "password": PASSWORD, "csrf": token})
    assert response.status_code == 429 and "Quá nhiều lần" in response.text
    # The address is limited too: another user from the same address waits as well.
    response = client.post("/dang-nhap", data={"user": "bientap", "password": PASSWORD, "csrf": token})
    assert response.status_code == 429


def test_login_limiter_per_user_and_address_forgets_after_a_minute():
    now = [1000.0]
    limiter = LoginLimiter(clock=lambda: now[0])
    for i in range(5):
        assert not limiter.blocked("lan", f"10.0.0.{i}")
        limiter.failed("lan", f"10.0.0.{i}")
    assert limiter.blocked("lan", "10.0.0.99")          # the user, from any address
    assert not limiter.blocked("hoa", "10.0.0.99")
    for i in range(5):
        limiter.failed(f"u{i}", "10.0.0.7")
    assert limiter.blocked("hoa", "10.0.0.7")           # the address, whichever user
    now[0] += 60.5
    assert not limiter.blocked("lan", "10.0.0.99") and not limiter.blocked("hoa", "10.0.0.7")


HOSTILE = [
    "/chuong-trinh/../../../etc/passwd/tai/mp3",
    "/chuong-trinh/2026-11-26/..%2F..%2F..%2Fetc%2Fpasswd/tai/txt",
    "/chuong-trinh/%2Fetc%2Fpasswd/sang/tai/json",
    "/chuong-trinh/2026-11-26/sang/tai/..%2F..%2Fstation.toml",
    "/chuong-trinh/2026-11-26/sang/tai/%2Fetc%2Fpasswd",
    "/chuong-trinh/2026-11-26/sang/cau/..%2F..%2F/0",
    "/phat/..%2F..%2Fstation.toml",
    "/phat/%2Fetc%2Fpasswd",
    "/phat//etc/passwd",
    "/phat/sang/..%2F..%2Fradio-gen.sqlite.mp3",
    "/phat/sang/%2E%2E%2F2026-11-26.mp3",
    "/static/..%2F..%2Fapp.py",
    "/static/%2Fetc%2Fpasswd",
]


@pytest.mark.parametrize("path", HOSTILE)
def test_hostile_paths_are_refused(station, server, path):
    client = login(server.url, "quantri", station)
    response = client.get(path)
    assert response.status_code in (400, 404), (path, response.status_code)
    assert b"root:" not in response.content and b"[station]" not in response.content


def test_symlinks_out_of_the_output_folder_are_refused(station, server, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("bí mật", encoding="utf-8")
    folder = station.output.dir / DAY2.isoformat()
    (folder / "sang.txt").unlink()
    os.symlink(outside, folder / "sang.txt")
    (station.output.dir / "latest").mkdir(exist_ok=True)
    os.symlink(outside, station.output.dir / "latest" / "sang.mp3")
    client = login(server.url, "quantri", station)
    assert client.get(f"/chuong-trinh/{DAY2}/sang/tai/txt").status_code == 404
    assert client.get("/phat/sang.mp3").status_code == 404
    assert client.get(f"/chuong-trinh/{DAY2}/sang/tai/json").status_code == 200   # a real file still is served


def test_removed_user_loses_the_session(station, server):
    from radio_gen.users import Users

    client = login(server.url, "bientap", station)
    assert client.get("/").status_code == 200
    Users(station.store_path).remove("bientap", by="test")
    assert client.get("/").status_code == 401


def test_pages_in_vietnamese_and_english(station, server):
    client = login(server.url, "duyet", station)
    page = client.get("/").text
    for words in ("Hôm nay", "Thứ Năm, 26/11/2026", "Chờ duyệt", "Bộ lập lịch", "Phát lúc", "Ngày mai"):
        assert words in page, words
    program = client.get(f"/chuong-trinh/{DAY2}/sang").text
    for words in ("Kịch bản", "Người đọc", "Duyệt phát", "Giữ lại", "Dựng lại", "Tải về"):
        assert words in program, words
    assert client.post("/ngon-ngu", data={"lang": "en", "csrf": csrf_of(client, "/")}).status_code == 303
    page = client.get("/").text
    assert "Awaiting approval" in page and "Thursday, 26/11/2026" in page and "Chờ duyệt" not in page


def test_every_message_of_the_templates_is_in_both_languages():
    assert set(CATALOGUE["vi"]) == set(CATALOGUE["en"])
    used = set()
    for template in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"""\bt\(\s*["']([\w.-]+)["']""", template.read_text(encoding="utf-8")))
    from radio_gen.approval import APPROVED, DEADLINE_KEPT, DEADLINE_PUBLISHED, HELD
    from radio_gen.newsroom_settings import POLICIES
    from radio_gen.history import ABANDONED, FAILED, MISSED, OK, RUNNING
    from radio_gen.newsroom import STATES
    from radio_gen import template_versions
    from radio_gen.users import ROLES
    from radio_gen.web import history as web_history

    families = {"state.": STATES, "decision.": (APPROVED, HELD, DEADLINE_PUBLISHED, DEADLINE_KEPT),
                "policy.": POLICIES, "role.": ROLES, "outcome.": (OK, FAILED, RUNNING, ABANDONED, MISSED),
                "scheduler.": ("running", "stopped", "unknown"), "segment.": ("speech", "clip", "pause"),
                "alert.": ("scheduler_down", "build_failed", "approve_soon", "sources_failed",
                           DEADLINE_PUBLISHED, DEADLINE_KEPT),
                "action.": template_versions.ACTIONS, "kind.": tuple(web_history.KINDS)}
    prefixes = {key for key in used if key.endswith(".")}
    assert prefixes == set(families)
    used = (used - prefixes) | {prefix + value for prefix, values in families.items() for value in values}
    assert used <= set(CATALOGUE["vi"]), used - set(CATALOGUE["vi"])


def test_dashboard_states_and_alerts(station, tmp_path, module_server):
    """Waiting, awaiting approval, on the loudspeakers after approval, failed with its error, no news."""
    from radio_gen.approval import approve
    from radio_gen.build import BuildRequest, build
    from radio_gen.history import FAILED, History
    from radio_gen.newsroom import Station

    clock = Clock(dt.datetime(2026, 11, 26, 4, 0, tzinfo=MORNING.tzinfo))
    board = Station(station).board(clock())
    states = {(s.program.id, s.date): s.state for s in board.slots}
    assert states == {("sang", DAY2): "awaiting", ("sang", DAY2 + dt.timedelta(days=1)): "waiting"}
    approve(station, "sang", DAY2, "duyet")
    assert Station(station).board(clock()).slots[0].state == "on_air"
    history = History(station.store_path)
    tomorrow = DAY2 + dt.timedelta(days=1)
    run = history.start("sang", dt.datetime(2026, 11, 27, 5, 0, tzinfo=MORNING.tzinfo),
                        dt.datetime(2026, 11, 27, 5, 30, tzinfo=MORNING.tzinfo), "scheduled")
    history.finish(run, FAILED, error="no engine could speak")
    board = Station(station).board(clock())
    assert board.slots[1].state == "failed"
    assert ("build_failed", {"program": "Chương trình thời sự buổi sáng", "error": "no engine could speak"}) \
        in board.alerts
    assert ("scheduler_down", {}) in board.alerts
    empty = tmp_path / "empty"
    empty.mkdir()
    build(station, BuildRequest(program_id="sang", date=tomorrow, articles_dirs=(empty,)))
    assert Station(station).board(clock()).slots[1].state == "no_news"
    with served(module_server, create_app(station, clock=clock)) as live:
        page = login(live.url, "duyet", station).get("/").text
    assert "Thiếu tin" in page and "Đã phát lên loa" in page


@pytest.mark.process
def test_serve_command_runs_the_newsroom(station, tmp_path):
    """`radio-gen serve` on the port from the command line, in Vietnamese, until stopped."""
    import socket
    import subprocess
    import sys
    import time

    from helpers.cli import cli_env

    (station.station_dir / "web-secret").unlink()          # a copy of a ready station: serve makes its own
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "radio_gen", "serve", "--config", str(station.source),
                               "--port", str(port)], env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/dang-nhap", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and server.poll() is None, server.stderr.read().decode()
                time.sleep(0.2)
        assert page.status_code == 200 and "Đăng nhập" in page.text
        assert httpx.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 401
        assert (station.station_dir / "web-secret").stat().st_mode & 0o777 == 0o600
    finally:
        server.terminate()
        assert server.wait(timeout=30) in (0, -15)       # uvicorn ends by its signal after a clean shutdown
