"""Cached fallbacks: an unchanged offline rebuild asks no engine and encodes nothing, and the
preferred engine, probed once per build, speaks again as soon as it answers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.cli import cli_env, run_cli, rundown_of
from helpers.station import make_station
from helpers.fake_google import speaking_google
from helpers.netfaults import proxy_env, refused_port


def build(config: Path, env: dict[str, str]) -> dict:
    done = run_cli("build", "--config", str(config), "--date", "2026-11-26", env=env)
    assert done.returncode == 0, done.stderr
    return rundown_of(done)


def engines_heard(rundown: dict) -> set[str]:
    return {s["engine"] for s in rundown["segments"] if s["kind"] == "speech"}


@pytest.fixture(scope="module")
def offline_station(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A station preferring gTTS, built once with gTTS unreachable: its folder and rundown. Requests
    unspaced and retried without real waits: tests/test_online_engines.py measures those."""
    root = tmp_path_factory.mktemp("offline")
    config = make_station(root, engines='["gtts", "espeak-ng"]',
                          audio={"online_min_interval": 0, "online_backoff_seconds": 0.05})
    return root, build(config, cli_env(**proxy_env(refused_port())))


def copy_of(offline_station: tuple[Path, dict], tmp_path: Path) -> Path:
    """The offline station's station file in a copy of its folder, cache and output included (not the
    store, which knows articles by their absolute paths: the copy's would be new ones)."""
    shutil.copytree(offline_station[0], tmp_path / "station", symlinks=True,
                    ignore=shutil.ignore_patterns("radio-gen.sqlite*"))
    return tmp_path / "station" / "station.toml"


def test_an_unchanged_offline_rebuild_calls_no_engine_and_reencodes_nothing(
        offline_station: tuple[Path, dict], tmp_path: Path) -> None:
    first = offline_station[1]
    assert engines_heard(first) == {"espeak-ng"}
    assert first["render"]["engine_calls"] > 0

    again = build(copy_of(offline_station, tmp_path), cli_env(**proxy_env(refused_port())))
    render = again["render"]
    assert render["engine_calls"] == 0, render
    assert render["pieces_from_cache"] == render["pieces"], render
    assert render["engine_probes"] == 1, "gTTS is probed once per build, not once per piece"
    assert engines_heard(again) == {"espeak-ng"}
    assert any("gtts" in w and "switched off" in w for w in again["warnings"])


def test_the_preferred_engine_speaks_again_once_it_answers(offline_station: tuple[Path, dict],
                                                            tmp_path: Path) -> None:
    assert engines_heard(offline_station[1]) == {"espeak-ng"}
    config = copy_of(offline_station, tmp_path)

    with speaking_google(tmp_path) as google:
        online = build(config, cli_env(**proxy_env(google["port"])))
        asked = google["requests"]
        assert asked > 1
        assert engines_heard(online) == {"gtts"}
        assert online["render"]["engine_probes"] == 1
        assert online["render"]["pieces_from_cache"] == 0

        # gTTS answered: its own pieces are cached like any others, and no probe is needed.
        cached = build(config, cli_env(**proxy_env(google["port"])))
        assert google["requests"] == asked, "Google is not asked again"
    assert cached["render"]["engine_calls"] == 0 and cached["render"]["engine_probes"] == 0
    assert cached["render"]["pieces_from_cache"] == cached["render"]["pieces"]
