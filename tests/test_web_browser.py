"""The newsroom in a real headless Chromium, as station staff use it; screenshots of every page.

Debian's chromium (installed by scripts/setup.sh --dev) driven by Playwright; the
tests skip only when no chromium can be found on this machine.
"""

from __future__ import annotations

import io
import time
import wave

import numpy as np
import pytest

from helpers.browser import DESKTOP, log_in, need_browser, served_hash, snap
from helpers.web_support import DAY1, DAY2, TZ, Clock, LiveServer, add_users, shared_template, station_copy

from radio_gen.approval import approve, content_hash
from radio_gen.web import create_app

need_browser()
# A real Chromium process (and seconds a test): left out of the fast run with the other real processes.
pytestmark = [pytest.mark.browser, pytest.mark.process]


@pytest.fixture
def shots(tmp_path):
    folder = tmp_path / "screenshots"
    folder.mkdir()
    return folder


def test_listen_seek_approve_and_log_out(browser, tmp_path, tmp_path_factory, shots):
    config = station_copy(shared_template(tmp_path_factory), tmp_path / "station",
                          web="public_delivery = true")
    add_users(config)
    approve(config, "sang", DAY1, "duyet")          # yesterday's program is on the loudspeakers
    latest = config.output.dir / "latest" / "sang.mp3"
    before = content_hash(latest)
    with LiveServer(create_app(config, clock=Clock())) as live:
        page = browser.new_page(viewport=DESKTOP)
        page.goto(live.url + "/")
        snap(page, shots, "01-dang-nhap")
        log_in(page, live.url)

        # Today's programs with their state.
        card = page.locator(f'article.slot[data-date="{DAY2}"][data-program="sang"]')
        assert card.locator(".state").inner_text() == "Chờ duyệt"
        assert "Thứ Năm, 26/11/2026" in page.inner_text("h1")
        assert page.locator("article.slot").count() == 2       # today and tomorrow
        snap(page, shots, "02-hom-nay")

        # Open the program.
        card.locator("a.button").click()
        page.wait_for_url(f"{live.url}/chuong-trinh/{DAY2}/sang")
        assert page.locator(".seg-speech").count() >= 4
        assert "Người đọc" in page.inner_text(".script")
        snap(page, shots, "03-chuong-trinh")

        # Play a sentence: the audio element loads a non-silent file and plays it.
        button = page.locator("button.say").nth(3)
        src = button.get_attribute("data-src")
        button.click()
        page.wait_for_function("() => { const a = document.getElementById('sentence-audio');"
                               " return a.readyState >= 2 && a.currentTime > 0.3; }", timeout=20_000)
        assert page.evaluate("document.getElementById('sentence-audio').duration") > 1
        with wave.open(io.BytesIO(page.request.get(live.url + src).body())) as wav:
            pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16).astype(np.float64)
        assert 20 * np.log10(np.sqrt(np.mean(pcm**2)) / 32768) > -35

        # Click a timeline segment: the player seeks there.
        block = page.locator(".timeline .tl").nth(5)
        start = float(block.get_attribute("data-start"))
        assert start > 3
        page.wait_for_function("() => document.getElementById('program-audio').readyState >= 1", timeout=20_000)
        block.click()
        page.wait_for_function(f"() => Math.abs(document.getElementById('program-audio').currentTime - {start}) < 1.5"
                               " && !document.getElementById('program-audio').seeking", timeout=20_000)
        page.wait_for_function(f"() => document.getElementById('program-audio').currentTime > {start} + 0.3",
                               timeout=20_000)
        snap(page, shots, "04-dang-nghe")

        # Approval required: latest/ untouched until approved, then /phat/sang.mp3 serves the new program.
        assert content_hash(latest) == before and served_hash(page, live.url) == before
        page.click("#approve")
        page.wait_for_url(f"{live.url}/chuong-trinh/{DAY2}/sang")
        assert "Đã duyệt" in page.inner_text(".flash")
        assert page.inner_text("#state") == "Đã phát lên loa"
        new = content_hash(config.output.dir / DAY2.isoformat() / "sang.mp3")
        assert content_hash(latest) == new != before
        assert served_hash(page, live.url) == new
        assert "duyet" in page.inner_text("ul.decisions")
        snap(page, shots, "05-da-duyet")

        # Log out: the pages need a login again.
        page.click("#logout")
        page.wait_for_url(live.url + "/dang-nhap")
        page.goto(live.url + "/")
        assert "/dang-nhap" in page.url
        page.close()
    for name in ("01-dang-nhap", "02-hom-nay", "03-chuong-trinh", "04-dang-nghe", "05-da-duyet"):
        assert (shots / f"{name}.png").stat().st_size > 5000 and (shots / f"{name}-phone.png").exists()


@pytest.mark.parametrize("policy, state, alert", [
    ("publish-anyway", "Đã phát lên loa", "đã phát khi chưa ai nghe duyệt"),
    ("keep-last-approved", "Chờ duyệt", "loa vẫn phát chương trình đã duyệt trước"),
])
def test_deadline_passes_with_each_policy(browser, tmp_path, tmp_path_factory, shots, policy, state, alert):
    import datetime as dt

    config = station_copy(shared_template(tmp_path_factory), tmp_path / "station",
                          approval=f'required = true\npolicy = "{policy}"', web="public_delivery = true")
    add_users(config)
    approve(config, "sang", DAY1, "duyet")
    before = content_hash(config.output.dir / "latest" / "sang.mp3")
    new = content_hash(config.output.dir / DAY2.isoformat() / "sang.mp3")
    clock = Clock()
    app = create_app(config, clock=clock, housekeeping=True, housekeeping_every=0.1)
    with LiveServer(app) as live:
        page = browser.new_page(viewport=DESKTOP)
        log_in(page, live.url)
        card = page.locator(f'article.slot[data-date="{DAY2}"] .state')
        assert card.inner_text() == "Chờ duyệt"
        clock.now = dt.datetime(2026, 11, 26, 5, 21, tzinfo=TZ)       # past 05:20, ten minutes before 05:30
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            page.reload()
            if alert in page.inner_text(".alerts"):
                break
            time.sleep(0.2)
        assert alert in page.inner_text(".alerts")
        assert card.inner_text() == state
        expected = new if policy == "publish-anyway" else before
        assert served_hash(page, live.url) == expected
        assert "deadline" in page.inner_text("ul.decisions")
        snap(page, shots, f"06-qua-han-{policy}")
        page.close()
