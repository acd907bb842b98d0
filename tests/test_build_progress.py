"""`-v` shows a long build's progress on stderr: pieces done of total, engine calls, elapsed time."""

from __future__ import annotations

import re
from pathlib import Path

from helpers.cli import run_cli
from helpers.station import SHORT_ARTICLES, make_station

#: Three short items: the opening, the items and the closing make three pieces, enough to see the
#: count go up one by one (a long program prints the same lines, only more of them).
ARTICLES = {**SHORT_ARTICLES, "c.txt": "Tiêm chủng cho trẻ\n\nTrạm y tế xã tiêm vắc-xin cho trẻ em vào sáng thứ Bảy."}


def test_verbose_build_reports_pieces_engine_calls_and_elapsed_time(tmp_path: Path) -> None:
    config = make_station(tmp_path, articles=ARTICLES)
    done = run_cli("-v", "build", "--config", str(config), "--date", "2026-11-26",
                   "--articles", str(tmp_path / "articles"))
    assert done.returncode == 0, done.stderr
    progress = re.findall(r"piece (\d+) of (\d+) done: (\d+) engine call\(s\) so far, ([\d.]+) s elapsed",
                          done.stderr)
    assert len(progress) >= 3, done.stderr
    total = int(progress[0][1])
    assert [int(p[0]) for p in progress] == list(range(1, total + 1))
    calls = [int(p[2]) for p in progress]
    assert calls == sorted(calls) and calls[-1] > 0
    seconds = [float(p[3]) for p in progress]
    assert seconds == sorted(seconds) and seconds[-1] > 0
    assert done.stdout.strip().endswith("sang.mp3")  # progress goes to stderr, results to stdout

    quiet = run_cli("build", "--config", str(config), "--date", "2026-11-26", "--articles", str(tmp_path / "articles"))
    assert "piece 1 of" not in quiet.stderr
