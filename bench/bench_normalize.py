"""Benchmark: sentences per second of radio_gen.text.normalize on one core.

Builds a 2,000-sentence news text from varied sentences (the gold inputs, the
repository's golden cases and the seed article), normalizes it sentence by
sentence and as one text, and prints the throughput.  Target: >= 5,000
sentences/s.  Time is the process's CPU time (``time.process_time``): on a
machine shared with other jobs, wall time measures the neighbours too.
Run: ``python bench/bench_normalize.py [--sentences N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from radio_gen.text import normalize, split_sentences  # noqa: E402

EXTRA = [
    "Chiều 1/7/2022, Ban Tuyên giáo Huyện ủy tổ chức hội nghị sơ kết công tác khoa giáo.",
    "Đồng chí Nguyễn Thị Như Hoa – UVBTVHU, Giám đốc TT Chính trị huyện chủ trì hội nghị.",
    "Toàn huyện có 50/53 trường học công lập đạt chuẩn quốc gia, tăng 2 trường so với năm 2021.",
    "Giá lợn hơi ở mức 52.000 VNĐ/kg, tăng 3-5% so với tháng trước.",
    "Liên hệ đường dây nóng 0912.345.678 hoặc 0239 3855 123 để được hỗ trợ.",
    "Đại hội Đảng bộ huyện lần thứ XXIV, nhiệm kỳ 2025-2030 thành công tốt đẹp.",
    "Lúc 7h30 ngày 24/4, đoàn công tác đã kiểm tra tại xã Thạch Văn.",
    "Các xã đã hoàn thành 19/19 tiêu chí nông thôn mới và xây dựng NTM nâng cao.",
]


def corpus(n: int) -> list[str]:
    """``n`` varied news sentences (deterministic)."""
    sentences: list[str] = list(EXTRA)
    for path in sorted((ROOT / "tests" / "data" / "tn").glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#") and "\t" in line:
                src = line.split("\t", 1)[0]
                if src.startswith(("south:", "north:")):
                    src = src[6:]
                sentences += split_sentences(src)
    seed = ROOT.parent / "shared" / "corpus" / "seed-article.txt"
    for candidate in (seed, Path("/work/shared/corpus/seed-article.txt")):
        if candidate.exists():
            sentences += split_sentences(candidate.read_text(encoding="utf-8"))
            break
    rng = random.Random(2026)
    return [rng.choice(sentences) for _ in range(n)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    sentences = corpus(args.sentences)
    text = " ".join(sentences)
    normalize(text)  # warm-up: data files, regex caches

    best = float("inf")
    for _ in range(args.repeat):
        start = time.process_time()
        for s in sentences:
            normalize(s)
        best = min(best, time.process_time() - start)
    best_text = float("inf")
    for _ in range(args.repeat):
        start = time.process_time()
        normalize(text)
        best_text = min(best_text, time.process_time() - start)

    chars = len(text)
    print(f"{len(sentences)} sentences, {chars} characters")
    print(f"one call per sentence: {len(sentences) / best:,.0f} sentences/s ({best * 1000:.1f} ms)")
    print(f"one call for the text: {len(sentences) / best_text:,.0f} sentences/s "
          f"({best_text * 1000:.1f} ms, {chars / best_text / 1e6:.2f} M chars/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
