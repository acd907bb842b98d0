"""Installing and listing Piper voices: the only place radio-gen downloads anything.

Voices are published as `{base}/{family}/{lang}/{name}/{quality}/{voice}.onnx` (and
`.onnx.json`), the layout of rhasspy/piper-voices, whose `voices.json` catalog gives
each file's size and MD5. Both files are downloaded to temporary names in the voices
folder, checked (size, MD5 from the catalog, SHA-256 when the operator gives it, a
readable config), and only then renamed into place: an interrupted download or a wrong
checksum installs nothing.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from radio_gen.atomic import replacing
from radio_gen.errors import RadioGenError
from radio_gen.tts.engines.piper import (CONFIG_SUFFIX, MODEL_SUFFIX, PiperVoiceError, PiperVoiceInfo,
                                         parse_voice_config, read_voice_info)

VOICE_NAME = re.compile(r"^(?P<family>[a-z]{2,3})_(?P<region>[A-Z]{2})-(?P<speaker>[A-Za-z0-9_]+)-"
                        r"(?P<quality>x_low|low|medium|high)$")
#: No published Piper voice is near this; a larger answer is not a voice.
MAX_MODEL_BYTES = 400 * 1024 * 1024
MAX_CONFIG_BYTES = 2 * 1024 * 1024
CHUNK = 256 * 1024


class VoiceInstallError(RadioGenError):
    """A voice could not be downloaded or verified; nothing was installed."""


@dataclass(frozen=True)
class Expected:
    """What a downloaded file must be, where known."""

    size: int | None = None
    md5: str | None = None
    sha256: str | None = None


@dataclass(frozen=True)
class InstalledVoice:
    """A voice in the voices folder, or why it cannot be used."""

    name: str
    info: PiperVoiceInfo | None
    problem: str | None = None


def voice_urls(name: str, base_url: str) -> tuple[str, str, str]:
    """The model URL, the config URL and the catalog key prefix of a published voice."""
    match = VOICE_NAME.match(name)
    if not match:
        raise VoiceInstallError(f"'{name}' is not a Piper voice name: expected language_REGION-name-quality, "
                                "e.g. vi_VN-vais1000-medium")
    family = match.group("family")
    relative = f"{family}/{family}_{match.group('region')}/{match.group('speaker')}/{match.group('quality')}/{name}"
    base = base_url.rstrip("/")
    return f"{base}/{relative}{MODEL_SUFFIX}", f"{base}/{relative}{CONFIG_SUFFIX}", relative


def catalog_entry(name: str, base_url: str, timeout: float) -> dict[str, Expected]:
    """Sizes and digests from `{base}/voices.json`, keyed by file suffix; {} when unavailable."""
    _, _, relative = voice_urls(name, base_url)
    try:
        with urllib.request.urlopen(f"{base_url.rstrip('/')}/voices.json", timeout=timeout) as response:
            catalog: Any = json.loads(response.read(32 * 1024 * 1024))
        files = catalog[name]["files"]
    except (OSError, ValueError, KeyError, TypeError, http.client.HTTPException):
        return {}
    expected: dict[str, Expected] = {}
    for suffix in (MODEL_SUFFIX, CONFIG_SUFFIX):
        entry = files.get(relative + suffix) if isinstance(files, dict) else None
        if isinstance(entry, dict):
            size = entry.get("size_bytes")
            expected[suffix] = Expected(size=size if isinstance(size, int) else None,
                                        md5=entry.get("md5_digest") or None,
                                        sha256=entry.get("sha256_digest") or None)
    return expected


def _download(url: str, temp: Path, expected: Expected, limit: int, timeout: float) -> None:
    """Stream `url` into `temp` (a temporary name, see `atomic.replacing`) and verify it."""
    md5, sha256, size = hashlib.md5(usedforsecurity=False), hashlib.sha256(), 0
    try:
        with open(temp, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as response:
            announced = response.headers.get("Content-Length")
            while chunk := response.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise VoiceInstallError(f"{url}: more than {limit // (1024 * 1024)} MB, not a voice file")
                md5.update(chunk)
                sha256.update(chunk)
                out.write(chunk)
        if announced is not None and announced.isdigit() and int(announced) != size:
            raise VoiceInstallError(f"{url}: download interrupted ({size} of {announced} bytes)")
        if expected.size is not None and size != expected.size:
            raise VoiceInstallError(f"{url}: got {size} bytes, the catalog says {expected.size}: "
                                    "interrupted or changed download")
        if expected.md5 and md5.hexdigest() != expected.md5.lower():
            raise VoiceInstallError(f"{url}: MD5 {md5.hexdigest()} does not match the catalog's {expected.md5}")
        if expected.sha256 and sha256.hexdigest() != expected.sha256.lower():
            raise VoiceInstallError(f"{url}: SHA-256 {sha256.hexdigest()} does not match the expected "
                                    f"{expected.sha256.lower()}")
        if size == 0:
            raise VoiceInstallError(f"{url}: the server sent an empty file")
    except urllib.error.HTTPError as exc:
        hint = " (no such voice at this address?)" if exc.code == 404 else ""
        raise VoiceInstallError(f"{url}: HTTP {exc.code} {exc.reason}{hint}") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        if isinstance(exc, http.client.IncompleteRead):
            reason = f"connection closed after {size} bytes"
        raise VoiceInstallError(f"{url}: download failed: {reason}") from None


def install_voice(name: str, voices_dir: Path, base_url: str, *, sha256: str | None = None,
                  force: bool = False, timeout: float = 30.0) -> PiperVoiceInfo:
    """Download, verify and install one voice; VoiceInstallError leaves the folder unchanged."""
    model_url, config_url, _ = voice_urls(name, base_url)
    if sha256 is not None and not re.fullmatch(r"[0-9a-fA-F]{64}", sha256):
        raise VoiceInstallError(f"--sha256 must be 64 hexadecimal digits, got {sha256!r}")
    model_path = voices_dir / f"{name}{MODEL_SUFFIX}"
    config_path = voices_dir / f"{name}{CONFIG_SUFFIX}"
    if not force and model_path.is_file() and config_path.is_file():
        raise VoiceInstallError(f"voice '{name}' is already installed in {voices_dir} "
                                "(add --force to download it again)")
    try:
        voices_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise VoiceInstallError(f"cannot create the voices folder {voices_dir}: {exc.strerror}") from None
    known = catalog_entry(name, base_url, timeout)
    model_expected = known.get(MODEL_SUFFIX, Expected())
    if sha256:
        model_expected = Expected(model_expected.size, model_expected.md5, sha256)
    # 0644: a voice installed by an administrator is read by the station's service account.
    # The inner block ends first: the model is renamed into place before the config, and a
    # voice counts as installed only with both files.
    with replacing(config_path, mode=0o644) as config_temp, replacing(model_path, mode=0o644) as model_temp:
        _download(config_url, config_temp, known.get(CONFIG_SUFFIX, Expected()), MAX_CONFIG_BYTES, timeout)
        _download(model_url, model_temp, model_expected, MAX_MODEL_BYTES, timeout)
        try:
            parse_voice_config(config_temp)
        except ValueError as exc:
            raise VoiceInstallError(f"{config_url} is not a Piper voice config ({exc}): nothing installed") from None
    return read_voice_info(model_path, config_path)


def installed_voices(voices_dir: Path) -> list[InstalledVoice]:
    """Every voice model in the folder, with its config or what is wrong with it."""
    if not voices_dir.is_dir():
        return []
    found = []
    for model in sorted(voices_dir.glob(f"*{MODEL_SUFFIX}")):
        name = model.name[: -len(MODEL_SUFFIX)]
        try:
            found.append(InstalledVoice(name, read_voice_info(model)))
        except PiperVoiceError as exc:
            found.append(InstalledVoice(name, None, str(exc)))
    return found
