"""The newsroom reads a program's rundown as the typed Rundown the build wrote, and a damaged
rundown shows the program as not built (logged), never as an error page."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from helpers.station import make_station

from radio_gen.build import BuildRequest, build
from radio_gen.config import load_config
from radio_gen.newsroom import WAITING, Station, lines, read_rundown, sentence
from radio_gen.rundown import Rundown, SegmentKind

DAY = dt.date(2026, 11, 26)


def test_the_board_and_the_program_page_read_the_typed_rundown(tmp_path: Path,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    config = load_config(make_station(tmp_path))
    result = build(config, BuildRequest(date=DAY))
    rundown = read_rundown(result.paths.rundown)
    assert isinstance(rundown, Rundown) and rundown.to_json() == result.rundown.to_json()
    assert read_rundown(result.paths.rundown) is rundown, "parsed once per version of the file"

    shown = lines(rundown)
    assert [line.kind for line in shown] == [s.kind.value for s in rundown.segments]
    first_speech = next(line for line in shown if line.kind == SegmentKind.SPEECH)
    assert sentence(rundown, first_speech.index, 0) == (first_speech.sentences[0], first_speech.role)
    assert sentence(rundown, first_speech.index, 99) is None

    slot = Station(config).slot(config.programs[0], DAY)
    assert slot.rundown == rundown and slot.items == len(rundown.articles) == 2
    assert slot.duration == rundown.duration and slot.built_at == rundown.built_at and slot.failed_sources == []

    result.paths.rundown.write_text('{"station": "half a file"', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="radio_gen.newsroom"):
        assert read_rundown(result.paths.rundown) is None
    assert "not a readable rundown" in caplog.text
    assert Station(config).slot(config.programs[0], DAY).state == WAITING
