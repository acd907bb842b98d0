"""Editing in a real headless Chromium, as an editor works: fix a number and hear it, drop, add, teach a reading.

Screenshots of every step go to the test's folder (desktop and phone width).
"""

from __future__ import annotations

import hashlib
import io
import wave

import numpy as np
import pytest
from helpers.browser import DESKTOP, heard, need_browser, snap
from helpers.web_support import DAY2, PASSWORD, Clock, LiveServer, editing_station, shared_template

from radio_gen.web import create_app

need_browser()
# A real Chromium process (and seconds a test): left out of the fast run with the other real processes.
pytestmark = [pytest.mark.browser, pytest.mark.process]

FIXED = ("Sáng 24/4, UBND huyện Thử Nghiệm ra quân nạo vét 15 km kênh mương. "
         "Các xã huy động hơn 1.200 người tham gia.")



def loudness(body: bytes) -> float:
    with wave.open(io.BytesIO(body)) as wav:
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16).astype(np.float64)
    return float(20 * np.log10(np.sqrt(np.mean(pcm**2)) / 32768))


def test_editor_fixes_a_number_drops_adds_and_teaches_a_reading(browser, tmp_path, tmp_path_factory):
    shots = tmp_path / "screenshots"
    shots.mkdir()
    config = editing_station(shared_template(tmp_path_factory), tmp_path / "station")
    with LiveServer(create_app(config, clock=Clock())) as live:
        page = browser.new_page(viewport=DESKTOP)
        page.goto(live.url + "/")
        page.fill("input[name=user]", "bientap")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(live.url + "/")

        # The queue of today's program, from its card on the dashboard.
        page.locator(f'article.slot[data-date="{DAY2}"] a.tin-bai').click()
        page.wait_for_url(f"{live.url}/tin-bai/{DAY2}/sang")
        assert page.locator("#queue li").count() == 2
        snap(page, shots, "10-tin-bai")

        # The article with a wrong number: its spoken form shows how "12,5 km" is read.
        page.locator("#queue a.title", has_text="Huyện ra quân làm thủy lợi").click()
        page.wait_for_selector("#edit-form")
        assert "mười hai phẩy năm" in page.inner_text("#para-1 .said")
        src = page.locator("#para-1 button.say").get_attribute("data-src")
        before = hashlib.sha256(page.request.get(live.url + src).body()).hexdigest()
        snap(page, shots, "11-bai-truoc-khi-sua")

        # Fix it; the diff shows the change and the paragraph is heard with the new number.
        page.fill("textarea[name=body]", FIXED)
        page.click("#save")
        page.wait_for_selector("#diff")
        assert "Đã lưu" in page.inner_text(".flash")
        said = page.inner_text("#para-1 .said")
        assert "mười lăm" in said and "mười hai phẩy năm" not in said
        page.locator("#para-1 button.say").click()
        heard(page, "sentence-audio")
        after = page.request.get(live.url + src).body()
        assert hashlib.sha256(after).hexdigest() != before and loudness(after) > -35
        snap(page, shots, "12-bai-da-sua")

        # Drop the other article: it leaves the queue for "left out".
        page.goto(f"{live.url}/tin-bai/{DAY2}/sang")
        page.locator("#queue li", has_text="Xã hỗ trợ hộ nghèo").locator("button.drop").click()
        page.wait_for_selector("#left-out")
        assert "Xã hỗ trợ hộ nghèo" not in page.inner_text("#queue")
        assert "Xã hỗ trợ hộ nghèo" in page.inner_text("#left-out")
        snap(page, shots, "13-bo-tin")

        # Add one by pasting text.
        page.fill("#add-form input[name=title]", "Thông báo lịch tiêm phòng <b>vắc xin</b>")
        page.fill("#add-form textarea[name=body]", "Trạm y tế xã tiêm phòng cho trẻ em ngày 28/11.")
        page.click("#add")
        page.wait_for_selector(".flash")
        assert "Thông báo lịch tiêm phòng <b>vắc xin</b>" in page.inner_text("#queue")   # shown as text
        assert page.locator("#queue b").count() == 0
        snap(page, shots, "14-them-tin")

        # Teach a reading on "Phát âm" and hear it in a sentence.
        page.click("#nav-lexicon")
        page.wait_for_url(live.url + "/phat-am")
        page.fill("#entry-form input[name=key]", "HTXDV")
        page.fill("#entry-form input[name=reading]", "hợp tác xã dịch vụ")
        page.click("#save-entry")
        page.wait_for_selector("#entries tr[data-key=HTXDV]")
        page.fill("#try-form input[name=thu]", "HTXDV Minh Hòa tổ chức đại hội.")
        page.click("#try")
        page.wait_for_selector("#said")
        assert "Hợp tác xã dịch vụ Minh Hòa" in page.inner_text("#said")
        page.evaluate("document.getElementById('try-audio').play()")
        heard(page, "try-audio")
        snap(page, shots, "15-phat-am")
        page.close()
    assert "HTXDV = hợp tác xã dịch vụ" in (config.station_dir / "lexicon.txt").read_text(encoding="utf-8")
    for name in ("10-tin-bai", "11-bai-truoc-khi-sua", "12-bai-da-sua", "13-bo-tin", "14-them-tin", "15-phat-am"):
        assert (shots / f"{name}.png").stat().st_size > 5000 and (shots / f"{name}-phone.png").exists()
