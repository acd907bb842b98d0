"""Stations whose audio cache already holds their program: for tests that build a program to see what
happens around the audio (publication, the store, status, alerts, skipped files), not to hear it.

A cold build of even a short program costs about a second of CPU (espeak-ng, three ffmpeg encoders);
a build whose pieces are all in the cache costs a twentieth of that and publishes the same program
(tests/test_audio_cache.py guards that an unchanged rebuild makes the same file from the cache). The
first station with a given set of articles is built cold once per test process, in a folder of its
own; each `warm_station` then starts with a copy of that station's audio cache. The cache is keyed
by what is heard (texts, voices, clips, loudness and MP3 settings), so a station that differs in
anything audible simply misses it and builds those pieces as usual.

Not for tests of synthesis, encoding, loudness or the cache itself, nor for tests that break the
engines (a warm cache airs the program without asking them).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from helpers.cli import TEST_NOW, cli_env, run_cli
from helpers.station import SHORT_ARTICLES, make_station
from radio_gen import clock

#: Where the cold builds are kept, for the life of the test process.
_POOL: tempfile.TemporaryDirectory[str] | None = None
#: The audio cache folder of the cold build of each (articles, date).
_CACHES: dict[tuple[Any, ...], Path] = {}


def _cold_cache(articles: Mapping[str, str | bytes], date: str) -> Path:
    """The audio cache of the test station with `articles`, built cold for `date` (once per process)."""
    global _POOL
    key = (tuple(sorted(articles.items())), date)
    if key not in _CACHES:
        if _POOL is None:
            _POOL = tempfile.TemporaryDirectory(prefix="radio-gen-warm-")
            atexit.register(_POOL.cleanup)
        root = Path(_POOL.name) / str(len(_CACHES))
        # At the tests' moment whatever the calling test set: the same articles are recent enough.
        done = run_cli("build", "--config", str(make_station(root, articles=articles)), "--date", date,
                       env=cli_env(**{clock.ENV: TEST_NOW}))
        assert done.returncode in (0, 3), done.stderr   # 3: degraded (no articles), still built
        _CACHES[key] = root / "cache" / "audio"
    return _CACHES[key]


def warm_station(root: Path, *, articles: Mapping[str, str | bytes] | None = None, date: str = "2026-11-26",
                 **tables: Any) -> Path:
    """`make_station(root, articles=articles, **tables)` whose audio cache holds the pieces of the plain
    test station's program for `date` with the same articles: its station file."""
    articles = SHORT_ARTICLES if articles is None else articles
    config = make_station(root, articles=articles, **tables)
    shutil.copytree(_cold_cache(articles, date), root / "cache" / "audio")
    return config
