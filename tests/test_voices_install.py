"""`radio-gen voices install` against a real HTTP server on 127.0.0.1, and `voices list`."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from helpers.cli import run_cli
from helpers.station import station_toml
from radio_gen.tts.engines.piper import PiperEngine
from radio_gen.tts.piper_voices import VoiceInstallError, install_voice, installed_voices, voice_urls
from helpers.tiny_piper_voice import write_voice
from helpers.voice_server import Published, voice_server

#: The module's voice server: its base URL and the Published it serves from.
Server = tuple[str, Published]

NAME = "vi_VN-tiny-x_low"
PREFIX = "/piper-voices/resolve/main"
MODEL = f"{PREFIX}/vi/vi_VN/tiny/x_low/{NAME}.onnx"
CONFIG = MODEL + ".json"


@pytest.fixture(scope="module")
def voice_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    model = write_voice(tmp_path_factory.mktemp("published"), NAME)
    return model.read_bytes(), model.with_name(model.name + ".json").read_bytes()


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """One voice server for the module (each server takes half a second to shut down); a test
    puts its files in place with `serving`."""
    shared = Published()
    with voice_server(shared) as base:
        yield base, shared


@contextmanager
def serving(server: Server, published: Published) -> Iterator[str]:
    """The module's server publishes `published` (and records its requests) for the block."""
    base, shared = server
    shared.files, shared.cut_short, shared.requests = published.files, published.cut_short, published.requests
    try:
        yield base
    finally:
        shared.files, shared.cut_short, shared.requests = {}, set(), []


def _published(voice_files: tuple[bytes, bytes], catalog: bool = True) -> Published:
    model, config = voice_files
    files = {MODEL: model, CONFIG: config}
    if catalog:
        relative = MODEL[len(PREFIX) + 1:]
        files[f"{PREFIX}/voices.json"] = json.dumps({NAME: {"key": NAME, "files": {
            relative: {"size_bytes": len(model), "md5_digest": hashlib.md5(model).hexdigest()},
            relative + ".json": {"size_bytes": len(config), "md5_digest": hashlib.md5(config).hexdigest()},
        }}}).encode()
    return Published(files)


def _station(tmp_path: Path, extra: str = "") -> Path:
    station = tmp_path / "station.toml"
    station.write_text(station_toml(station={"name": "Đài Truyền thanh xã Thử", "dir": tmp_path / "state"},
                                    programs=[{"id": "sang", "broadcast": "05:30"}],
                                    articles=None, speech=None, output=None, extra=extra), encoding="utf-8")
    return station


def test_install_downloads_verifies_and_the_voice_speaks(
        server: Server, voice_files: tuple[bytes, bytes], tmp_path: Path) -> None:
    published = _published(voice_files)
    voices = tmp_path / "voices"
    with serving(server, published) as base:
        info = install_voice(NAME, voices, base, sha256=hashlib.sha256(voice_files[0]).hexdigest())
    assert info.model == voices / f"{NAME}.onnx" and info.language == "vi_VN"
    assert (voices / f"{NAME}.onnx").read_bytes() == voice_files[0]
    assert sorted(p.name for p in voices.iterdir()) == [f"{NAME}.onnx", f"{NAME}.onnx.json"]
    assert {MODEL, CONFIG, f"{PREFIX}/voices.json"} <= set(published.requests)
    PiperEngine(NAME, voices).synthesize("Xin chào.", tmp_path / "s.wav")
    assert (tmp_path / "s.wav").stat().st_size > 1000


def test_wrong_sha256_installs_nothing(server: Server, voice_files: tuple[bytes, bytes], tmp_path: Path) -> None:
    with serving(server, _published(voice_files)) as base:
        with pytest.raises(VoiceInstallError, match="SHA-256 .* does not match"):
            install_voice(NAME, tmp_path / "voices", base, sha256="0" * 64)
    assert list((tmp_path / "voices").iterdir()) == []


def test_file_that_differs_from_the_catalog_installs_nothing(
        server: Server, voice_files: tuple[bytes, bytes], tmp_path: Path) -> None:
    published = _published(voice_files)
    published.files[MODEL] = voice_files[0][:-1] + b"X"  # same size, other bytes
    with serving(server, published) as base:
        with pytest.raises(VoiceInstallError, match="MD5"):
            install_voice(NAME, tmp_path / "voices", base)
    assert list((tmp_path / "voices").iterdir()) == []


@pytest.mark.parametrize("catalog", [True, False], ids=["with-catalog", "without-catalog"])
def test_interrupted_download_installs_nothing(
        server: Server, voice_files: tuple[bytes, bytes], tmp_path: Path, catalog: bool) -> None:
    published = _published(voice_files, catalog)
    published.cut_short.add(MODEL)
    with serving(server, published) as base:
        with pytest.raises(VoiceInstallError, match="interrupted|connection closed"):
            install_voice(NAME, tmp_path / "voices", base)
    assert list((tmp_path / "voices").iterdir()) == []


def test_config_that_is_not_a_voice_config_installs_nothing(
        server: Server, voice_files: tuple[bytes, bytes], tmp_path: Path) -> None:
    published = _published(voice_files, catalog=False)
    published.files[CONFIG] = b"<html>Sign in to continue</html>"
    with serving(server, published) as base:
        with pytest.raises(VoiceInstallError, match="not a Piper voice config.*nothing installed"):
            install_voice(NAME, tmp_path / "voices", base)
    assert list((tmp_path / "voices").iterdir()) == []


def test_unknown_voice_and_bad_names(server: Server, voice_files: tuple[bytes, bytes], tmp_path: Path) -> None:
    with serving(server, _published(voice_files)) as base:
        with pytest.raises(VoiceInstallError, match="HTTP 404.*no such voice"):
            install_voice("vi_VN-nobody-medium", tmp_path / "voices", base)
    for bad in ("../../etc/passwd", "vais1000", "vi_VN-a/b-low"):
        with pytest.raises(VoiceInstallError, match="not a Piper voice name"):
            voice_urls(bad, "http://127.0.0.1")
    assert not any((tmp_path / "voices").iterdir())


def test_refused_connection_is_a_clear_error(tmp_path: Path) -> None:
    from helpers.netfaults import refused_port

    with pytest.raises(VoiceInstallError, match="download failed"):
        install_voice(NAME, tmp_path / "voices", f"http://127.0.0.1:{refused_port()}", timeout=5)


def test_cli_install_then_list_then_refuse_reinstall(
        server: Server, voice_files: tuple[bytes, bytes], tmp_path: Path) -> None:
    published = _published(voice_files)
    with serving(server, published) as base:
        station = _station(tmp_path, f'[voices]\ndownload_url = "{base}"\n')
        done = run_cli("voices", "install", NAME, "--config", str(station), timeout=60)
        assert done.returncode == 0, done.stderr
        installed = tmp_path / "state" / "voices" / f"{NAME}.onnx"
        assert done.stdout.strip().splitlines()[-1] == str(installed)
        again = run_cli("voices", "install", NAME, "--config", str(station), timeout=60)
        assert again.returncode == 1 and "already installed" in again.stderr and "--force" in again.stderr
        assert "Traceback" not in again.stderr
    write_voice(tmp_path / "state" / "voices", "en_US-tiny-x_low", language="en_US", espeak_voice="en-us")
    listing = run_cli("voices", "list", "--config", str(station))
    assert listing.returncode == 0, listing.stderr
    assert f"{NAME}: vi_VN, x_low quality" in listing.stdout
    assert "en_US-tiny-x_low: en_US" in listing.stdout and "not Vietnamese" in listing.stdout


def test_cli_wrong_checksum_is_one_line_and_nothing_installed(
        server: Server, voice_files: tuple[bytes, bytes], tmp_path: Path) -> None:
    with serving(server, _published(voice_files)) as base:
        done = run_cli("voices", "install", NAME, "--config", str(_station(tmp_path)), "--base-url", base,
                       "--sha256", "ab" * 32, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith("radio-gen: error: ") and "SHA-256" in done.stderr
    assert "Traceback" not in done.stderr
    assert installed_voices(tmp_path / "state" / "voices") == []
    assert not [p for p in (tmp_path / "state" / "voices").iterdir()]
