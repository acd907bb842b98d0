"""Benchmark: how well pages are read, radio-gen's extraction path against plain trafilatura.

Scores every case of the page corpus (tests/data/real/, tests/data/pages/; format in
tests/data/pages/README.md) the way tests/test_page_corpus.py does, for
  - radio-gen: `sources.html.html_article`, the one path folder files, pages, listings and
    feed entries go through (the test runs the same code through the CLI, folder and HTTP);
  - trafilatura: `trafilatura.bare_extraction` with its defaults and its own metadata
    (title, date, author), every line of its text one paragraph, no cleaning;
and prints a table per page and the totals, with the time each took (ratio to trafilatura).

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
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from helpers.page_corpus import HEADER, Case, Reading, load_cases, score, totals  # noqa: E402
from radio_gen.sources.decode import NotText, decode_bytes  # noqa: E402
from radio_gen.sources.html import html_article, read_page  # noqa: E402

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
    if args.trafilatura_eval:
        trafilatura_eval(args.trafilatura_eval)
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
    for index in range(len(cases)):
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
