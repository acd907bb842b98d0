"""The newsroom's browser tests: Debian's chromium driven by Playwright, and their screenshots."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from types import ModuleType

import pytest

from helpers.web_support import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--autoplay-policy=no-user-gesture-required"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def need_browser() -> ModuleType:
    """Playwright's sync API; skips the calling test module when playwright or chromium is missing."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is installed by scripts/setup.sh --dev")
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (scripts/setup.sh --dev installs it with apt-get)",
                    allow_module_level=True)
    return sync_api


def snap(page, folder: Path, name: str) -> None:
    """A full-page screenshot at desktop width and one at phone width."""
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(folder / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def log_in(page, url: str, user: str = "duyet") -> None:
    page.goto(url + "/")
    assert "/dang-nhap" in page.url
    page.fill("input[name=user]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(url + "/")


def served_hash(page, url: str) -> str:
    body = page.request.get(url + "/phat/sang.mp3").body()
    return hashlib.sha256(body).hexdigest()


def heard(page, audio_id: str) -> None:
    """The audio element loaded its file and is playing it."""
    page.wait_for_function(f"() => {{ const a = document.getElementById('{audio_id}');"
                           " return a.readyState >= 2 && a.currentTime > 0.3; }", timeout=30_000)
