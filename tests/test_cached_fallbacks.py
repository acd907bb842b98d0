"""Cached fallbacks: an unchanged offline rebuild asks no engine and encodes nothing, and the
preferred engine, probed once per build, speaks again as soon as it answers."""

from __future__ import annotations

import json
from pathlib import Path

from helpers.cli import cli_env, run_cli
from helpers.station import make_station
from helpers.fake_google import speaking_google
from helpers.netfaults import proxy_env, refused_port


def build(config: Path, env: dict[str, str]) -> dict:
    done = run_cli("build", "--config", str(config), "--date", "2026-11-26", env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(Path(done.stdout.strip().splitlines()[-1]).with_suffix(".json").read_text("utf-8"))


def engines_heard(rundown: dict) -> set[str]:
    return {s["engine"] for s in rundown["segments"] if s["kind"] == "speech"}


def test_an_unchanged_offline_rebuild_calls_no_engine_and_reencodes_nothing(tmp_path: Path) -> None:
    config = make_station(tmp_path, engines='["gtts", "espeak-ng"]')
    offline = cli_env(**proxy_env(refused_port()))
    first = build(config, offline)
    assert engines_heard(first) == {"espeak-ng"}
    assert first["render"]["engine_calls"] > 0

    again = build(config, offline)
    render = again["render"]
    assert render["engine_calls"] == 0, render
    assert render["pieces_from_cache"] == render["pieces"], render
    assert render["engine_probes"] == 1, "gTTS is probed once per build, not once per piece"
    assert engines_heard(again) == {"espeak-ng"}
    assert any("gtts" in w and "switched off" in w for w in again["warnings"])


def test_the_preferred_engine_speaks_again_once_it_answers(tmp_path: Path) -> None:
    # Requests unspaced: tests/test_online_engines.py measures the spacing.
    config = make_station(tmp_path, engines='["gtts", "espeak-ng"]', audio={"online_min_interval": 0})
    offline = build(config, cli_env(**proxy_env(refused_port())))
    assert engines_heard(offline) == {"espeak-ng"}

    with speaking_google(tmp_path) as google:
        online = build(config, cli_env(**proxy_env(google["port"])))
        assert google["requests"] > 1
    assert engines_heard(online) == {"gtts"}
    assert online["render"]["engine_probes"] == 1
    assert online["render"]["pieces_from_cache"] == 0

    # gTTS answered: its own pieces are cached like any others, and no probe is needed.
    with speaking_google(tmp_path) as google:
        cached = build(config, cli_env(**proxy_env(google["port"])))
        assert google["requests"] == 0
    assert cached["render"]["engine_calls"] == 0 and cached["render"]["engine_probes"] == 0
    assert cached["render"]["pieces_from_cache"] == cached["render"]["pieces"]
