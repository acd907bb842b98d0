"""Alerts: a command, an e-mail over SMTP and a webhook hear of failed, degraded, missed and weak programs."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from helpers.alert_sinks import Inbox, smtp_sink, webhook_sink
from helpers.cli import cli_env, run_cli
from helpers.fast_build import warm_station
from helpers.station import make_station
from helpers.netfaults import black_hole, proxy_env, refused_port

#: A command channel: appends the JSON it reads on stdin to a file, one line per alert.
RECORDER = """\
import sys
with open(sys.argv[1], "a", encoding="utf-8") as out:
    out.write(sys.stdin.read().strip() + "\\n")
"""


#: gTTS asked without spacing and retried without real waits (tests/test_online_engines.py measures those).
UNSPACED = {"online_min_interval": 0, "online_backoff_seconds": 0.05}


def offline() -> dict[str, str]:
    """Online engines unreachable (a refused proxy); the alert servers on 127.0.0.1 stay reachable."""
    return {**proxy_env(refused_port()), "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}


def alerts_table(tmp_path: Path, *, webhook: str, smtp_port: int, timeout: float = 5, streak: int = 3) -> str:
    recorder = tmp_path / "recorder.py"
    recorder.write_text(RECORDER, encoding="utf-8")
    command = json.dumps([sys.executable, str(recorder), str(tmp_path / "commanded.jsonl")])
    return f"""
[alerts]
command = {command}
webhook = "{webhook}"
email_to = ["ky-thuat@example.vn"]
email_from = "radio@example.vn"
smtp_host = "127.0.0.1"
smtp_port = {smtp_port}
timeout_seconds = {timeout}
source_failures = {streak}
"""


def commanded(tmp_path: Path) -> list[dict]:
    path = tmp_path / "commanded.jsonl"
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()] if path.exists() else []


def test_a_degraded_program_alerts_on_every_channel(tmp_path: Path) -> None:
    inbox = Inbox()
    with smtp_sink(inbox) as port, webhook_sink(inbox) as url:
        config = warm_station(tmp_path, articles={}, extra=alerts_table(tmp_path, webhook=url, smtp_port=port))
        done = run_cli("build", "--config", str(config), "--date", "2026-11-26")
    assert done.returncode == 3, done.stderr
    by_command = commanded(tmp_path)
    assert [a["problem"] for a in by_command] == ["degraded"]
    assert [p["problem"] for p in inbox.posts] == ["degraded"]
    alert = inbox.posts[0]
    assert alert["station"] == "Đài Truyền thanh huyện Thử Nghiệm" and alert["program"] == "sang"
    assert alert["date"] == "2026-11-26" and "no news item" in alert["what"] and "articles" in alert["todo"]
    assert by_command[0] == alert
    [mail] = inbox.mails
    assert mail["To"] == "ky-thuat@example.vn" and "sang 2026-11-26: degraded" in mail["Subject"]
    body = mail.get_content()
    assert "Đài Truyền thanh huyện Thử Nghiệm" in body and "What to do:" in body


def test_a_failed_build_alerts_and_still_fails_cleanly(tmp_path: Path) -> None:
    inbox = Inbox()
    env = cli_env(RADIO_GEN_ESPEAK=str(tmp_path / "no-such-espeak"), **offline())
    with smtp_sink(inbox) as port, webhook_sink(inbox) as url:
        config = make_station(tmp_path, engines='["gtts", "espeak-ng"]', audio=UNSPACED,
                              extra=alerts_table(tmp_path, webhook=url, smtp_port=port))
        done = run_cli("build", "--config", str(config), "--date", "2026-11-26", env=env)
    assert done.returncode == 1, done.stderr
    assert [p["problem"] for p in inbox.posts] == ["failed"]
    assert "no speech could be synthesized" in inbox.posts[0]["what"]
    assert "radio-gen doctor" in inbox.posts[0]["todo"]
    assert len(inbox.mails) == 1 and [a["problem"] for a in commanded(tmp_path)] == ["failed"]


def test_fallback_voices_only_and_a_source_failing_runs_in_a_row_alert(tmp_path: Path) -> None:
    inbox = Inbox()
    env = cli_env(**offline())
    with smtp_sink(inbox) as port, webhook_sink(inbox) as url:
        config = make_station(tmp_path, engines='["gtts", "espeak-ng"]', audio=UNSPACED,
                              extra=alerts_table(tmp_path, webhook=url, smtp_port=port, streak=2))
        text = config.read_text("utf-8").replace('folders = ["articles"]', 'folders = ["articles", "gone"]')
        config.write_text(text, encoding="utf-8")
        first = run_cli("build", "--config", str(config), "--date", "2026-11-26", env=env)
        assert first.returncode == 0, first.stderr
        assert [p["problem"] for p in inbox.posts] == ["fallback-voices"]
        assert "espeak-ng" in inbox.posts[0]["what"]
        second = run_cli("build", "--config", str(config), "--date", "2026-11-26", env=env)
        assert second.returncode == 0, second.stderr
    problems = [p["problem"] for p in inbox.posts]
    assert problems == ["fallback-voices", "fallback-voices", "source-failing"]
    assert "failed in the last 2 runs in a row" in inbox.posts[-1]["what"]


def test_failing_channels_are_logged_and_bounded_and_never_fail_the_build(tmp_path: Path) -> None:
    with black_hole() as silent:
        config = warm_station(tmp_path, articles={}, extra=alerts_table(
            tmp_path, webhook=f"http://127.0.0.1:{silent}/x", smtp_port=refused_port(), timeout=1))
        (tmp_path / "recorder.py").write_text("import sys\nsys.exit(2)\n", encoding="utf-8")
        started = time.monotonic()
        done = run_cli("build", "--config", str(config), "--date", "2026-11-26")
        took = time.monotonic() - started
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    assert "alert channel webhook" in done.stderr and "alert channel email failed" in done.stderr
    assert "alert channel command failed" in done.stderr and "exited with status 2" in done.stderr
    assert took < 30, f"a silent webhook held the build {took:.0f} s"


@pytest.mark.process
def test_a_missed_program_alerts_from_the_daemon(tmp_path: Path) -> None:
    """The daemon starts after a broadcast passed unbuilt (the station ran the day before)."""
    import signal
    import subprocess

    inbox = Inbox()
    with smtp_sink(inbox) as port, webhook_sink(inbox) as url:
        config = make_station(tmp_path, extra=alerts_table(tmp_path, webhook=url, smtp_port=port))
        yesterday = run_cli("build", "--config", str(config), "--date", "2026-11-25",
                            env=cli_env(RADIO_GEN_NOW="2026-11-25T05:00:00+07:00"))
        assert yesterday.returncode == 0, yesterday.stderr
        # Today 05:30 has passed (with the default 30 min grace too); the daemon was not running.
        env = cli_env(RADIO_GEN_NOW="2026-11-26T09:00:00+07:00")
        daemon = subprocess.Popen([sys.executable, "-m", "radio_gen", "schedule", "--config", str(config)],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not inbox.posts:
                time.sleep(0.2)
        finally:
            daemon.send_signal(signal.SIGTERM)
            log = daemon.communicate(timeout=30)[0]
    assert [p["problem"] for p in inbox.posts] == ["missed"], log
    assert inbox.posts[0]["date"] == "2026-11-26" and "radio-gen schedule" in inbox.posts[0]["todo"]


def test_run_now_alerts_through_the_schedulers_path(tmp_path: Path) -> None:
    inbox = Inbox()
    with smtp_sink(inbox) as port, webhook_sink(inbox) as url:
        config = warm_station(tmp_path, articles={}, extra=alerts_table(tmp_path, webhook=url, smtp_port=port))
        done = run_cli("run-now", "sang", "--config", str(config), "--date", "2026-11-26")
    assert done.returncode == 3, done.stderr
    assert [p["problem"] for p in inbox.posts] == ["degraded"] and len(inbox.mails) == 1
    assert [a["problem"] for a in commanded(tmp_path)] == ["degraded"]
