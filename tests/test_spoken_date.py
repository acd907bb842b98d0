"""The date in the station identification is spoken in words (golden cases in data/)."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers.cli import run_cli
from helpers.paths import DATA
from radio_gen.text import spoken_date


def _cases() -> list[tuple[str, list[str]]]:
    rows = []
    for line in (DATA / "spoken_dates.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            iso, expected = line.split("\t")
            rows.append((iso, [e.strip() for e in expected.split(" | ")]))
    return rows


@pytest.mark.parametrize("iso, readings", _cases())
def test_spoken_date(iso: str, readings: list[str]) -> None:
    assert spoken_date(dt.date.fromisoformat(iso)) in readings


def test_opening_says_the_program_date_in_words(station) -> None:
    done = run_cli("script", "--config", str(station), "--date", "2027-04-14")
    assert done.returncode == 0, done.stderr
    assert ("Hôm nay, thứ Tư, ngày mười bốn tháng tư năm hai nghìn không trăm hai mươi bảy."
            in done.stdout)
