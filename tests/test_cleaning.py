"""Cleaning: golden cases (tests/data/cleaning/*.input → *.expected), dates, and station rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from helpers.paths import DATA
from radio_gen.intake.cleaning import RulesError, clean_article, find_date, load_rules

CASES = sorted((DATA / "cleaning").glob("*.input"))
TODAY = dt.date(2026, 11, 26)


def _expected(path: Path) -> tuple[dict[str, str], str]:
    meta, body = {}, []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# ") and ": " in line and not body:
            key, value = line[2:].split(": ", 1)
            meta[key] = value
        else:
            body.append(line)
    return meta, "\n".join(body).strip()


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_golden_case(case: Path) -> None:
    title, body = case.read_text(encoding="utf-8").split("\n", 1)
    meta, expected_body = _expected(case.with_suffix(".expected"))
    cleaned = clean_article(title, body, today=TODAY)
    assert cleaned.title == meta["title"]
    assert cleaned.body == expected_body
    assert cleaned.byline == (None if meta["byline"] == "none" else meta["byline"])
    assert cleaned.published == (None if meta["date"] == "none" else dt.date.fromisoformat(meta["date"]))


def _date_cases() -> list[tuple[str, str]]:
    lines = (DATA / "article_dates.tsv").read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t")) for line in lines if line and not line.startswith("#")]


@pytest.mark.parametrize("text,expected", _date_cases())
def test_article_date(text: str, expected: str) -> None:
    found = find_date(text, today=TODAY)
    assert found == (None if expected == "none" else dt.date.fromisoformat(expected))


def test_station_rules_extend_the_built_in_ones(tmp_path: Path) -> None:
    rules_file = tmp_path / "lam-sach.toml"
    rules_file.write_text("cut_from = ['^Mời quý vị xem thêm']\ndrop_line = ['^Lượt nghe:']\n", encoding="utf-8")
    body = "Xã tổ chức hội nghị tổng kết.\nLượt nghe: 120\nMời quý vị xem thêm\nTin khác ở đây."
    built_in = clean_article("Tổng kết", body)
    assert "Lượt nghe" in built_in.body and "Tin khác" in built_in.body
    extended = clean_article("Tổng kết", body, load_rules(rules_file))
    assert extended.body == "Xã tổ chức hội nghị tổng kết."
    assert "Đang online" not in clean_article("T", "Câu một.\nĐang online: 5", load_rules(rules_file)).body


@pytest.mark.parametrize("content,problem", [
    ("cut_from = ['(unclosed']", "bad pattern '(unclosed'"),
    ("cut_from = 'not a list'", "'cut_from' must be a list"),
    ("colour = ['x']", "unknown rule list colour"),
    ("cut_from = [", "not valid TOML"),
])
def test_bad_station_rules_say_what_is_wrong(tmp_path: Path, content: str, problem: str) -> None:
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text(content, encoding="utf-8")
    with pytest.raises(RulesError, match=problem.replace("(", r"\(").replace("[", r"\[")):
        load_rules(rules_file)
    with pytest.raises(RulesError, match="not found"):
        load_rules(tmp_path / "missing.toml")


def test_a_sentence_ending_with_a_photo_note_keeps_the_sentence() -> None:
    cleaned = clean_article("T", "Bà con thu hoạch lúa. (Ảnh minh họa)\nNăng suất đạt khá.")
    assert cleaned.body == "Bà con thu hoạch lúa.\n\nNăng suất đạt khá."
