"""Announcer roles: config, the voice() directive, one chain per role, and whole builds."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from helpers.cli import cli_env, run_cli
from helpers.paths import DATA
from helpers.station import make_station, station_toml
from helpers.netfaults import proxy_env, refused_port
from radio_gen.build import BuildRequest, prepare
from radio_gen.config import ConfigError, load_config
from radio_gen.script import Speech, parse_segments, compose_script
from radio_gen.tts.roles import Announcers, UnknownRole, chain_engines
from helpers.tiny_piper_voice import write_voice

TWO_ANNOUNCERS = """
[voices.A]
engine = "piper"
voice = "vi_VN-tiny-x_low"
rate = 1.1

[voices.B]
engine = "espeak-ng"
region = "south"
rate = 0.9
pitch = -10
"""


def _error_cases() -> list[tuple[str, str, str]]:
    rows = (DATA / "voice_role_errors.tsv").read_text(encoding="utf-8").splitlines()
    return [tuple(r.split("\t")) for r in rows if r.strip() and not r.startswith("#")]  # type: ignore[misc]


@pytest.mark.parametrize("snippet, key, problem", _error_cases())
def test_voice_role_errors_name_file_key_and_problem(tmp_path: Path, snippet: str, key: str, problem: str) -> None:
    path = tmp_path / "station.toml"
    path.write_text(station_toml() + snippet.replace("\\n", "\n"), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert str(path) in message and f"'{key}'" in message and problem in message


def test_piper_voice_path_is_relative_to_the_station_folder(tmp_path: Path) -> None:
    extra = '[voices.A]\nengine = "piper"\nvoice = "giong/vi_VN-tiny-x_low.onnx"\n'
    config = load_config(make_station(tmp_path, extra=extra))
    assert config.voices.roles[0].voice == str(tmp_path / "giong" / "vi_VN-tiny-x_low.onnx")
    write_voice(tmp_path / "giong", "vi_VN-tiny-x_low")
    engine = chain_engines(config, config.voices.roles[0])[0]
    assert engine.check() is None and engine.voice_id == "piper:vi_VN-tiny-x_low:1"


def test_roles_parse_with_defaults_and_station_region(tmp_path: Path) -> None:
    config = load_config(make_station(tmp_path, engines='["gtts", "espeak-ng"]',
                                      extra=TWO_ANNOUNCERS).parent / "station.toml")
    a, b = config.voices.roles
    assert (a.name, a.engine, a.voice, a.rate, a.fallback) == ("A", "piper", "vi_VN-tiny-x_low", 1.1, None)
    assert (b.name, b.region, b.pitch) == ("B", "south", -10)
    ids = {r.name: [e.voice_id for e in chain_engines(config, r)] for r in config.voices.roles}
    assert ids["A"] == ["piper:vi_VN-tiny-x_low:1.1", "gtts:vi:com.vn", "espeak-ng:vi:165"]
    assert ids["B"] == ["espeak-ng:vi-vn-x-south:135:p40"]


@pytest.mark.parametrize("station_region, role_region, variant", [
    (None, None, "vi"), ("central", None, "vi-vn-x-central"), ("south", None, "vi-vn-x-south"),
    ("south", "north", "vi"),
])
def test_espeak_fallback_matches_the_region(tmp_path: Path, station_region: str | None, role_region: str | None,
                                            variant: str) -> None:
    extra = '[voices.A]\nengine = "edge-tts"\nvoice = "vi-VN-NamMinhNeural"\nfallback = []\n'
    if role_region:
        extra += f'region = "{role_region}"\n'
    path = make_station(tmp_path, extra=extra)
    if station_region:
        text = path.read_text(encoding="utf-8").replace("[station]", f'[station]\nregion = "{station_region}"')
        path.write_text(text, encoding="utf-8")
    config = load_config(path)
    engines = chain_engines(config, config.voices.roles[0])
    assert [e.name for e in engines] == ["edge-tts", "espeak-ng"]
    assert engines[0].voice_id.startswith("edge-tts:vi-VN-NamMinhNeural")
    assert engines[-1].voice == variant


def test_voice_directive_sets_the_role_and_an_item_scopes_it() -> None:
    text = ("Mở đầu.\x1evoice:B\x1eLời B.\x1eitem:x1\x1e\x1evoice:A\x1eTin do A đọc.\n\nĐoạn hai.\x1eitem:\x1e"
            "Kết, lại là B.")
    roles = [(s.text, s.role) for s in parse_segments(text) if isinstance(s, Speech)]
    assert roles == [("Mở đầu.", None), ("Lời B.", "B"), ("Tin do A đọc.", "A"), ("Đoạn hai.", "A"),
                     ("Kết, lại là B.", "B")]


def test_default_templates_alternate_two_announcers_by_item(tmp_path: Path) -> None:
    articles = {f"{n}.txt": f"Tin số {n}\n\nNội dung tin số {n}." for n in range(1, 5)}
    config = load_config(make_station(tmp_path, articles=articles, extra=TWO_ANNOUNCERS))
    script = prepare(config, BuildRequest(date=dt.date(2026, 11, 26))).script
    by_item = {}
    for s in script.speech():
        if s.article_id:
            by_item.setdefault(s.article_id, set()).add(s.role)
    order = [a.id for a in script.articles]
    assert [by_item[i] for i in order] == [{"A"}, {"B"}, {"A"}, {"B"}]
    assert all(s.role is None for s in script.speech() if not s.article_id), "opening/closing: the first announcer"


def test_template_naming_an_unknown_announcer_is_a_clear_error(tmp_path: Path) -> None:
    path = make_station(tmp_path, extra=TWO_ANNOUNCERS)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "closing.j2").write_text('{{ voice("C") }}Hết.\n', encoding="utf-8")
    done = run_cli("script", "--config", str(path))
    assert done.returncode == 1
    assert "closing.j2, line 1" in done.stderr and "voice('C'): no such announcer (announcers: A, B)" in done.stderr
    assert "Traceback" not in done.stderr


def test_unknown_role_in_chain_for(tmp_path: Path) -> None:
    announcers = Announcers(load_config(make_station(tmp_path, extra=TWO_ANNOUNCERS)))
    assert announcers.chain_for(Speech("x")) is announcers.chain_for_role("A")
    with pytest.raises(UnknownRole, match="no announcer 'C'.*A, B"):
        announcers.chain_for(Speech("x", role="C"))


def _build(tmp_path: Path, extra: str, env: dict[str, str] | None = None) -> dict:
    articles = {f"{n}.txt": f"Tin số {n}\n\nNội dung ngắn của tin số {n}." for n in range(1, 5)}
    path = make_station(tmp_path, engines='["gtts", "espeak-ng"]', articles=articles, extra=extra)
    done = run_cli("build", "--config", str(path), "--date", "2026-11-26",
                   env=env or cli_env(**proxy_env(refused_port())), timeout=120)
    assert done.returncode == 0, done.stderr
    mp3 = Path(done.stdout.strip().splitlines()[-1])
    return json.loads(mp3.with_suffix(".json").read_text(encoding="utf-8"))


def _item_voices(rundown: dict) -> list[tuple[str, str]]:
    """(role, voice) of each news item's first speech segment, in program order."""
    seen: dict[str, tuple[str, str]] = {}
    for s in rundown["segments"]:
        if s["kind"] == "speech" and s.get("article_id") and s["article_id"] not in seen:
            seen[s["article_id"]] = (s["role"], s["voice"])
    return list(seen.values())


def test_two_announcers_alternate_in_the_rundown(tmp_path: Path) -> None:
    write_voice(tmp_path / "voices", "vi_VN-tiny-x_low")
    rundown = _build(tmp_path, TWO_ANNOUNCERS)
    assert _item_voices(rundown) == [("A", "piper:vi_VN-tiny-x_low:1.1"), ("B", "espeak-ng:vi-vn-x-south:135:p40")] * 2
    speech = [s for s in rundown["segments"] if s["kind"] == "speech"]
    assert speech[0]["role"] == "A" and speech[0]["engine"] == "piper"
    assert not any("fell back" in w for w in rundown["warnings"])


def test_each_announcer_falls_back_on_its_own_chain(tmp_path: Path) -> None:
    # A's piper voice is not installed: A falls back to gTTS (refused: offline), then to
    # espeak-ng in the station's region; B keeps its own southern espeak-ng voice.
    extra = TWO_ANNOUNCERS.replace("[voices.A]", "[voices.A]\nregion = \"central\"")
    rundown = _build(tmp_path, extra)
    assert _item_voices(rundown) == [("A", "espeak-ng:vi-vn-x-central:165"),
                                     ("B", "espeak-ng:vi-vn-x-south:135:p40")] * 2
    # Segments are spoken in parallel: whichever reached piper first says why it failed.
    a_failures = [f for s in rundown["segments"] if s.get("role") == "A" for f in s.get("fallbacks", [])]
    assert any("voices install vi_VN-tiny-x_low" in f for f in a_failures)
    assert any("engine piper (announcer A) was switched off" in w for w in rundown["warnings"])
    assert not any("announcer B" in w for w in rundown["warnings"])


def test_engine_override_keeps_each_announcers_region(tmp_path: Path) -> None:
    config = load_config(make_station(tmp_path, extra=TWO_ANNOUNCERS))
    announcers = Announcers(config, ("espeak-ng",))
    assert [e.voice_id for e in announcers.chain_for_role("A").engines] == ["espeak-ng:vi:165"]
    assert [e.voice_id for e in announcers.chain_for_role("B").engines] == ["espeak-ng:vi-vn-x-south:135:p40"]


def test_station_without_voices_keeps_one_chain_from_speech_engines(tmp_path: Path) -> None:
    config = load_config(make_station(tmp_path, engines='["gtts", "espeak-ng"]'))
    announcers = Announcers(config)
    assert announcers.roles == [] and announcers.role_of(Speech("x")) is None
    assert [e.name for e in announcers.chain_for(Speech("x")).engines] == ["gtts", "espeak-ng"]
    script = compose_script(config, config.programs[0], dt.date(2026, 11, 26), [])
    assert all(s.role is None for s in script.speech())


def test_doctor_reports_each_announcer(tmp_path: Path) -> None:
    station = make_station(tmp_path, extra=TWO_ANNOUNCERS)
    done = run_cli("doctor", "--config", str(station))
    assert "--  announcer A: piper voice 'vi_VN-tiny-x_low' is not installed" in done.stdout
    assert "radio-gen voices install vi_VN-tiny-x_low" in done.stdout
    assert "ok  announcer B: espeak-ng:vi-vn-x-south:135:p40 ready" in done.stdout
    write_voice(tmp_path / "voices", "vi_VN-tiny-x_low")
    done = run_cli("doctor", "--config", str(station))
    assert "ok  announcer A: piper:vi_VN-tiny-x_low:1.1 ready" in done.stdout


def test_piper_without_a_voice_is_refused_in_speech_engines_and_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "station.toml"
    path.write_text(station_toml(speech={"engines": ["piper", "espeak-ng"]}), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"'speech.engines': piper needs a voice.*\[voices.A\]"):
        load_config(path)
    station = make_station(tmp_path / "s")
    done = run_cli("build", "--config", str(station), "--engine", "piper,espeak-ng")
    assert done.returncode == 1 and "piper needs a voice" in done.stderr and "Traceback" not in done.stderr
