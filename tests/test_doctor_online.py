"""`doctor` asks each online engine for real, with one short request bounded by its timeout."""

from __future__ import annotations

import time
from pathlib import Path

from helpers.cli import cli_env, run_cli
from helpers.station import make_station
from helpers.fake_google import speaking_google
from helpers.netfaults import black_hole, proxy_env, refused_port


def engine_line(output: str, name: str) -> str:
    return next(line for line in output.splitlines() if f"engine {name}:" in line)


def test_doctor_says_gtts_is_unreachable_without_network(tmp_path: Path) -> None:
    config = make_station(tmp_path, engines='["gtts", "espeak-ng"]')
    done = run_cli("doctor", "--config", str(config), env=cli_env(**proxy_env(refused_port())))
    assert done.returncode == 0, done.stdout + done.stderr  # espeak-ng still speaks: not a required failure
    line = engine_line(done.stdout, "gtts")
    assert line.startswith("--") and "unreachable" in line and "fall back" in line
    assert engine_line(done.stdout, "espeak-ng").startswith("ok")


def test_doctor_gives_up_on_a_silent_network_within_the_timeout(tmp_path: Path) -> None:
    config = make_station(tmp_path, engines='["gtts", "espeak-ng"]',
                          extra="")
    config.write_text(config.read_text("utf-8").replace('engines = ["gtts", "espeak-ng"]',
                                                        'engines = ["gtts", "espeak-ng"]\ngtts_timeout = 0.5'),
                      encoding="utf-8")
    with black_hole() as port:
        started = time.monotonic()
        done = run_cli("doctor", "--config", str(config), env=cli_env(**proxy_env(port)))
        took = time.monotonic() - started
    assert "unreachable" in engine_line(done.stdout, "gtts")
    assert took < 20, f"doctor waited {took:.0f} s on a silent network"


def test_doctor_says_ok_when_the_endpoint_answers(tmp_path: Path) -> None:
    config = make_station(tmp_path, engines='["gtts", "espeak-ng"]')
    with speaking_google(tmp_path) as google:
        done = run_cli("doctor", "--config", str(config), env=cli_env(**proxy_env(google["port"])))
        assert google["requests"] == 1
    line = engine_line(done.stdout, "gtts")
    assert line.startswith("ok") and "answered a short request" in line
