"""Web sources against a real HTTP server on 127.0.0.1: pages, a listing, RSS and Atom, and faults."""

from __future__ import annotations

import datetime as dt
import re
import time
import tracemalloc
from collections.abc import Iterator

import pytest

from helpers.fixture_site import Site, serve_site
from radio_gen.intake.sources import SourceError
from radio_gen.intake.sources.feed import FeedSource
from radio_gen.intake.sources.fetch import DEFAULT_USER_AGENT, FetchError, FetchSettings, fetch
from radio_gen.intake.sources.web import ListingSource, PageSource, WebContext

#: The fixture site is on 127.0.0.1: internal addresses are fetched only when the station allows them.
LOCAL = frozenset({"127.0.0.1"})
SEED_TITLE = "Ban Tuyên giáo Huyện ủy tổ chức hội nghị sơ kết công tác khoa giáo 6 tháng đầu năm 2022"
NEVER_ON_AIR = ("tin tức liên quan", "Chương trình phát thanh ngày 26/11/2011", "Đang online", "Tổng truy cập",
                "phát biểu tại hội nghị", "Chia sẻ", "Cỡ chữ", "In bài viết", "Facebook", "Thứ sáu, 01/07/2022",
                "Thu Quỳnh", "Trang chủ")


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with serve_site() as served:
        yield served


def context(**settings: object) -> WebContext:
    return WebContext(settings=FetchSettings(**{"timeout": 2.0, "allow_hosts": LOCAL, **settings}),
                      today=dt.date(2026, 11, 26))


def spoken(article) -> str:
    return article.title + "\n" + article.body


def test_seed_layout_page_keeps_title_and_body_and_drops_every_leftover(site: Site) -> None:
    [article] = PageSource([site.url("/tin-tuc/hoi-nghi-khoa-giao.html")], context()).collect().articles
    assert article.title == SEED_TITLE
    assert article.paragraphs[0].startswith("Chiều 1/7/2022, Ban Tuyên giáo Huyện ủy tổ chức hội nghị sơ kết")
    assert "50/53 trường học công lập đạt chuẩn quốc gia" in article.body
    assert article.paragraphs[-1].endswith("góp phần thực hiện thắng lợi các nhiệm vụ chính trị của huyện.")
    assert "tới. Kết luận hội nghị" in article.body, "a full stop glued to the next sentence is spaced"
    for leftover in NEVER_ON_AIR:
        assert leftover not in spoken(article), leftover
    assert "chủ trì hội nghị." in article.body, "the lead that the caption repeats stays"
    assert article.byline == "Thu Quỳnh – Minh Cảnh"
    assert article.published == dt.date(2022, 7, 1)


def test_second_page_drops_captions_photo_credits_comments_and_other_news(site: Site) -> None:
    [article] = PageSource([site.url("/tin-tuc/thu-hoach-lua.html")], context()).collect().articles
    assert article.title == "Nông dân xã Minh Tiến thu hoạch lúa mùa"
    assert len(article.paragraphs) == 3
    for leftover in ("Ảnh minh họa", "Ảnh: Minh Anh", "Ý kiến bạn đọc", "Gửi ý kiến", "TIN CÙNG CHUYÊN MỤC",
                     "Đang online", "cánh đồng mẫu lớn", "Hồng Nhung"):
        assert leftover not in spoken(article), leftover
    assert article.byline == "Hồng Nhung"
    assert article.published == dt.date(2026, 11, 25)


def test_old_table_layout_page_takes_its_headline_from_the_text(site: Site) -> None:
    [article] = PageSource([site.url("/tin-tuc/bang.html")], context()).collect().articles
    assert article.title == "Huyện tổ chức hội nghị tổng kết công tác dân vận năm 2026"
    assert len(article.paragraphs) == 2 and article.paragraphs[0].startswith("Sáng 25/11/2026, Ban Dân vận")
    assert "Trang chủ" not in spoken(article) and "Tổng truy cập" not in spoken(article)
    assert article.published == dt.date(2026, 11, 25)


def test_a_one_sentence_notice_is_an_article(site: Site) -> None:
    [article] = PageSource([site.url("/tin-tuc/ngan.html")], context()).collect().articles
    assert (article.title, article.body) == (
        "Thông báo cắt điện", "Ngày 28/11, cắt điện thôn Đông từ 7 giờ đến 11 giờ để sửa chữa đường dây.")


def test_listing_follows_matching_links_once_and_reports_a_dead_one(site: Site) -> None:
    source = ListingSource(site.url("/tin-tuc/"), r"/tin-tuc/[\w-]+\.html$", context())
    result = source.collect()
    assert sorted(a.title for a in result.articles) == sorted([SEED_TITLE, "Nông dân xã Minh Tiến thu hoạch lúa mùa"])
    assert [s.location for s in result.skipped] == [site.url("/tin-tuc/bai-da-xoa.html")]
    assert "HTTP 404" in result.skipped[0].reason


def test_listing_with_no_matching_link_fails_with_the_pattern(site: Site) -> None:
    with pytest.raises(SourceError, match=r"no link .* matches link_pattern '/bai-viet/'"):
        ListingSource(site.url("/tin-tuc/"), "/bai-viet/", context()).collect()


def test_known_urls_are_not_fetched_again(site: Site) -> None:
    url = site.url("/tin-tuc/thu-hoach-lua.html")
    before = len(site.requests)
    context = WebContext(settings=FetchSettings(allow_hosts=LOCAL), is_known=lambda u: u == url)
    result = PageSource([url], context).collect()
    assert result.articles == [] and result.skipped == []
    assert len(site.requests) == before


def test_rss_item_page_is_fetched_and_is_the_same_story_as_the_site(site: Site) -> None:
    [from_feed] = FeedSource(site.url("/rss.xml"), context()).collect().articles
    [from_site] = PageSource([site.url("/tin-tuc/hoi-nghi-khoa-giao.html")], context()).collect().articles
    assert from_feed.id == from_site.id
    assert from_feed.published == dt.date(2022, 7, 1)


def test_atom_entry_falls_back_to_the_feed_text_when_its_page_is_missing(site: Site) -> None:
    [article] = FeedSource(site.url("/atom.xml"), context()).collect().articles
    assert article.title == "Tỉnh Sơn Hà ra quân tiêm chủng mở rộng"
    assert article.paragraphs[0].startswith("Sáng nay, ngành y tế tỉnh Sơn Hà ra quân")
    assert len(article.paragraphs) == 2
    assert article.published == dt.date(2026, 11, 26)
    assert article.byline == "Lan Hương"


def test_feed_without_full_text_never_fetches_pages(site: Site) -> None:
    before = len(site.requests)
    [article] = FeedSource(site.url("/atom.xml"), context(), full_text=False).collect().articles
    assert article.title == "Tỉnh Sơn Hà ra quân tiêm chủng mở rộng"
    assert site.paths()[before:] == ["/atom.xml"]


def test_invalid_xml_feed_is_a_source_error(site: Site) -> None:
    with pytest.raises(SourceError, match="not a valid RSS/Atom feed"):
        FeedSource(site.url("/bad.xml"), context()).collect()


def test_http_500_is_reported(site: Site) -> None:
    with pytest.raises(FetchError, match="HTTP 500"):
        fetch(site.url("/error"), FetchSettings(timeout=2, allow_hosts=LOCAL))


def test_timeout_is_bounded(site: Site) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out after 0\.\d s \(limit 0\.3 s\)"):
        fetch(site.url("/slow"), FetchSettings(timeout=0.3, allow_hosts=LOCAL))
    assert time.monotonic() - started < 4, "well before the server answers (5 s)"


@pytest.mark.parametrize("path", ["/huge", "/huge-undeclared"])
def test_50_mb_body_is_refused_without_reading_it_all(site: Site, path: str) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match="too large"):
            fetch(site.url(path), FetchSettings(timeout=10, max_bytes=1_000_000, allow_hosts=LOCAL))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8_000_000, f"the client held {peak:,} bytes: it must stop at the limit, not read 50 MB"


def test_a_site_that_stops_answering_is_not_asked_twenty_times(site: Site) -> None:
    urls = [site.url(f"/slow?n={n}") for n in range(6)]
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        PageSource(urls, context(timeout=0.3)).collect()
    assert time.monotonic() - started < 3
    assert sum(p.startswith("/slow?n=") for p in site.paths()) == 2
    assert re.search(r"did not answer 2 times in a row \(timed out after 0\.\d s \(limit 0\.3 s\)\)", str(caught.value))


def test_connection_refused_is_reported() -> None:
    from helpers.netfaults import refused_port

    with pytest.raises(FetchError, match="cannot connect"):
        fetch(f"http://127.0.0.1:{refused_port()}/", FetchSettings(timeout=2, allow_hosts=LOCAL))


def test_every_fetch_sends_a_polite_user_agent(site: Site) -> None:
    fetch(site.url("/tin-tuc/"), FetchSettings(timeout=2, allow_hosts=LOCAL))
    agents = {agent for _, agent in site.requests}
    assert agents == {DEFAULT_USER_AGENT}
    assert DEFAULT_USER_AGENT.startswith("radio-gen/")


def test_only_http_addresses_are_fetched() -> None:
    with pytest.raises(FetchError, match="only http"):
        fetch("file:///etc/passwd", FetchSettings())
