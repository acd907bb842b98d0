"""Shared by the newsroom tests so each test pays for its own work only.

Building a station, hashing three passwords and checking one at each login (scrypt, ~50 ms
apiece) and starting uvicorn were most of what a newsroom test cost. Here they happen once
per test session: `editing_template` and `users_template` are stations made ready once
(store collected, users added) and copied per test. Both keep the same session secret, so
`login` gives a client the session cookie that one real login returned, and the newsroom
of any copy accepts it exactly as its own (same secret, same users and roles). `server`
serves the requesting test's own station from one uvicorn per test module. Tests about the
login itself (its cookie, its rate limit, its journal entry) log in for real
(helpers.web_support.login).
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from helpers.media import tone
from helpers.web_support import (TLS, Clock, LiveServer, add_users, copy_folder, editing_station, load_config,
                                 login as real_login, shared_template, station_copy)
from radio_gen.config import StationConfig
from radio_gen.web import create_app

USERS = ("bientap", "duyet", "quantri")

_templates: dict[str, Path] = {}
#: user -> the session cookies of a real login into a copy of the first template made.
_sessions: dict[str, dict[str, str]] = {}
_SECRET = "web-secret"


def _ready(kind: str, tmp_path_factory: pytest.TempPathFactory, make) -> Path:  # type: ignore[no-untyped-def]
    """The template `kind`, made once by `make(dest)`; the first one made also logs its users in once."""
    if kind not in _templates:
        root = tmp_path_factory.mktemp(f"newsroom-{kind}")
        config = make(root / "station")
        if _templates:                              # the session secret of the first, for every copy
            shutil.copy2(next(iter(_templates.values())) / _SECRET, config.station_dir / _SECRET)
        else:
            create_app(config)                      # keeps its session secret (web-secret) for every copy
            with LiveServer(create_app(copy_station(config.station_dir, root / "login"), clock=Clock())) as live:
                for name in USERS:
                    client = real_login(live.url, name)
                    _sessions[name] = dict(client.cookies.items())
                    client.close()
        _templates[kind] = config.station_dir
    return _templates[kind]


def editing_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """helpers.web_support.editing_station of the built template, once per session."""
    return _ready("editing", tmp_path_factory,
                  lambda dest: editing_station(shared_template(tmp_path_factory), dest))


def users_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built template with its three users (approval required), once per session."""
    def make(dest: Path) -> StationConfig:
        config = station_copy(shared_template(tmp_path_factory), dest)
        add_users(config)
        return config
    return _ready("users", tmp_path_factory, make)


def copy_station(template: Path, dest: Path) -> StationConfig:
    """A copy of a ready station folder (its config, store, users and secret) at `dest`."""
    copy_folder(template, dest)
    return load_config(dest / "station.toml")


def login(base_url: str, name: str, station: StationConfig) -> httpx.Client:
    """A client logged in as `name` to the newsroom of `station`, a copy of a ready template."""
    assert any((station.station_dir / _SECRET).read_bytes() == (t / _SECRET).read_bytes()
               for t in _templates.values()), "login() takes a copy of editing_template or users_template"
    return httpx.Client(base_url=base_url, timeout=30, cookies=_sessions[name], verify=TLS)


class AppSwitch:
    """An ASGI app that hands each request to the current test's newsroom (one server, many stations)."""

    def __init__(self) -> None:
        self.app = None

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        if scope["type"] == "lifespan":                  # the newsrooms here run no housekeeping thread
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        assert self.app is not None, "no newsroom is being served"
        await self.app(scope, receive, send)


@pytest.fixture(scope="module")
def module_server() -> Iterator[tuple[LiveServer, AppSwitch]]:
    switch = AppSwitch()
    with LiveServer(switch) as live:
        yield live, switch


@contextlib.contextmanager
def served(module_server: tuple[LiveServer, AppSwitch], app: object) -> Iterator[LiveServer]:
    """`app` served for the length of the block, on the module's uvicorn (no server to start and stop)."""
    live, switch = module_server
    before, switch.app = switch.app, app
    try:
        yield live
    finally:
        switch.app = before


@pytest.fixture
def server(station: StationConfig, module_server: tuple[LiveServer, AppSwitch]) -> Iterator[LiveServer]:
    """The newsroom of the test's own `station` on 127.0.0.1, as conftest's `server`, on the module's uvicorn."""
    live, switch = module_server
    switch.app = create_app(station, clock=Clock())
    yield live
    switch.app = None


_tones: dict[tuple[str, float, float, float], Path] = {}


def session_tone(tmp_path_factory: pytest.TempPathFactory, name: str, seconds: float, frequency: float = 440.0,
                 *, volume: float = 0.5) -> Path:
    """helpers.media.tone made once per session: the tests only upload or measure it, never change it."""
    key = (name, seconds, frequency, volume)
    if key not in _tones:
        path = tmp_path_factory.mktemp("tones") / name
        tone(path, seconds, frequency, volume=volume)
        _tones[key] = path
    return _tones[key]
