"""Benchmark: how well pages are read, radio-gen's extraction path against plain trafilatura.

Scores every case of the page corpus (tests/data/real/: real saved portal pages;
tests/data/pages/: layout fixtures; format in tests/data/pages/README.md) the way
tests/test_page_corpus.py does, for
  - radio-gen, folder path: `sources.folder.read_article` on the saved file (what an
    articles folder gives: the page's own date, else the file's time);
  - radio-gen, http path: `sources.web.fetch_article` on the page served by a local
    HTTP server on 127.0.0.1 (what a page source gives);
  - trafilatura: plain `trafilatura.extract` with its default settings, its text cut in
    lines (one paragraph each), and its own metadata (`extract_metadata`: title, date,
    author), no cleaning;
and prints a table per page and path, the totals per path, and the time each took
(ratio to trafilatura). The test runs the same two paths through the CLI.

With ``--trafilatura-eval DIR`` (a checkout of trafilatura's repository) it also scores the
main-text step alone on trafilatura's own evaluation set (about 1,000 real pages, each with
snippets that must and must not be extracted: tests/evaldata.json), the way its
tests/evaluate.py does: precision, recall and F1 of plain trafilatura, of trafilatura with
radio-gen's settings, and of radio-gen's `read_page` (hidden text removed first, lead kept).
Run: ``.venv/bin/python bench/bench_extraction.py [--trafilatura-eval ../trafilatura]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from helpers.cli import TEST_NOW  # noqa: E402
from helpers.fixture_site import serve_site  # noqa: E402
from helpers.page_corpus import HEADER, Case, Reading, load_cases, score, totals  # noqa: E402
from radio_gen import clock  # noqa: E402
from radio_gen.intake.sources.decode import NotText, decode_bytes  # noqa: E402
from radio_gen.intake.sources.fetch import FetchSettings  # noqa: E402
from radio_gen.intake.sources.folder import read_article  # noqa: E402
from radio_gen.intake.sources.html import read_page  # noqa: E402
from radio_gen.intake.sources.web import WebContext, fetch_article  # noqa: E402

TODAY = dt.date.fromisoformat(TEST_NOW[:10])
#: What a page without a date gets from a path (the file's time under the bench's clock).
UNDATED = dt.datetime.fromtimestamp(dt.datetime.fromisoformat(TEST_NOW).timestamp()).date()


def _reading(article: object) -> Reading:
    return Reading(article.title, tuple(article.paragraphs), article.published, article.byline)  # type: ignore[attr-defined]


def folder_path(cases: list[Case]) -> list[Reading]:
    readings = []
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as folder:
        for case in cases:
            copy = Path(folder) / case.page.name
            copy.write_bytes(case.page.read_bytes())
            try:
                readings.append(_reading(read_article(copy, "bench", today=TODAY)))
            except NotText:
                readings.append(Reading("", (), None, None))
    return readings


def http_path(cases: list[Case]) -> list[Reading]:
    readings = []
    context = WebContext(settings=FetchSettings(allow_hosts=frozenset({"127.0.0.1"})), today=TODAY)
    with serve_site(extra_files={c.page.name: c.page for c in cases}) as site:
        for case in cases:
            try:
                readings.append(_reading(fetch_article(site.url("/corpus/" + case.page.name), "bench", context)))
            except NotText:
                readings.append(Reading("", (), None, None))
    return readings


def plain_trafilatura(cases: list[Case]) -> list[Reading]:
    import trafilatura
    from trafilatura.metadata import extract_metadata

    readings = []
    for case in cases:
        markup = decode_bytes(case.page.read_bytes())
        text = trafilatura.extract(markup) or ""
        meta = extract_metadata(markup)
        try:
            date = dt.date.fromisoformat((meta.date or "")[:10]) if meta else None
        except ValueError:
            date = None
        lines = tuple(line.strip() for line in text.split("\n") if line.strip())
        readings.append(Reading((meta.title if meta else "") or "", lines, date, meta.author if meta else None))
    return readings


def _eval_readers() -> dict[str, Callable[[str, str], str]]:
    import trafilatura

    def plain(markup: str, url: str) -> str:
        return trafilatura.extract(markup, url=url) or ""

    def settings(markup: str, url: str) -> str:
        return trafilatura.extract(markup, url=url, include_tables=True, favor_recall=True, deduplicate=False) or ""

    def ours_main_text(markup: str, url: str) -> str:
        try:
            page = read_page(markup, url=url)
        except NotText:
            return ""
        return page.title + "\n" + "\n".join(page.paragraphs)

    return {"trafilatura (defaults)": plain, "trafilatura (radio-gen settings)": settings,
            "radio-gen read_page": ours_main_text}


def trafilatura_eval(repo: Path) -> None:
    """Precision/recall/F1 on trafilatura's evaluation set (snippets with/without)."""
    data = json.loads((repo / "tests" / "evaldata.json").read_text(encoding="utf-8"))
    pages = []
    for url, case in data.items():
        for folder in ("eval", "cache"):
            path = repo / "tests" / folder / case["file"]
            if path.is_file():
                pages.append((url, path, case))
                break
    print(f"\ntrafilatura's evaluation set: {len(pages)} pages\n")
    print("| extractor | precision | recall | F1 | seconds |\n|---|---|---|---|---|")
    for label, reader in _eval_readers().items():
        tp = fn = fp = tn = 0
        started = time.perf_counter()
        for url, path, case in pages:
            try:
                markup = decode_bytes(path.read_bytes())
            except NotText:
                continue
            text = " ".join(reader(markup, url).split())
            for snippet in case.get("with", []):
                if " ".join(snippet.split()) in text:
                    tp += 1
                else:
                    fn += 1
            for snippet in case.get("without", []):
                if " ".join(snippet.split()) in text:
                    fp += 1
                else:
                    tn += 1
        precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        print(f"| {label} | {precision:.3f} | {recall:.3f} | {f1:.3f} | {time.perf_counter() - started:.1f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trafilatura-eval", type=Path, help="a checkout of trafilatura's repository")
    args = parser.parse_args()
    os.environ[clock.ENV] = TEST_NOW  # "today" is the tests' day: a dateless file is dated by it
    if args.trafilatura_eval:
        trafilatura_eval(args.trafilatura_eval)
    cases = load_cases()
    if not cases:
        print("no corpus pages found")
        return 1
    spent = {}
    all_scores = {}
    for label, reader in (("radio-gen folder", folder_path), ("radio-gen http", http_path),
                          ("trafilatura", plain_trafilatura)):
        started = time.perf_counter()
        readings = reader(cases)
        spent[label] = time.perf_counter() - started
        all_scores[label] = [score(case, reading, undated=UNDATED) for case, reading in zip(cases, readings)]
    for label, scores in all_scores.items():
        print(f"\n{label}\n\n{HEADER}")
        for one in scores:
            print(one.row(label))
    print(f"\ntotals\n\n{HEADER}")
    for label, scores in all_scores.items():
        real = totals([one for one in scores if one.case.startswith("real/")])
        verdict = "meets" if real.passes() else "MISSES"
        print(real.row(label).replace("| all (", "| real pages (") + f"  {verdict} the targets")
        overall = totals(scores)
        print(overall.row(label) + f"  {'meets' if overall.passes() else 'MISSES'} the targets")
    base = spent["trafilatura"] or float("nan")
    print("\ntime: " + ", ".join(f"{label} {seconds:.2f} s (x{seconds / base:.1f})"
                                  for label, seconds in spent.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
