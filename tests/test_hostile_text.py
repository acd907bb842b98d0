"""Text handling is linear in its input: cleaning and page extraction on hostile input of size
n, 2n and 4n. Quadratic work (the old "(Ảnh: …" rule: 1.2 MB took 90 s) makes 4n cost about 16
times n; the test fails when it costs more than 8 times (linear is 4, with room for noise on a
shared machine). Times are CPU seconds, best of three (helpers.timing.scaling), so a busy
neighbour does not fail it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from helpers.timing import scaling
from radio_gen.intake.cleaning import clean_article
from radio_gen.intake.sources.decode import NotText
from radio_gen.intake.sources.html import read_page

MAX_RATIO_4N = 8.0


def _clean(text: str) -> None:
    clean_article("Tiêu đề bài viết", text)


def _page(markup: str) -> None:
    try:
        read_page(markup)
    except NotText:
        pass


HOSTILE: dict[str, tuple[Callable[[int], str], Callable[[str], None], int]] = {
    # name: (input of size ~n, stage, n): n makes the short run cost a few hundredths of a second
    "photo note without its bracket": (lambda n: "Câu mở đầu " + "(Ảnh: Minh " * n, _clean, 3_000),
    "photo note lines": (lambda n: "(Ảnh minh họa\n" * n, _clean, 2_000),
    "a long run of spaces before a bracket": (lambda n: "Câu" + " " * (40 * n) + "(ảnh", _clean, 30_000),
    "caption shapes on one long line": (lambda n: "Đồng chí " + "tặng quà " * n + "phát biểu", _clean, 7_500),
    "dates and bylines": (lambda n: "Ngày 5/3, " * n + "\nThu Hòa/VOV4", _clean, 4_000),
    "glued full stops": (lambda n: "Câu một.Câu hai." * n, _clean, 3_000),
    "stray end tags": (lambda n: "<html><body><p>Đoạn văn của bài viết.</p>" + "</div></span>" * n + "</body></html>",
                       _page, 6_000),
    "photo notes in a page": (lambda n: "<html><body><h1>Tin huyện hôm nay có mới</h1><p>" + "(Ảnh: Minh " * n
                              + "</p></body></html>", _page, 2_000),
    "hidden elements": (lambda n: "<html><head><style>" + ".a{display:none}" * n + "</style></head><body>"
                        + "<p class='a'>ẩn</p><p style='font-size:0'>ẩn</p>" * n + "</body></html>", _page, 750),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_time_grows_linearly(name: str) -> None:
    make, stage, n = HOSTILE[name]
    grown = scaling(stage, make(n), make(4 * n), max_ratio=MAX_RATIO_4N)
    assert grown.linear, f"{name}: {grown}"
