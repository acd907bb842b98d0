"""Benchmark: how well pages are read, radio-gen's extraction path against plain trafilatura.

Scores every case of the page corpus (tests/data/real/, tests/data/pages/; format in
tests/data/pages/README.md) the way tests/test_page_corpus.py does, for
  - radio-gen: `sources.html.html_article`, the one path folder files, pages, listings and
    feed entries go through (the test runs the same code through the CLI, folder and HTTP);
  - trafilatura: `trafilatura.bare_extraction` with its defaults and its own metadata
    (title, date, author), every line of its text one paragraph, no cleaning;
and prints a table per page and the totals, with the time each took (ratio to trafilatura).
Run: ``.venv/bin/python bench/bench_extraction.py``.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from page_corpus import HEADER, Case, Reading, load_cases, score, totals  # noqa: E402
from radio_gen.sources.decode import NotText, decode_bytes  # noqa: E402
from radio_gen.sources.html import html_article  # noqa: E402

TODAY = dt.date(2026, 11, 26)


def ours(case: Case, markup: str) -> Reading:
    try:
        article = html_article(markup, source="bench", location=str(case.page), today=TODAY)
    except NotText:
        return Reading("", (), None, None)
    return Reading(article.title, tuple(article.paragraphs), article.published, article.byline)


def plain_trafilatura(case: Case, markup: str) -> Reading:
    import trafilatura

    document = trafilatura.bare_extraction(markup, with_metadata=True)
    if document is None:
        return Reading("", (), None, None)
    lines = tuple(line.strip() for line in (document.text or "").split("\n") if line.strip())
    try:
        date = dt.date.fromisoformat((document.date or "")[:10])
    except ValueError:
        date = None
    return Reading(document.title or "", lines, date, document.author)


def main() -> int:
    cases = load_cases()
    if not cases:
        print("no corpus pages found")
        return 1
    print(HEADER)
    spent = {}
    all_scores = {}
    for label, reader in (("radio-gen", ours), ("trafilatura", plain_trafilatura)):
        scores = []
        started = time.perf_counter()
        for case in cases:
            scores.append(score(case, reader(case, decode_bytes(case.page.read_bytes()))))
        spent[label] = time.perf_counter() - started
        all_scores[label] = scores
    for index, case in enumerate(cases):
        for label in all_scores:
            print(all_scores[label][index].row(label))
    for label, scores in all_scores.items():
        overall = totals(scores)
        print(overall.row(label) + f"  {'meets' if overall.passes() else 'MISSES'} the targets")
    ratio = spent["radio-gen"] / spent["trafilatura"] if spent["trafilatura"] else float("nan")
    print(f"\ntime: radio-gen {spent['radio-gen']:.2f} s, trafilatura {spent['trafilatura']:.2f} s "
          f"(ratio {ratio:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
