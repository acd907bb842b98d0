"""Issue 18 (the lexicon's part): parsing a lexicon is linear in its size, and a
lexicon path that is not a regular file (a FIFO, a device, a folder) is refused
at once with a clear error instead of hanging the build."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from helpers.cli import run_cli
from helpers.timing import best_seconds
from radio_gen.text import Lexicon, LexiconError
from radio_gen.text.abbreviations import parse_lexicon


def _parse_seconds(text: str) -> float:
    return best_seconds(lambda: parse_lexicon(text))


@pytest.mark.parametrize("shape", [
    "A{spaces}= b",           # a run of spaces before "=" (25 s for 100k spaces before the fix)
    "A ={spaces}b",
    "A{spaces}b",             # no "=" at all
    "A = b{spaces}= c",       # two "="
    "#{spaces}x",
])
def test_parsing_time_grows_linearly(shape: str) -> None:
    n = 50_000
    times = [_parse_seconds(shape.format(spaces=" " * (n * k))) for k in (1, 2, 4)]
    assert times[2] < 0.5, times
    # 4x the input may cost at most ~8x the time (linear with generous noise), never 16x
    assert times[2] <= max(8 * times[0], 0.02), times


def test_long_line_still_reports_a_problem_briefly() -> None:
    entries, problems = parse_lexicon("A" + " " * 100_000 + "b\nUBND = ủy ban nhân dân\n")
    assert entries == [("UBND", "ủy ban nhân dân")]
    assert len(problems) == 1 and "line 1" in problems[0] and len(problems[0]) < 200


def _from_file_within(path: Path, seconds: float) -> BaseException | Lexicon:
    result: list[BaseException | Lexicon] = []

    def run() -> None:
        try:
            result.append(Lexicon.from_file(path))
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            result.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert result, f"Lexicon.from_file({path}) still blocked after {seconds} s"
    return result[0]


def test_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "tu-viet-tat.txt"
    os.mkfifo(fifo)
    outcome = _from_file_within(fifo, 5)
    assert isinstance(outcome, LexiconError)
    assert "not a regular file" in str(outcome)


@pytest.mark.parametrize("target", ["/dev/zero", "folder"])
def test_devices_and_folders_are_refused(tmp_path: Path, target: str) -> None:
    path = Path(target) if target.startswith("/") else tmp_path
    outcome = _from_file_within(path, 5)
    assert isinstance(outcome, LexiconError)


def test_symlink_to_a_regular_file_is_read(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("XYZ = ích y dét\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    assert Lexicon.from_file(link)["XYZ"] == "ích y dét"


def test_cli_with_a_fifo_lexicon_is_a_one_line_error(tmp_path: Path) -> None:
    fifo = tmp_path / "lex.fifo"
    os.mkfifo(fifo)
    start = time.monotonic()
    done = run_cli("normalize", "--lexicon", str(fifo), input="UBND\n", timeout=30)
    assert time.monotonic() - start < 20
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "not a regular file" in done.stderr


def test_lexicon_txt_in_the_station_folder_is_read_by_builds_without_a_setting(tmp_path: Path) -> None:
    """The newsroom's Phát âm page writes lexicon.txt: a build must use it with no [text] lexicon."""
    from helpers.cli import run_cli
    from helpers.station import make_station

    config = make_station(tmp_path, articles={"a.txt": "Xã ra quân\n\nHTXDV xã ra quân làm đường."})
    before = run_cli("script", "--config", str(config), "--date", "2026-11-26")
    assert before.returncode == 0, before.stderr
    assert "hợp tác xã dịch vụ" not in before.stdout.lower()
    (tmp_path / "lexicon.txt").write_text("HTXDV = hợp tác xã dịch vụ\n", encoding="utf-8")
    after = run_cli("script", "--config", str(config), "--date", "2026-11-26")
    assert after.returncode == 0, after.stderr
    assert "hợp tác xã dịch vụ xã ra quân" in after.stdout.lower()
