"""Fixtures of the tests; the helpers they use live in tests/helpers/."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from helpers.cli import TEST_NOW, DemoBuild, cli_env, run_cli
from helpers.netfaults import proxy_env, refused_port
from helpers.station import make_station
from helpers.web_support import Clock, LiveServer
from radio_gen import clock
from radio_gen.config import StationConfig
from radio_gen.web import create_app


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `net` need the internet: they run only when `-m` names them (`pytest -m net`),
    so that `pytest` and `pytest -m "not process"` both pass offline."""
    if "net" in (config.option.markexpr or ""):
        return
    kept = [item for item in items if item.get_closest_marker("net") is None]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


@pytest.fixture(autouse=True)
def test_clock(monkeypatch: pytest.MonkeyPatch) -> str:
    """In-process library calls read the same clock as the CLI runs of the tests."""
    monkeypatch.setenv(clock.ENV, TEST_NOW)
    return TEST_NOW


@pytest.fixture
def wall_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process library calls read the machine's clock (tests that time real files or waits)."""
    monkeypatch.delenv(clock.ENV, raising=False)


@pytest.fixture
def cli() -> Callable[..., object]:
    """`radio-gen ARGS` run in this process (helpers.cli.run_cli)."""
    return run_cli


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> DemoBuild:
    """`radio-gen build` in an empty folder, offline (gTTS refused): the bundled demo, seven articles.
    Built once for the tests that read it (a few seconds of audio work each time)."""
    root = tmp_path_factory.mktemp("demo")
    empty = root / "empty"
    empty.mkdir()
    env = cli_env(XDG_STATE_HOME=str(root / "state"), **proxy_env(refused_port()))
    env.pop("RADIO_GEN_CONFIG", None)
    return DemoBuild(run_cli("build", "--date", "2026-11-26", env=env, cwd=empty), root / "state", empty)


@pytest.fixture
def station(tmp_path: Path) -> Path:
    return make_station(tmp_path)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test (helpers.browser.need_browser skips without one)."""
    from playwright.sync_api import sync_playwright

    from helpers.browser import ARGS, CHROMIUM

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def server(station: StationConfig) -> Iterator[LiveServer]:
    """The newsroom on 127.0.0.1 for the requesting module's own `station` fixture (a StationConfig)."""
    with LiveServer(create_app(station, clock=Clock())) as live:
        yield live
