"""Every page of the corpus (tests/data/real/: real saved portal pages; tests/data/pages/:
layout fixtures), read through the real CLI as a file in an articles folder and as a page
served over HTTP on 127.0.0.1, against its hand-made expected result (what
`radio-gen articles list --json` gives of it).

One test per path reads every page once and checks each of them: the title and the published
date are right (a page that gives no date gets none from its text, only its path's: the folder
file's time, the day it was fetched), a byline is set aside and never read; a failure names
every wrong page. It then holds the targets of issue 14: >= 98 % of body paragraphs kept,
<= 1 junk line per 10 pages, every title and date right, >= 90 % of bylines set aside, and
prints the table per page (pytest -s) for the closing note. (Reading the corpus is seconds of
extraction: one test per path computes it once, whichever xdist worker runs it.)
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from helpers.cli import TEST_NOW, run_cli
from helpers.station import make_station
from helpers.fixture_site import serve_site
from helpers.page_corpus import HEADER, Case, Reading, Score, load_cases, score, totals

CASES = load_cases()
DATE = "2026-11-26"
#: The date a page without one gets from its path: a folder file's time, which is later than
#: the station's clock in these tests, so the clock's (sources/folder.py, _file_date).
UNDATED = dt.datetime.fromtimestamp(dt.datetime.fromisoformat(TEST_NOW).timestamp()).date()
PATHS = ("folder", "http")


def _readings(config: Path, *, fetch: bool) -> dict[str, Reading]:
    """What `radio-gen articles list --json` says of every article: selected or not, each one
    as the program would read it."""
    done = run_cli("articles", "list", "--config", str(config), "--date", DATE, "--json",
                   *(["--fetch"] if fetch else []))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    listed = json.loads(done.stdout)
    assert not listed["failed_sources"], listed["failed_sources"]
    return {a["location"].rsplit("/", 1)[-1]: Reading(a["title"], tuple(a["paragraphs"]),
                                                      dt.date.fromisoformat(a["published"]) if a["published"] else None,
                                                      a["byline"])
            for a in listed["articles"]}


def _folder_readings(root: Path) -> dict[str, Reading]:
    """Every page as a file in the articles folder."""
    folder = make_station(root, articles={case.page.name: case.page.read_bytes() for case in CASES})
    return _readings(folder, fetch=False)


def _http_readings(root: Path) -> dict[str, Reading]:
    """Every page served on 127.0.0.1 and fetched by a `page` source."""
    with serve_site(extra_files={c.page.name: c.page for c in CASES}) as site:
        urls = ", ".join(f'"{site.url("/corpus/" + c.page.name)}"' for c in CASES)
        config = make_station(root, articles={}, extra=f"""
[[articles.sources]]
kind = "page"
name = "corpus"
urls = [{urls}]
""")
        # The server is on 127.0.0.1: internal addresses are fetched only when the station allows them.
        text = config.read_text(encoding="utf-8").replace(
            "[articles]\n", '[articles]\nallow_hosts = ["127.0.0.1"]\n', 1)
        config.write_text(text, encoding="utf-8")
        return _readings(config, fetch=True)


READERS = {"folder": _folder_readings, "http": _http_readings}


def _score(case: Case, readings: dict[str, dict[str, Reading]], path: str) -> Score:
    reading = readings[path].get(case.page.name)
    assert reading is not None, f"{case.name}: not read through the {path} path"
    return score(case, reading, undated=UNDATED)


def test_corpus_is_scored() -> None:
    real = [c for c in CASES if c.name.startswith("real/")]
    assert len(real) >= 20, "issue 14: at least 20 real saved pages"
    assert len({c.page.name for c in CASES}) == len(CASES), "page file names are unique (the store keys on them)"
    sources = (Path(__file__).parent / "data" / "real" / "SOURCES").read_text(encoding="utf-8")
    listed = {line.split("\t")[0]: line.split("\t")[1] for line in sources.splitlines()
              if line and not line.startswith("#")}
    assert {c.page.name for c in real} <= listed.keys(), "every real page has its address and origin in SOURCES"
    hosts = {urlsplit(listed[c.page.name]).hostname for c in real}
    assert len(hosts) >= 8, f"issue 14: pages of at least 8 Vietnamese sites, not {sorted(hosts)}"
    portals = {h for h in hosts if h and h.endswith(".gov.vn")}
    assert len(portals) >= 5, f"issue 14: at least 5 of them government portals, not {sorted(portals)}"
    for case in CASES:
        spoken = case.title + "\n" + "\n".join(case.paragraphs)
        assert not [n for n in case.never if n in spoken], f"{case.name}: a `never` text is in the expected text"


@pytest.mark.parametrize("path", PATHS)
def test_every_page_is_read_right_and_the_targets_hold(path: str, tmp_path: Path) -> None:
    readings = {path: READERS[path](tmp_path)}
    wrong = []
    for case in CASES:
        reading = readings[path].get(case.page.name)
        if reading is None:
            wrong.append(f"{case.name}: not read through the {path} path")
            continue
        result = score(case, reading, undated=UNDATED)
        if not result.title_ok:
            wrong.append(f"{case.name}: title read as {reading.title!r}")
        if not result.date_ok:
            wrong.append(f"{case.name}: date read as {reading.date}, the page says {case.date}")
        if result.byline_ok is False:
            wrong.append(f"{case.name}: byline {case.byline!r} not set aside (byline {reading.byline!r})")
    assert not wrong, "\n".join(wrong)

    scores = [_score(case, readings, path) for case in CASES]
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
