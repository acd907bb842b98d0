"""One extraction path for a page, whatever brought it: a saved .html in the articles folder and
the same page served over HTTP on 127.0.0.1 give the same article; hidden text is never read;
the page's metadata gives the title and date; bylines and leftovers are set aside."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers.paths import DATA
from helpers.fixture_site import Site, serve_site
from radio_gen.intake import cleaning
from radio_gen.intake.cleaning import RulesError, clean_article, load_rules
from radio_gen.intake.articles import Article
from radio_gen.intake.sources.feed import FeedSource
from radio_gen.intake.sources.fetch import FetchSettings
from radio_gen.intake.sources.folder import FolderSource
from radio_gen.intake.sources.web import ListingSource, PageSource, WebContext

TODAY = dt.date(2026, 11, 26)
LEAD = "Từ ngày 15/3, nhiều quy định mới về giao thông chính thức có hiệu lực, người dân cần biết để chấp hành."
BODY = [
    "Đoạn văn thứ nhất nói về quy định mới và những điều người dân cần lưu ý khi tham gia giao thông trên địa bàn.",
    "Quy định mới về nồng độ cồn từ 15/3",
    "Đoạn văn thứ hai nói về nồng độ cồn và mức phạt đối với người điều khiển phương tiện giao thông.",
]
#: A portal page with every trap at once (also a case of the page corpus, tests/data/pages/).
PAGE = (DATA / "pages" / "quy-dinh-giao-thong.html").read_text(encoding="utf-8")
NEVER_READ = ("Home", "ẩn", "Sign In", "TIN MỚI", "Tin khác", "Tổng truy cập", "Thu Hòa", "VOV4", "xxe",
              "Thứ hai, 10/03/2025", "MINHSON")


def _check(article: Article) -> None:
    assert article.title == "Quy định mới về giao thông"
    assert article.published == dt.date(2025, 3, 10), "the page's date, not the dateline 'Ngày 5/3' nor 2020"
    assert article.byline == "Thu Hòa/VOV4"
    assert article.paragraphs[0] == LEAD, "the lead (sapo) is kept"
    assert BODY[1] in article.paragraphs, "subheadings are kept"
    assert article.paragraphs[-1] == "Đoạn có thực thể lạ nhưng vẫn là một câu đầy đủ của bài viết này."
    spoken = article.title + "\n" + article.body
    for junk in NEVER_READ:
        assert junk not in spoken, junk


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with serve_site() as served:
        yield served


def _context() -> WebContext:
    """The test servers are on 127.0.0.1: internal addresses are fetched only when allowed."""
    return WebContext(settings=FetchSettings(timeout=2.0, allow_hosts=frozenset({"127.0.0.1"})), today=TODAY)


def test_folder_file_reads_the_article_and_nothing_else(tmp_path: Path) -> None:
    (tmp_path / "bai.html").write_text(PAGE, encoding="utf-8")
    [article] = FolderSource(tmp_path, today=TODAY).collect().articles
    _check(article)


def test_the_same_page_over_http_gives_the_same_article() -> None:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            data = PAGE.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/tin-tuc/quy-dinh.html"
        [article] = PageSource([url], _context()).collect().articles
    finally:
        server.shutdown()
        server.server_close()
    _check(article)


def test_a_dateline_without_a_year_takes_the_year_that_is_not_in_the_future() -> None:
    cleaned = clean_article("T", "Ngày 20/12, xã tổ chức hội nghị tổng kết năm của các chi hội.", today=TODAY)
    assert cleaned.published == dt.date(2025, 12, 20)
    late = clean_article("T", "Ngày 20/12, xã tổ chức hội nghị.", today=TODAY, published=dt.date(2024, 12, 21))
    assert late.published == dt.date(2024, 12, 21), "the page's own date wins"


def test_a_menu_heading_above_the_article_does_not_cut_it_away() -> None:
    body = "TIN MỚI\nBình luận\nXã tổ chức hội nghị tổng kết công tác năm.\nTin liên quan\nTin cũ khác"
    assert clean_article("Tổng kết", body).body.endswith("Xã tổ chức hội nghị tổng kết công tác năm.")


@pytest.mark.parametrize("line", [
    "Thu Hòa/VOV4", "Minh Anh (tổng hợp)", "Văn Nam.", "Bài, ảnh: Hữu Hoàn", "Nguồn: VOV", "Đại Đoàn kết",
    "Theo Báo Nhân Dân", "Thu Quỳnh – Minh Cảnh",
])
def test_bylines_and_source_lines_are_set_aside(line: str) -> None:
    cleaned = clean_article("T", f"Xã tổ chức hội nghị tổng kết công tác năm.\n{line}")
    assert cleaned.body == "Xã tổ chức hội nghị tổng kết công tác năm."
    assert cleaned.byline == line


@pytest.mark.parametrize("line", [
    "Toàn cảnh hội nghị.", "Lãnh đạo huyện thăm hỏi gia đình chính sách. Ảnh: Hữu Hoàn.",
    "Số lượt người xem : Bản in", "Thứ tư, 22/10/2025, 19:25 (GMT+7)", "3", "https://minhson.gov.vn/tin-tuc",
])
def test_leftovers_are_never_read(line: str) -> None:
    cleaned = clean_article("T", f"Xã tổ chức hội nghị tổng kết công tác năm.\n{line}\nNăm nay xã về đích sớm.")
    assert cleaned.body == "Xã tổ chức hội nghị tổng kết công tác năm.\n\nNăm nay xã về đích sớm."


def test_an_operator_names_the_article_block_of_their_own_portal(tmp_path: Path) -> None:
    page = ("<html><head><link rel='canonical' href='https://minhson.gov.vn/tin/1'></head><body>"
            "<div class='quang-cao'><p>Quảng cáo sản phẩm phân bón hữu cơ mới nhất, giá tốt nhất thị trường.</p>"
            "<p>Liên hệ ngay hôm nay để được tư vấn miễn phí và giao hàng tận nơi.</p></div>"
            "<div class='bai-viet'><h1>Huyện khánh thành cầu Đông</h1>"
            "<p>Sáng nay, huyện khánh thành cầu Đông nối hai xã bên sông.</p></div></body></html>")
    (tmp_path / "a" / "bai.html").parent.mkdir()
    (tmp_path / "a" / "bai.html").write_text(page, encoding="utf-8")
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text("[[site]]\nhost = 'minhson.gov.vn'\narticle = 'div.bai-viet'\n", encoding="utf-8")
    [article] = FolderSource(tmp_path / "a", rules=load_rules(rules_file), today=TODAY).collect().articles
    assert article.title == "Huyện khánh thành cầu Đông"
    assert article.body == "Sáng nay, huyện khánh thành cầu Đông nối hai xã bên sông."


@pytest.mark.parametrize("content,problem", [
    ("drop_line = ['(a+)+$']", "takes too long"),
    ("[[site]]\narticle = 'div'", "needs host"),
    ("[[site]]\nhost = 'x.vn'\narticle = 'div[['", "not a CSS selector"),
])
def test_station_rules_that_would_stall_or_cannot_work_are_refused(tmp_path: Path, content: str, problem: str,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # A pattern is tried on probe lines for a moment (0.5 s on air); a nested repetition
    # would take seconds on them, so a tenth of a second tells it as surely.
    monkeypatch.setattr(cleaning, "_PROBE_SECONDS", 0.1)
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text(content, encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(RulesError, match=problem):
        load_rules(rules_file)
    assert time.monotonic() - started < 10


def test_a_text_plain_article_url_is_read_as_text(site: Site) -> None:
    [article] = PageSource([site.url("/tin-tuc/thong-bao-nuoc.txt")], _context()).collect().articles
    assert article.title == "Thông báo tạm ngừng cấp nước sinh hoạt ngày 28/11"
    assert article.paragraphs[-1] == "Bà con chủ động trữ nước trước thời gian trên."


def test_a_binary_listing_page_is_a_skipped_item_not_a_failed_source(site: Site) -> None:
    result = ListingSource(site.url("/binary-listing.html"), r"/tin-tuc/", _context()).collect()
    assert not result.articles
    [skipped] = result.skipped
    assert "binary" in skipped.reason


def test_one_bad_feed_entry_is_skipped_and_the_others_are_read(site: Site) -> None:
    result = FeedSource(site.url("/bad-entry.xml"), _context()).collect()
    assert [a.title for a in result.articles] == ["Huyện ra quân làm đường giao thông nông thôn"]
    assert len(result.articles[0].paragraphs) == 3
    assert len(result.skipped) == 1


def test_only_what_is_hidden_on_screen_is_dropped() -> None:
    """Look-alike styles hide nothing: `backface-visibility:hidden`, `font-size:em`, a rule that
    hides only in print (nested in @media); control characters in the page are not text."""
    from radio_gen.intake.sources.html import read_page

    sentences = ["Sáng nay, huyện khánh thành cây cầu mới nối hai xã bên sông Đà.",
                 "Cây cầu dài một trăm hai mươi mét, rộng tám mét, vốn từ ngân sách tỉnh.",
                 "Bà con hai xã phấn khởi vì không còn phải đi đò qua sông mùa lũ."]
    page = ("<html><head><style>.khung{backface-visibility:hidden}.chu{font-size:em}"
            "@media print{.a{display:block}.in{display:none}}</style></head><body>"
            "<h1>Huyện khánh thành cầu mới</h1>"
            f"<div class='khung'><p>{sentences[0]}</p></div><p class='chu'>{sentences[1]}\x00\x07</p>"
            f"<p class='in'>{sentences[2]}</p></body></html>")
    assert read_page(page).paragraphs == sentences


def test_what_surrounds_the_headline_is_metadata_not_text() -> None:
    """An og:title that names the site is not the headline; the author's name by the headline is
    the byline (a source line there is not); a date inside a link dates what the link points
    to; a section name and a date cell above a headline the extractor dropped are not read."""
    from radio_gen.intake.sources.html import html_article

    body = ["Sáng nay, huyện khánh thành cây cầu mới nối hai xã bên sông Đà sau hai năm thi công.",
            "Cây cầu dài một trăm hai mươi mét, rộng tám mét, xây bằng vốn từ ngân sách tỉnh.",
            "Bà con hai xã phấn khởi vì từ nay không còn phải đi đò qua sông vào mùa lũ."]
    page = ("<html><head><meta property='og:title' content='The Tin Huyen'>"
            "<meta property='og:site_name' content='TinHuyen.com'></head><body>"
            "<table><tr><td>TIN TRONG HUYỆN</td></tr><tr><td class='Time'>(25.04.2019 14:04)</td></tr></table>"
            "<h1 class='main-hed'>Huyện khánh thành cầu mới qua sông Đà</h1>"
            "<div class='byline'><b class='author'>Minh Chiến</b></div>"
            + "".join(f"<p>{p}</p>" for p in body)
            + "<div class='vanbanmoi'><a href='/vb/1'><div class='ngaybanhanh'>Ngày: 18/12/2017</div>"
              "<div>Quyết định về việc phê duyệt kế hoạch</div></a></div></body></html>")
    article = html_article(page, source="t", location="t")
    assert article.title == "Huyện khánh thành cầu mới qua sông Đà"
    assert article.byline == "Minh Chiến"
    assert article.published == dt.date(2019, 4, 25), "the date cell by the headline, not the document's"
    assert list(article.paragraphs) == body
    source = page.replace("Minh Chiến", "Theo SGGP").replace("(25.04.2019 14:04)", "")
    assert html_article(source, source="t", location="t").byline != "Theo SGGP"
    undated = html_article(source, source="t", location="t")
    assert undated.published is None, "no date from a link to another document"
