"""Every page of the corpus, read through the real CLI as a file in an articles folder and as a
page served over HTTP on 127.0.0.1, meets the targets of issue 14: >= 98 % of body paragraphs
kept, <= 1 junk line per 10 pages, every title and published date right, >= 90 % of bylines
set aside. The table per page and path is printed (pytest -s) for the closing note."""

from __future__ import annotations

from pathlib import Path

from helpers.cli import run_cli
from helpers.station import make_station
from helpers.fixture_site import serve_site
from helpers.page_corpus import HEADER, Case, Reading, Score, load_cases, score, totals
from radio_gen.config import load_config
from radio_gen.store import Store

CASES = load_cases()
DATE = "2026-11-26"


def _readings(config: Path, *, fetch: bool) -> dict[str, Reading]:
    done = run_cli("articles", "list", "--config", str(config), "--date", DATE, *(["--fetch"] if fetch else []))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    with Store.open(load_config(config).store_path) as store:
        return {Path(a.location).name: Reading(a.title, tuple(a.paragraphs), a.published, a.byline)
                for a in (stored.article for stored in store.articles())}


def _check(cases: list[Case], readings: dict[str, Reading], path: str) -> None:
    scores: list[Score] = []
    for case in cases:
        reading = readings.get(case.page.name)
        assert reading is not None, f"{case.name}: not read through the {path} path"
        scores.append(score(case, reading))
    print("\n" + HEADER)
    for one in scores:
        print(one.row(path))
    overall = totals(scores)
    print(overall.row(path))
    failing = [s for s in scores if s.kept < s.expected or s.junk or not s.title_ok or not s.date_ok
               or s.byline_ok is False]
    assert overall.passes(), "\n".join(f"{s.case}: kept {s.kept}/{s.expected}, junk {list(s.junk)}, "
                                       f"title {s.title_ok}, date {s.date_ok}, byline {s.byline_ok}"
                                       for s in failing)


def test_corpus_is_scored() -> None:
    assert CASES, "tests/data/real/ and tests/data/pages/ hold the corpus"
    assert len({c.page.name for c in CASES}) == len(CASES), "page file names are unique (the store keys on them)"


def test_folder_files(tmp_path: Path) -> None:
    config = make_station(tmp_path, articles={case.page.name: case.page.read_bytes() for case in CASES})
    _check(CASES, _readings(config, fetch=False), "folder")


def test_pages_over_http(tmp_path: Path) -> None:
    with serve_site(extra_files={c.page.name: c.page for c in CASES}) as site:
        urls = ", ".join(f'"{site.url("/corpus/" + c.page.name)}"' for c in CASES)
        config = make_station(tmp_path, articles={}, extra=f"""
[[articles.sources]]
kind = "page"
name = "corpus"
urls = [{urls}]
""")
        # The server is on 127.0.0.1: internal addresses are fetched only when the station allows them.
        text = config.read_text(encoding="utf-8")
        text = text.replace("[articles]\n", '[articles]\nallow_hosts = ["127.0.0.1"]\n', 1)
        config.write_text(text, encoding="utf-8")
        _check(CASES, _readings(config, fetch=True), "http")
