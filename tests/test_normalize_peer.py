"""The peer suite: other projects' Vietnamese normalization cases (see
tests/data/tn/peer/SOURCES) scored with the readings that differ only in style
accepted.  Fails when fewer than 97 % of the in-scope cases are acceptable;
the per-source and per-category table is printed (``pytest -s``)."""

from __future__ import annotations

import io

import pytest

from helpers.peer_suite import PEER, TARGET, canon, load, report, score
from radio_gen.text import normalize

CASES = load()


def test_every_case_is_marked_with_its_source_and_a_reason() -> None:
    assert len(CASES) >= 1500
    sources = (PEER / "SOURCES").read_text(encoding="utf-8")
    for case in CASES:
        assert case.scope in ("in", "out", "wrong"), case
        assert case.reason, f"{case.source} {case.ref}: no reason for its scope"
        assert case.source in sources, f"{case.source} is not listed in SOURCES"
        if case.scope == "wrong":
            assert case.newscast, f"{case.source} {case.ref}: a wrong case names the newscast reading"


def test_in_scope_score_meets_the_target() -> None:
    result = score(CASES, normalize)
    out = io.StringIO()
    report(result, out)
    print(out.getvalue())
    for case, got in result["failures"]:
        print(f"FAIL {case.source} {case.ref}: {case.written!r} -> {got!r} (want {case.wanted!r})")
    assert result["passed"] / result["total"] >= TARGET, out.getvalue()


@pytest.mark.parametrize(("a", "b"), [
    ("một nghìn không trăm linh năm", "một ngàn lẻ năm"),
    ("hai mươi tư", "hai mươi bốn"),
    ("hai mươi lăm", "hai mươi năm"),
    ("ba mươi mốt", "ba mươi một"),
    ("phẩy năm mươi sáu", "phẩy năm sáu"),
    ("ngày mùng hai tháng chín", "hai tháng chín"),
    ("ủy ban", "uỷ ban"),
])
def test_scorer_accepts_style_variants(a: str, b: str) -> None:
    assert canon(a) == canon(b)


@pytest.mark.parametrize(("a", "b"), [
    ("một nghìn năm", "một nghìn linh năm"),  # 1.500 colloquially, never 1.005
    ("hai mươi mốt", "hai mốt"),
    ("phẩy không năm", "phẩy năm"),
    ("mười hai giờ", "mười hai phút"),
])
def test_scorer_keeps_real_differences(a: str, b: str) -> None:
    assert canon(a) != canon(b)
