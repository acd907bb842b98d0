"""The typed rundown and the one intake path: what the build hands on, and what --articles reads."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from helpers.cli import ARTICLE_MTIME
from helpers.fast_build import warm_station
from helpers.station import make_station

from radio_gen.build import BuildRequest, build, prepare
from radio_gen.config import load_config
from radio_gen.history import Outcome
from radio_gen.rundown import Rundown, SegmentKind
from radio_gen.script import Speech

DAY = dt.date(2026, 11, 26)


def test_the_rundown_on_disk_reads_back_to_the_value_the_build_returned(tmp_path: Path) -> None:
    config = load_config(warm_station(tmp_path))
    result = build(config, BuildRequest(date=DAY))
    on_disk = json.loads(result.paths.rundown.read_text("utf-8"))
    assert result.rundown.to_json() == on_disk
    again = Rundown.from_json(on_disk)
    assert again.to_json() == on_disk
    assert again.outcome is Outcome.OK and again.date == DAY and again.latest is True
    assert [s.kind for s in again.segments][0] is SegmentKind.CLIP
    speech = [s for s in again.segments if s.kind is SegmentKind.SPEECH]
    assert speech and all(s.engine == "espeak-ng" and s.lufs is not None for s in speech)
    assert {a.id for a in again.articles} == {s.article_id for s in speech} - {None}
    assert again.render.pieces >= 3 and again.loudness.target_lufs == config.audio.target_lufs
    # The file keeps the keys it always had, in the same order.
    assert list(on_disk) == ["station", "program", "title", "date", "built_at", "mp3", "duration", "articles",
                             "segments", "warnings", "sources", "failed_sources", "outcome", "latest", "loudness",
                             "render"]


def test_prepared_speech_carries_its_spoken_text(tmp_path: Path) -> None:
    articles = {"a.txt": "Xã làm đường\n\nXã đã làm 15 km đường bê tông."}
    prepared = prepare(load_config(make_station(tmp_path, articles=articles)), BuildRequest(date=DAY))
    speech = prepared.script.speech()
    assert speech and all(isinstance(s, Speech) and s.spoken is not None for s in speech)
    item = [s for s in speech if s.article_id]
    assert any("mười lăm ki lô mét" in (s.spoken or "") for s in item)
    assert all("15 km" in s.text for s in item if "đường bê tông" in s.text)


def test_articles_from_the_command_line_go_through_the_stations_intake_without_touching_its_store(
        tmp_path: Path) -> None:
    config = load_config(make_station(tmp_path))
    folder = tmp_path / "by-hand"
    folder.mkdir()
    story = "Tin đột xuất\n\nMưa lớn làm ngập đường liên xã, xã đã cử người trực."
    for name in ("one.txt", "copy.txt"):               # the same story twice: one article
        (folder / name).write_text(story, encoding="utf-8")
        os.utime(folder / name, (ARTICLE_MTIME, ARTICLE_MTIME))
    (folder / "fresh.txt").write_text("Tin vừa gửi\n\nBản tin gửi ngay trước khi dựng.", encoding="utf-8")
    long_ago = tmp_path / "by-hand" / "old.txt"         # dated long before: named by hand, it still airs
    long_ago.write_text("Tin cũ\n\nNgày 01/01/2020, xã khánh thành trạm y tế.", encoding="utf-8")
    os.utime(long_ago, (ARTICLE_MTIME - 400 * 86400,) * 2)

    prepared = prepare(config, BuildRequest(date=DAY, articles_dirs=(folder,)))
    titles = sorted(a.title for a in prepared.script.articles)
    assert titles == ["Tin cũ", "Tin vừa gửi", "Tin đột xuất"], prepared.warnings
    assert prepared.sources is None                     # nothing to record: the station's memory is not used
    assert not config.store_path.exists()

    missing = prepare(config, BuildRequest(date=DAY, articles_dirs=(tmp_path / "nowhere",)))
    assert any(w.startswith("source folder:") and "does not exist" in w for w in missing.warnings)
    assert not missing.script.articles
