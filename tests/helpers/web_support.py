"""Shared by the newsroom tests: a built station, a real HTTP server on 127.0.0.1, logged-in clients.

The station airs "sang" at 05:30 (build 05:00). Two programs are built once per test
session with espeak-ng (for 2026-11-25 and 2026-11-26) with approval required, so no
build reached latest/; each test gets its own copy and chooses its [approval] and [web]
settings. "Now" is always a clock the test sets.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import socket
import ssl
import threading
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import uvicorn

from helpers import station as station_file
from radio_gen.build import BuildRequest, build
from radio_gen.config import StationConfig, load_config
from radio_gen.intake.pipeline import collect
from radio_gen.intake.store import Store
from radio_gen.users import Users

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DAY1, DAY2 = dt.date(2026, 11, 25), dt.date(2026, 11, 26)
#: 04:00 on DAY2: built, not yet at the approval deadline (05:20) nor the broadcast (05:30).
MORNING = dt.datetime(2026, 11, 26, 4, 0, tzinfo=TZ)
PASSWORD = "mat-khau-thu-nghiem"

#: The newsroom's station: a folder source repeated every day, built at 05:00 for 05:30.
STATION = {**station_file.STATION, "timezone": "Asia/Ho_Chi_Minh"}
PROGRAM = {**station_file.PROGRAM, "build": "05:00"}
# Named: a copied station keeps its source (the default name holds the folder's full path).
SOURCES = {"max_age_days": 0, "sources": [{"kind": "folder", "name": "tin-xa", "path": "articles", "repeat": True}]}


ARTICLES = {
    "a.txt": "Huyện ra quân làm thủy lợi\n\nSáng 24/4, UBND huyện Thử Nghiệm ra quân nạo vét 12,5 km kênh mương. "
             "Các xã huy động hơn 1.200 người tham gia.",
    "b.txt": "Xã hỗ trợ hộ nghèo\n\nXã Minh Hòa đã trao 50 suất quà cho các hộ nghèo trong thôn. "
             "Mỗi suất quà trị giá 500.000 đồng.",
}


def write_station(root: Path, *, approval: str = "required = true", web: str = "", output: str = "") -> Path:
    path = root / "station.toml"
    path.write_text(station_file.station_toml(
        station=STATION, programs=[PROGRAM], articles=SOURCES,
        output={**station_file.OUTPUT, **station_file.toml_table(output)},
        approval=station_file.toml_table(approval), web=station_file.toml_table(web)), encoding="utf-8")
    return path


def article_file(path: Path, text: str, day: dt.date = DAY1) -> None:
    """An article file dated `day` (a folder article's date is its file time): never the wall clock."""
    path.write_text(text, encoding="utf-8")
    stamp = dt.datetime.combine(day, dt.time(7, 0), tzinfo=TZ).timestamp()
    os.utime(path, (stamp, stamp))


def build_template(root: Path) -> Path:
    """Two built days, approval required (nothing on latest/): the copy every test starts from."""
    (root / "articles").mkdir(parents=True)
    for name, text in ARTICLES.items():
        article_file(root / "articles" / name, text)
    config = load_config(write_station(root))
    for day in (DAY1, DAY2):
        build(config, BuildRequest(program_id="sang", date=day))
    assert not (config.output.dir / "latest" / "sang.mp3").exists()
    return root


def copy_folder(template: Path, dest: Path) -> None:
    """A built station folder copied to `dest`, without the locks of the process that built it."""
    shutil.copytree(template, dest, symlinks=True)
    for lock in dest.glob("*.lock"):
        lock.unlink()


def station_copy(template: Path, dest: Path, **settings: str) -> StationConfig:
    """A copy of `template` whose station file is written again with `settings`."""
    copy_folder(template, dest)
    return load_config(write_station(dest, **settings))


def add_users(config: StationConfig) -> None:
    users = Users(config.store_path)
    for name, role in (("bientap", "editor"), ("duyet", "approver"), ("quantri", "admin")):
        if users.get(name) is None:
            users.add(name, role, PASSWORD, by="test")


class LiveServer:
    """The app served by uvicorn on a free 127.0.0.1 port, in a thread."""

    def __init__(self, app: object) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Made with protocol 0, asyncio does not set TCP_NODELAY on the connections it accepts (uvicorn's own
        # sockets have it), and each response, head and body written apart, would wait ~40 ms for the
        # client's delayed ACK. Linux copies the option from the listening socket to the accepted ones.
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the newsroom server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


class Clock:
    """A settable "now" for the app."""

    def __init__(self, now: dt.datetime = MORNING) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


CSRF = re.compile(r'name="csrf" value="([^"]+)"')
HASH = re.compile(r'name="hash" value="([0-9a-f]{64})"')


def csrf_of(client: httpx.Client, path: str = "/dang-nhap") -> str:
    match = CSRF.search(client.get(path, headers={"accept": "text/html"}).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


#: One TLS context for every test client: httpx loads the CA bundle for each new client (~40 ms of CPU,
#: as much as the scrypt check a login costs), though these clients only ever speak plain http.
TLS = ssl.create_default_context()


def login(base_url: str, name: str, password: str = PASSWORD) -> httpx.Client:
    client = httpx.Client(base_url=base_url, timeout=30, verify=TLS)
    response = client.post("/dang-nhap", data={"user": name, "password": password, "csrf": csrf_of(client),
                                                 "next": "/"})
    assert response.status_code == 303, response.text[:300]
    return client


_template: Path | None = None


def shared_template(tmp_path_factory: object) -> Path:
    """The built template, made once per test session whichever test file asks first."""
    global _template
    if _template is None:
        _template = build_template(tmp_path_factory.mktemp("newsroom-template"))  # type: ignore[attr-defined]
    return _template


def editing_station(template, dest):
    """A copy of the built station with a lexicon file named in its config and a fresh store of its articles."""
    config = station_copy(template, dest)
    path = config.station_dir / "station.toml"
    text = path.read_text(encoding="utf-8").replace("repeat = true", "repeat = false")   # broadcast news is done
    path.write_text(text + '\n[text]\nlexicon = "lexicon.txt"\n', encoding="utf-8")
    config = load_config(path)
    (config.station_dir / "lexicon.txt").write_text("# từ điển của đài\nNghèn = nghèn\n", encoding="utf-8")
    # A fresh store: the template's remembers its articles under the template's folder name.
    for leftover in config.store_path.parent.glob(config.store_path.name + "*"):
        leftover.unlink()
    with Store.open(config.store_path) as store:
        collect(config, store, today=DAY2, web=False)
    add_users(config)
    return config


#: A page of the fixture site (tests.helpers.fixture_site) an editor adds by its address.
PAGE = "/tin-tuc/thu-hoach-lua.html"
PAGE_TITLE = "Nông dân xã Minh Tiến thu hoạch lúa mùa"


def allow_local(config, hosts: str = '["127.0.0.1"]'):
    """The station with `[articles] allow_hosts` set (the fixture site is on 127.0.0.1)."""
    path = config.station_dir / "station.toml"
    text = path.read_text(encoding="utf-8").replace("[articles]\n", f"[articles]\nallow_hosts = {hosts}\n", 1)
    path.write_text(text, encoding="utf-8")
    return load_config(path)
