"""`radio-gen normalize` through the real entry point uses this normalizer."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from helpers.cli import run_cli
from helpers.paths import REPO


def test_cli_normalize_reads_stdin() -> None:
    done = run_cli("normalize", input="Sáng 24/4, UBND huyện có 1.015 hộ.\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ("Sáng ngày hai mươi tư tháng tư, ủy ban nhân dân huyện có "
                                   "một nghìn không trăm mười lăm hộ.")


def test_cli_station_lexicon_problems_are_warnings(tmp_path: Path) -> None:
    lex = tmp_path / "tu-viet-tat.txt"
    lex.write_text("TT = trung tâm\nkhông có dấu bằng\n", encoding="utf-8")
    done = run_cli("normalize", "--dialect", "south", "--lexicon", str(lex),
                   input="TT Nghèn có 1.015 hộ\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Trung tâm Nghèn có một ngàn không trăm mười lăm hộ"
    assert "line 2" in done.stderr


def test_cli_unreadable_lexicon_is_one_line_error(tmp_path: Path) -> None:
    done = run_cli("normalize", "--lexicon", str(tmp_path / "missing.txt"), input="x\n")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "cannot read lexicon" in done.stderr


def test_benchmark_script_runs(capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "argv", ["bench_normalize.py", "--sentences", "50", "--repeat", "1"])
    try:
        runpy.run_path(str(REPO / "bench" / "bench_normalize.py"), run_name="__main__")
    except SystemExit as exc:
        assert exc.code == 0
    assert "sentences/s" in capsys.readouterr().out
