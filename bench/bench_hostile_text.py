"""Hostile-text benchmark: the folder source's Markdown handling on inputs built to backtrack.

    .venv/bin/python bench/bench_hostile_text.py            # n = 25 KB, 50 KB, 100 KB, 200 KB

For each trap (unclosed emphasis, unclosed brackets, links without an end) it times the
shipped `_split_title(markdown=True)` at n, 2n, 4n, 8n and, in the same run, the old
patterns (the baseline: quadratic) at the sizes they finish in reasonable time. A linear
stage doubles its time when n doubles (ratio ~2); the old one quadruples (ratio ~4).
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from radio_gen.intake.sources.folder import _split_title

OLD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
OLD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
TRAPS = {
    "unclosed emphasis": lambda n: "*a " * (n // 3),
    "unclosed brackets": lambda n: "[" * n,
    "link without end": lambda n: "[a](" * (n // 4),
}


def old(text: str) -> None:
    for line in text.split("\n"):
        OLD_EMPHASIS.sub(r"\2", OLD_LINK.sub(r"\1", line))


def timed(func, text: str) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    func(text)
    return time.perf_counter() - started


def main() -> None:
    sizes = [25_000, 50_000, 100_000, 200_000]
    for name, make in TRAPS.items():
        print(f"{name}:")
        previous = None
        for n in sizes:
            seconds = timed(lambda t: _split_title(t, markdown=True), "Tiêu đề\n" + make(n))
            ratio = f"  x{seconds / previous:.1f}" if previous else ""
            print(f"  new  n={n:>7,}: {seconds * 1000:8.1f} ms{ratio}")
            previous = seconds
        previous = None
        for n in sizes[:2]:
            seconds = timed(old, make(n // 5))
            ratio = f"  x{seconds / previous:.1f}" if previous else ""
            print(f"  old  n={n // 5:>7,}: {seconds * 1000:8.1f} ms{ratio}")
            previous = seconds


if __name__ == "__main__":
    main()
