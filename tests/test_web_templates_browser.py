"""The template editor in a real headless Chromium, as an editor works: break item.j2 and see the error at its
line with nothing saved, fix it and see the preview change, restore an older version, read the history.

Screenshots of every step go to the test's folder (desktop and phone width).
"""

from __future__ import annotations

import pytest
from helpers.browser import DESKTOP, log_in, need_browser, snap
from helpers.templates import BROKEN, NUMBERED
from helpers.web_support import Clock, LiveServer, editing_station, shared_template

from radio_gen import template_versions as tv
from radio_gen.web import create_app

need_browser()
# A real Chromium process (and seconds a test): left out of the fast run with the other real processes.
pytestmark = [pytest.mark.browser, pytest.mark.process]


def preview_text(page) -> str:
    return page.inner_text("#preview")


def test_editor_breaks_fixes_previews_and_restores_item_template(browser, tmp_path, tmp_path_factory):
    shots = tmp_path / "screenshots"
    shots.mkdir()
    config = editing_station(shared_template(tmp_path_factory), tmp_path / "station")
    item = config.templates_dir / "item.j2"
    with LiveServer(create_app(config, clock=Clock())) as live:
        page = browser.new_page(viewport=DESKTOP)
        log_in(page, live.url, "bientap")

        # The templates of the station; item.j2 is built in, shown read-only with its preview.
        page.click("#nav-templates")
        page.wait_for_url(live.url + "/mau")
        page.locator('#templates tr[data-name="item.j2"] a').click()
        page.wait_for_selector("#readonly")
        page.wait_for_selector("#preview li")
        assert page.locator("#source").get_attribute("readonly") is not None
        assert "Huyện ra quân làm thủy lợi." in preview_text(page)
        lines = page.input_value("#source").count("\n") + 1
        assert page.locator(".gutter span").count() == lines
        snap(page, shots, "20-mau-mac-dinh")

        # Customise: the station's own copy, in the editor.
        page.click("#customise")
        page.wait_for_selector("#template-form")
        assert "Đã chép mẫu mặc định" in page.inner_text(".flash")
        original = item.read_text(encoding="utf-8")

        # Break it: the live preview already says where; saving is refused with the error at its line.
        page.fill("#source", BROKEN)
        page.wait_for_function("() => document.getElementById('preview-error').innerText.includes('dòng 4')")
        assert page.inner_text(".gutter span.bad") == "4"
        assert page.locator(".gutter span").count() == BROKEN.count("\n") + 1
        page.click("#save")
        page.wait_for_selector("#save-error")
        error = page.inner_text("#save-error")
        assert "Mẫu item.j2, dòng 4: lỗi cú pháp" in error
        assert "Không lưu" in page.inner_text(".flash")
        assert page.inner_text(".gutter span.bad") == "4"
        assert page.input_value("#source").strip() == BROKEN.strip()               # the draft is still there
        assert item.read_text(encoding="utf-8") == original                        # nothing saved
        assert [v.version for v in tv.versions(config, "item.j2")] == [1]
        snap(page, shots, "21-mau-loi-dong-4")

        # Fix it: the preview changes as one types, then the save goes through.
        before = preview_text(page)
        page.fill("#source", NUMBERED)
        page.wait_for_function("() => document.getElementById('preview').innerText.includes('Tin thứ nhất.')")
        assert page.inner_text("#preview-error") == "" and page.locator(".gutter span.bad").count() == 0
        assert preview_text(page) != before and "Tin thứ hai." in preview_text(page)
        snap(page, shots, "22-mau-xem-truoc")
        page.click("#save")
        page.wait_for_selector(".flash")
        assert "Đã lưu mẫu" in page.inner_text(".flash")
        assert item.read_text(encoding="utf-8") == NUMBERED
        assert page.locator("#versions tbody tr").count() == 2

        # Restore the older version: a new version, the file as it was, the preview without the numbers.
        page.locator('#versions tr[data-version="1"] button.restore').click()
        page.wait_for_selector(".flash")
        assert "Đã khôi phục" in page.inner_text(".flash")
        assert item.read_text(encoding="utf-8") == original
        assert page.locator("#versions tbody tr").count() == 3
        assert "khôi phục phiên bản 1" in page.inner_text('#versions tr[data-version="3"]')
        page.wait_for_selector("#preview li")
        page.wait_for_function("() => !document.getElementById('preview').innerText.includes('Tin thứ nhất.')")
        snap(page, shots, "23-mau-khoi-phuc")

        # The history page: every change, newest first, filterable.
        page.click("#nav-history")
        page.wait_for_url(live.url + "/lich-su")
        rows = page.locator("#history tbody tr")
        assert "Khôi phục mẫu item.j2 về phiên bản 1" in rows.nth(0).inner_text()
        assert "26/11/2026 05:00" in rows.nth(0).inner_text()
        page.click('#kinds a[data-kind="template"]')
        page.wait_for_url(live.url + "/lich-su?loai=template")
        assert page.locator("#history tbody tr").count() == 3
        snap(page, shots, "24-lich-su")
        page.close()
    for name in ("20-mau-mac-dinh", "21-mau-loi-dong-4", "22-mau-xem-truoc", "23-mau-khoi-phuc", "24-lich-su"):
        assert (shots / f"{name}.png").stat().st_size > 5000 and (shots / f"{name}-phone.png").exists()
