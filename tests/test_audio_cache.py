"""The segment cache: unchanged rebuilds ask no engine, damage is detected, the size is bounded."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from helpers.audio_probe import duration
from helpers.cli import cli_env, run_cli
from helpers.station import make_station

from radio_gen.audio.cache import AudioCache
from radio_gen.audio.loudness import Figures

ARTICLES = {
    "a.txt": "Huyện ra quân làm thủy lợi\n\nSáng nay, các xã ra quân nạo vét kênh mương. Hàng nghìn người tham gia.",
    "b.txt": "Xã hỗ trợ hộ nghèo\n\nXã đã trao quà cho các hộ nghèo trong thôn. "
             "Mỗi suất quà trị giá năm trăm nghìn đồng.",
    "c.txt": "Tiêm chủng cho trẻ\n\nTrạm y tế xã tiêm vắc-xin cho trẻ em vào sáng thứ Bảy.",
}


def counting_espeak(folder: Path) -> tuple[dict[str, str], Path]:
    """The real espeak-ng behind a script that logs each call: an engine call counter."""
    log = folder / "espeak-calls.log"
    script = folder / "espeak-counting"
    script.write_text(f"#!/bin/sh\necho call >> {log}\nexec {shutil.which('espeak-ng')} \"$@\"\n", "utf-8")
    script.chmod(0o755)
    return cli_env(RADIO_GEN_ESPEAK=str(script)), log


def calls(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def build(config: Path, env: dict[str, str]) -> tuple[Path, dict]:
    done = run_cli("build", "--config", str(config), "--date", "2026-11-26", env=env)
    assert done.returncode == 0, done.stderr
    mp3 = Path(done.stdout.strip().splitlines()[-1])
    return mp3, json.loads(mp3.with_suffix(".json").read_text("utf-8"))


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A station built once with a counting espeak-ng (its folder: config, articles, cache, output, call log),
    for the tests that rebuild a copy of it."""
    root = tmp_path_factory.mktemp("built-once")
    config = make_station(root, articles=ARTICLES)
    env, _ = counting_espeak(root)
    build(config, env)
    return root


def first_build(built_once: Path, tmp_path: Path) -> tuple[Path, dict[str, str], Path, Path, dict, int]:
    """A copy of the station built once, with its own counting espeak-ng: config, env, call log, mp3,
    rundown, calls. The station file names its folders relative to itself, so the copy builds in itself;
    the store is left behind (it knows articles by their absolute paths: the copy's would be new ones)."""
    station = tmp_path / "station"
    shutil.copytree(built_once, station, symlinks=True, ignore=shutil.ignore_patterns("radio-gen.sqlite*"))
    env, log = counting_espeak(station)
    mp3 = station / "out" / "2026-11-26" / "sang.mp3"
    return station / "station.toml", env, log, mp3, json.loads(mp3.with_suffix(".json").read_text("utf-8")), calls(log)


def test_unchanged_rebuild_asks_no_engine_and_makes_the_same_file(built_once: Path, tmp_path: Path) -> None:
    config, env, log, mp3, first, made = first_build(built_once, tmp_path)
    assert made == first["render"]["engine_calls"] > 0
    before = mp3.read_bytes()
    _, again = build(config, env)
    assert calls(log) == made, "a rebuild with unchanged text synthesizes nothing"
    assert again["render"]["engine_calls"] == 0
    assert again["render"]["pieces_from_cache"] == again["render"]["pieces"]
    assert mp3.read_bytes() == before
    assert again["segments"] == first["segments"]


def test_one_changed_article_remakes_only_its_piece(built_once: Path, tmp_path: Path) -> None:
    config, env, log, _, _, made = first_build(built_once, tmp_path)
    article = config.parent / "articles" / "b.txt"
    article.write_text(article.read_text("utf-8") + " Ban biên tập vừa bổ sung một câu.", "utf-8")
    mp3, again = build(config, env)
    assert again["render"]["pieces_from_cache"] == again["render"]["pieces"] - 1
    assert 0 < calls(log) - made <= 2, "only the changed paragraph is spoken again"
    assert "vừa bổ sung một câu" in mp3.with_suffix(".txt").read_text("utf-8")
    assert abs(duration(mp3) - again["duration"]) < 0.05


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def test_damaged_cache_files_are_detected_and_made_again(built_once: Path, tmp_path: Path) -> None:
    config, env, log, mp3, first, made = first_build(built_once, tmp_path)
    cache = config.parent / "cache" / "audio"
    pieces = sorted((cache / "pieces").rglob("*.mp3"))
    segments = sorted((cache / "segments").rglob("*.pcm"))
    for piece in pieces:
        _flip_a_byte(piece)
    _flip_a_byte(segments[0])
    segments[1].write_bytes(segments[1].read_bytes()[:100])      # cut short, as by a full disk
    mp3, again = build(config, env)
    assert again["render"]["cache_damaged"] == len(pieces) + 2
    assert calls(log) - made == 2, "exactly the two damaged segments are spoken again"
    assert again["render"]["pieces_from_cache"] == 0
    assert abs(duration(mp3) - again["duration"]) < 0.05
    assert [s["text"] for s in again["segments"] if s["kind"] == "speech"] == \
           [s["text"] for s in first["segments"] if s["kind"] == "speech"]
    _, third = build(config, env)
    assert third["render"]["cache_damaged"] == 0 and third["render"]["engine_calls"] == 0


def test_cache_stays_under_its_size_limit(tmp_path: Path) -> None:
    config = make_station(tmp_path, articles=ARTICLES, extra="\n[audio]\ncache_mb = 1\n")
    _, rundown = build(config, cli_env())
    files = [p for p in (tmp_path / "cache" / "audio").rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) <= 1024 * 1024
    assert rundown["render"]["cache_evicted"] > 0


def test_least_recently_used_entries_go_first(tmp_path: Path) -> None:
    cache = AudioCache(tmp_path, max_bytes=3 * 1150)     # an entry: 1000 bytes of PCM, its figures, a header
    for n, key in enumerate(["aa1", "bb2", "cc3", "dd4"]):
        cache.put_segment(key, bytes(1000), Figures(-23.0 - n, 1.5, None, np.zeros(0)))
        path = tmp_path / "segments" / key[:2] / f"{key}.pcm"
        os.utime(path, (time.time() - 100 + n, time.time() - 100 + n))
    assert cache.get_segment("aa1") is not None          # used just now: the newest
    assert cache.trim() == 1
    assert cache.get_segment("bb2") is None               # the least recently used went
    assert all(cache.get_segment(k) is not None for k in ("aa1", "cc3", "dd4"))


def test_unusable_cache_folder_does_not_stop_the_program(tmp_path: Path) -> None:
    config = make_station(tmp_path, articles=ARTICLES)
    (tmp_path / "cache").write_text("not a folder", "utf-8")
    mp3, rundown = build(config, cli_env())
    assert mp3.is_file() and rundown["duration"] > 10
    assert any("cache" in w and "goes on without" in w for w in rundown["warnings"])
