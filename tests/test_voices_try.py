"""`radio-gen voices try`: a short sample of an announcer's voice, through the real CLI."""

from __future__ import annotations

from pathlib import Path

from helpers.audio_probe import probe
from helpers.cli import cli_env, run_cli
from helpers.station import make_station
from helpers.netfaults import proxy_env, refused_port
from helpers.tiny_piper_voice import write_voice

ANNOUNCERS = """
[voices.A]
engine = "piper"
voice = "vi_VN-tiny-x_low"

[voices.B]
engine = "espeak-ng"
region = "south"
"""


def test_try_writes_a_sample_with_the_announcers_voice(tmp_path: Path) -> None:
    station = make_station(tmp_path, extra=ANNOUNCERS)
    write_voice(tmp_path / "voices", "vi_VN-tiny-x_low")
    done = run_cli("voices", "try", "Xin chào bà con.", "--role", "A", "--config", str(station), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    sample = Path(done.stdout.strip())
    assert sample == tmp_path / "thu-giong-A.wav"
    stream = probe(sample)["streams"][0]
    assert (stream["codec_name"], int(stream["sample_rate"]), stream["channels"]) == ("pcm_s16le", 24000, 1)
    assert float(probe(sample)["format"]["duration"]) > 0.3
    assert "piper:vi_VN-tiny-x_low" in done.stderr
    assert sample.stat().st_mode & 0o044 == 0o044, "the sample is readable by other users"


def test_try_falls_back_and_says_so(tmp_path: Path) -> None:
    station = make_station(tmp_path, engines='["gtts", "espeak-ng"]', extra=ANNOUNCERS)
    out = tmp_path / "mau" / "a.wav"
    done = run_cli("voices", "try", "Sáng 24/4, xã họp.", "--role", "A", "--config", str(station),
                   "--out", str(out), env=cli_env(**proxy_env(refused_port())))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(out) and out.stat().st_size > 10_000
    assert "voices install vi_VN-tiny-x_low" in done.stderr and "espeak-ng:vi:150" in done.stderr
    assert [p.name for p in out.parent.iterdir()] == ["a.wav"]


def test_try_unknown_role_and_unwritable_output_are_one_line_errors(tmp_path: Path) -> None:
    station = make_station(tmp_path, extra=ANNOUNCERS)
    done = run_cli("voices", "try", "Xin chào.", "--role", "C", "--config", str(station))
    assert done.returncode == 1 and "no announcer 'C'" in done.stderr and "A, B" in done.stderr
    blocker = tmp_path / "file"
    blocker.write_text("x")
    done = run_cli("voices", "try", "Xin chào.", "--role", "B", "--config", str(station),
                   "--out", str(blocker / "a.wav"))
    assert done.returncode == 1 and "cannot write the sample" in done.stderr
    assert "Traceback" not in done.stderr and done.stderr.strip().splitlines()[-1].startswith("radio-gen: error:")
