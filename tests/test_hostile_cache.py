"""Special files in the audio cache and the clips folder: each is a damaged entry, made again.

A FIFO (hangs a reader), a link to /dev/zero (endless bytes), a 3 GiB sparse file (read
whole) and an index with a valid checksum but broken rundown data (KeyError) must cost
a cache miss, never a hang, the machine's memory or a traceback.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np
import pytest

from helpers.audio_probe import duration
from helpers.cli import run_cli, rundown_of
from helpers.fast_build import warm_station
from radio_gen.audio.cache import AudioCache, cache_key
from radio_gen.audio.loudness import Figures


def _plant(path: Path, kind: str) -> None:
    path.unlink(missing_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "sparse":
        with open(path, "wb") as handle:
            handle.truncate(3 << 30)
    elif kind == "folder":
        path.mkdir()


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "sparse", "folder"])
def test_a_special_segment_file_is_a_miss_and_is_removed(tmp_path: Path, kind: str) -> None:
    cache = AudioCache(tmp_path, 10 << 20)
    key = cache_key("pcm", "test")
    cache.put_segment(key, b"\0" * 100, Figures(None, 1.0, None, np.zeros(1)))
    path = cache._path("segments", key, ".pcm")
    _plant(path, kind)
    started = time.monotonic()
    assert cache.get_segment(key) is None
    assert time.monotonic() - started < 2
    assert kind == "folder" or not os.path.lexists(path), "the damaged entry is removed"
    assert cache.stats.corrupt == 1


@pytest.mark.parametrize("part, kind", [("mp3", "fifo"), ("mp3", "dev-zero"), ("mp3", "sparse"),
                                        ("json", "fifo"), ("json", "dev-zero"), ("json", "sparse")])
def test_a_special_piece_file_is_a_miss(tmp_path: Path, part: str, kind: str) -> None:
    cache = AudioCache(tmp_path / "cache", 10 << 20)
    key = cache_key("piece", "test")
    mp3 = tmp_path / "piece.mp3"
    mp3.write_bytes(b"\xff\xfb" * 500)
    cache.put_piece(key, mp3, {"seconds": 1.0})
    _plant(cache._path("pieces", key, f".{part}"), kind)
    started = time.monotonic()
    assert cache.get_piece(key) is None
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("meta", [None, [], "x", 3])
def test_an_index_with_a_valid_checksum_but_broken_meta_is_a_miss(tmp_path: Path, meta: object) -> None:
    cache = AudioCache(tmp_path / "cache", 10 << 20)
    key = cache_key("piece", "test")
    mp3 = tmp_path / "piece.mp3"
    mp3.write_bytes(b"\xff\xfb" * 500)
    cache.put_piece(key, mp3, {"seconds": 1.0})
    index = cache._path("pieces", key, ".json")
    record = json.loads(index.read_text("utf-8"))
    index.write_text(json.dumps({**record, "meta": meta}), "utf-8")
    assert cache.get_piece(key) is None


def test_a_build_over_a_sabotaged_cache_remakes_every_entry(tmp_path: Path) -> None:
    config = warm_station(tmp_path)   # its cache holds every entry
    first = run_cli("build", "--config", str(config), "--date", "2026-11-26")
    assert first.returncode == 0, first.stderr
    mp3 = Path(first.stdout.strip().splitlines()[-1])
    full = duration(mp3)
    root = tmp_path / "cache" / "audio"
    segments = sorted((root / "segments").glob("*/*.pcm"))
    indexes = sorted((root / "pieces").glob("*/*.json"))
    assert segments and indexes
    for n, path in enumerate(segments):
        _plant(path, ("fifo", "dev-zero", "sparse")[n % 3])
    for path in indexes:   # a valid checksum of the MP3, rundown data that is not what a build wrote
        record = json.loads(path.read_text("utf-8"))
        path.write_text(json.dumps({**record, "meta": {"seconds": "x"}}), "utf-8")
    started = time.monotonic()
    again = run_cli("build", "--config", str(config), "--date", "2026-11-26", timeout=240)
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    assert time.monotonic() - started < 180
    assert abs(duration(mp3) - full) < 0.5


@pytest.mark.parametrize("kind", ["fifo", "outside link", "dev-zero"])
def test_a_special_clip_file_is_refused_and_the_program_airs(tmp_path: Path, kind: str) -> None:
    # Speech comes from the copied cache; the clip is looked for (and refused) in every build.
    config = warm_station(tmp_path)
    clips = tmp_path / "clips"
    clips.mkdir()
    clip = clips / "stinger.mp3"
    if kind == "fifo":
        os.mkfifo(clip)
    elif kind == "dev-zero":
        clip.symlink_to("/dev/zero")
    else:
        outside = tmp_path / "private.mp3"
        outside.write_bytes(b"not for the air")
        clip.symlink_to(outside)
    started = time.monotonic()
    done = run_cli("build", "--config", str(config), "--date", "2026-11-26", timeout=180)
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 150
    rundown = rundown_of(done)
    assert any(s.get("clip") == "stinger" for s in rundown["segments"]), "the built-in stinger plays instead"
