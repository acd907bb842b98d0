"""Adding by URL and replacing the stinger in a real headless Chromium, then the next build playing it.

Screenshots of every step go to the test's folder (desktop and phone width).
"""

from __future__ import annotations

import json

from helpers.media import dominant_hz, tone
import pytest
from helpers.browser import DESKTOP, heard, log_in, need_browser, snap
from helpers.web_support import editing_station
from helpers.fixture_site import serve_site
from helpers.web_support import DAY2, PAGE, PAGE_TITLE, Clock, LiveServer, allow_local, shared_template

from radio_gen.publish import program_paths
from radio_gen.users import Users
from radio_gen.web import create_app

need_browser()
# A real Chromium process: left out of the fast run with the other real processes.
pytestmark = [pytest.mark.browser, pytest.mark.process]


def test_editor_adds_by_url_and_uploads_a_stinger_the_next_build_plays(browser, tmp_path, tmp_path_factory):
    shots = tmp_path / "screenshots"
    shots.mkdir()
    config = allow_local(editing_station(shared_template(tmp_path_factory), tmp_path / "station"))
    stinger = tmp_path / "chuyen-tin.mp3"
    tone(stinger, 2.5, 440, volume=0.2)
    app = create_app(config, clock=Clock())
    with LiveServer(app) as live, serve_site() as site:
        page = browser.new_page(viewport=DESKTOP)
        log_in(page, live.url, "bientap")

        # Add an article by giving the address of a page on the district portal (served on 127.0.0.1).
        page.goto(f"{live.url}/tin-bai/{DAY2}/sang")
        assert page.locator("#queue li").count() == 2
        page.fill("#url-form input[name=url]", site.url(PAGE))
        page.click("#fetch-url")
        page.wait_for_selector(".flash")
        assert page.inner_text(".flash") == f"Đã thêm tin «{PAGE_TITLE}»."
        assert page.locator("#queue li").count() == 3 and PAGE_TITLE in page.inner_text("#queue")
        snap(page, shots, "20-them-tin-tu-trang-web")
        page.locator("#queue a.title", has_text=PAGE_TITLE).click()
        page.wait_for_selector("#edit-form")
        assert "Ảnh minh họa" not in page.inner_text(".spoken")                 # cleaned like a page source
        snap(page, shots, "21-tin-tu-trang-web")

        # Replace the stinger on "Nhạc hiệu": checked, leveled, with a player.
        page.click("#nav-clips")
        page.wait_for_url(live.url + "/nhac-hieu")
        assert page.locator("#clip-stinger").get_attribute("data-own") == "0"
        snap(page, shots, "22-nhac-hieu-mac-dinh")
        page.set_input_files("#clip-stinger input[type=file]", str(stinger))
        page.click("#clip-stinger button[type=submit]")
        page.wait_for_selector(".flash")
        assert page.inner_text(".flash").startswith("Đã lưu nhạc chuyển tin: 2,5 giây")
        assert page.locator("#clip-stinger").get_attribute("data-own") == "1"
        assert page.inner_text("#clip-stinger .file") == "stinger.flac"
        page.evaluate("document.getElementById('audio-stinger').play()")
        heard(page, "audio-stinger")
        snap(page, shots, "23-nhac-hieu-da-tai-len")

        # A fake "mp3" is refused with a clear message, and the stored stinger stays.
        fake = tmp_path / "gia.mp3"
        fake.write_text("đây không phải là nhạc\n" * 100, encoding="utf-8")
        page.set_input_files("#clip-stinger input[type=file]", str(fake))
        page.click("#clip-stinger button[type=submit]")
        page.wait_for_selector(".flash")
        assert page.inner_text(".flash") == "«gia.mp3» không phải tệp âm thanh (không tìm thấy luồng âm thanh)."
        assert page.inner_text("#clip-stinger .file") == "stinger.flac"
        snap(page, shots, "24-nhac-gia-bi-tu-choi")

        # Rebuild now: the new program reads the added article and plays the new stinger.
        page.goto(f"{live.url}/tin-bai/{DAY2}/sang")
        page.click("#rebuild")
        page.wait_for_selector(".flash")
        for thread in app.state.newsroom.builds:
            thread.join(timeout=600)
        page.goto(f"{live.url}/chuong-trinh/{DAY2}/sang")
        page.wait_for_selector("#seg-0")
        assert PAGE_TITLE in page.inner_text("main")
        snap(page, shots, "25-chuong-trinh-moi")
        page.close()
    paths = program_paths(config.output.dir, DAY2, "sang")
    rundown = json.loads(paths.rundown.read_text(encoding="utf-8"))
    assert PAGE_TITLE in [a["title"] for a in rundown["articles"]]
    stingers = [s for s in rundown["segments"] if s.get("clip") == "stinger"]
    assert len(stingers) == 3 and all(abs((s["end"] - s["start"]) - 2.5) < 0.1 for s in stingers)
    assert all(abs(dominant_hz(paths.mp3, s["start"], s["end"]) - 440) < 5 for s in stingers)
    actions = [(e.user, e.action) for e in Users(config.store_path).journal(20)]
    assert ("bientap", "article.add") in actions and ("bientap", "clip.upload") in actions
    for name in ("20-them-tin-tu-trang-web", "21-tin-tu-trang-web", "22-nhac-hieu-mac-dinh", "23-nhac-hieu-da-tai-len",
                 "24-nhac-gia-bi-tu-choi", "25-chuong-trinh-moi"):
        assert (shots / f"{name}.png").stat().st_size > 5000 and (shots / f"{name}-phone.png").exists()
