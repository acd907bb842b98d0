"""Piper: offline neural speech from a voice file the operator installed.

A Piper voice is two files: `NAME.onnx` (the model) and `NAME.onnx.json` (its config,
which names the language). A voice is given by name (looked up in the station's voices
folder) or by path. A voice that does not speak Vietnamese is refused: it would read a
Vietnamese program as garbage.
"""

from __future__ import annotations

import json
import os
import threading
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from radio_gen.atomic import replacing
from radio_gen.errors import RadioGenError
from radio_gen.tts.base import AnnouncerError, Engine, EngineError, EngineUnavailable, Voicing

MODEL_SUFFIX = ".onnx"
CONFIG_SUFFIX = ".onnx.json"


class PiperVoiceError(RadioGenError):
    """A Piper voice is missing, incomplete or unreadable."""


@dataclass(frozen=True)
class PiperVoiceInfo:
    """What a voice's `.onnx.json` says about it."""

    name: str
    model: Path
    config: Path
    language: str
    espeak_voice: str
    sample_rate: int
    quality: str | None
    size_bytes: int

    @property
    def is_vietnamese(self) -> bool:
        return _is_vietnamese(self.language) or (not self.language and _is_vietnamese(self.espeak_voice))


def _is_vietnamese(code: str) -> bool:
    return code.lower().replace("-", "_").split("_")[0] == "vi"


def voice_paths(voice: str, voices_dir: Path) -> tuple[Path, Path]:
    """Model and config paths for a voice name (in `voices_dir`) or a path to an .onnx file."""
    looks_like_path = voice.endswith(MODEL_SUFFIX) or "/" in voice or os.sep in voice
    model = Path(voice).expanduser() if looks_like_path else voices_dir / f"{voice}{MODEL_SUFFIX}"
    if looks_like_path and not model.is_absolute():
        model = model.resolve()
    return model, model.with_name(model.name + ".json")


def parse_voice_config(config: Path) -> tuple[str, str, int, str | None]:
    """Language code, espeak voice, sample rate and quality of a voice config; ValueError if unusable."""
    try:
        data: Any = json.loads(config.read_text(encoding="utf-8"))
        language = data["language"].get("code", "") if isinstance(data.get("language"), dict) else ""
        espeak_voice = str(data["espeak"]["voice"])
        sample_rate = int(data["audio"]["sample_rate"])
        quality = data["audio"].get("quality")
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"{type(exc).__name__}: {exc}") from None
    return str(language or ""), espeak_voice, sample_rate, str(quality) if quality else None


def _voice_name(model: Path) -> str:
    return model.name[: -len(MODEL_SUFFIX)] if model.name.endswith(MODEL_SUFFIX) else model.stem


def read_voice_info(model: Path, config: Path | None = None) -> PiperVoiceInfo:
    """Read a voice's config; PiperVoiceError says what is missing or broken."""
    config = config or model.with_name(model.name + ".json")
    name = _voice_name(model)
    if not model.is_file():
        raise PiperVoiceError(f"piper voice '{name}' is not installed ({model} is missing): "
                              f"run `radio-gen voices install {name}`")
    if not config.is_file():
        raise PiperVoiceError(f"piper voice '{name}' is incomplete: its config {config.name} is missing "
                              f"next to {model}; reinstall it with `radio-gen voices install {name} --force`")
    try:
        language, espeak_voice, sample_rate, quality = parse_voice_config(config)
    except ValueError as exc:
        raise PiperVoiceError(f"piper voice '{name}': {config} is not a Piper voice config ({exc})") from None
    return PiperVoiceInfo(name=name, model=model, config=config, language=language, espeak_voice=espeak_voice,
                          sample_rate=sample_rate, quality=quality, size_bytes=model.stat().st_size)


_loaded: dict[tuple[str, float], Any] = {}
_load_lock = threading.Lock()
#: Piper phonemizes through espeak-ng's library, whose voice and state are process-wide:
#: segments are synthesized on several threads, so one Piper synthesis at a time.
_synthesis_lock = threading.Lock()


def _load(info: PiperVoiceInfo) -> Any:
    """Load a voice once per process: a medium model takes about a second."""
    from piper import PiperVoice

    key = (str(info.model), info.model.stat().st_mtime)
    with _load_lock:
        if key not in _loaded:
            _loaded[key] = PiperVoice.load(info.model, config_path=info.config)
        return _loaded[key]


class PiperEngine(Engine):
    name = "piper"
    rank = 10
    suffix = ".wav"
    accepts = frozenset({"voice", "rate"})
    needs_voice = True

    @classmethod
    def from_voicing(cls, voicing: Voicing) -> PiperEngine:
        if not voicing.voice:
            raise AnnouncerError("piper needs a voice: name it in an announcer table, e.g. [voices.A] "
                                 "engine = \"piper\" voice = \"vi_VN-vais1000-medium\"")
        return cls(voicing.voice, voicing.voices_dir, rate=voicing.rate)

    @classmethod
    def voice_problem(cls, voice: str | None) -> str | None:
        if voice is None:
            return ("piper needs a voice: a name like \"vi_VN-vais1000-medium\" (see `radio-gen voices list`) "
                    "or a path to an .onnx file")
        return None

    @classmethod
    def voice_is_path(cls, voice: str) -> bool:
        return voice.endswith(MODEL_SUFFIX) or "/" in voice

    def __init__(self, voice: str, voices_dir: Path, rate: float = 1.0) -> None:
        self.voice, self.voices_dir, self.rate = voice, voices_dir, rate
        self.model, self.config = voice_paths(voice, voices_dir)
        self.voice_name = _voice_name(self.model)

    @property
    def voice_id(self) -> str:
        return f"{self.name}:{self.voice_name}:{self.rate:g}"

    def info(self) -> PiperVoiceInfo:
        """The voice's config, refused when it does not speak Vietnamese."""
        info = read_voice_info(self.model, self.config)
        if not info.is_vietnamese:
            raise PiperVoiceError(
                f"piper voice '{info.name}' speaks {info.language or info.espeak_voice}, not Vietnamese: "
                "it would read the program as garbage; install a vi_VN voice "
                "(e.g. `radio-gen voices install vi_VN-vais1000-medium`)")
        return info

    def check(self) -> str | None:
        try:
            import piper  # noqa: F401
            import onnxruntime  # noqa: F401
        except ImportError as exc:
            return f"the piper-tts package is missing ({exc.name}): reinstall radio-gen"
        try:
            self.info()
        except PiperVoiceError as exc:
            return str(exc)
        return None

    def synthesize(self, text: str, dest: Path) -> None:
        try:
            from piper import SynthesisConfig
        except ImportError as exc:
            raise EngineUnavailable(self.name, f"the piper-tts package is missing ({exc.name}): "
                                               "reinstall radio-gen") from None
        try:
            info = self.info()
            voice = _load(info)
        except PiperVoiceError as exc:
            raise EngineUnavailable(self.name, str(exc)) from None
        except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own types for a corrupt model
            raise EngineUnavailable(self.name, f"cannot load voice '{info.name}': {type(exc).__name__}: "
                                               f"{str(exc).strip()[:200]}") from None
        # length_scale > 1 is slower: a rate of 1.25 shortens every phoneme by a fifth.
        settings = SynthesisConfig(length_scale=voice.config.length_scale / self.rate)
        try:
            with replacing(dest) as partial:
                with _synthesis_lock, wave.open(str(partial), "wb") as wav:
                    voice.synthesize_wav(text, wav, syn_config=settings)
                with wave.open(str(partial), "rb") as wav:
                    frames = wav.getnframes()
                if frames == 0:
                    raise EngineError(self.name, f"voice '{info.name}' produced no audio for this text")
        except EngineError:
            raise
        except Exception as exc:  # noqa: BLE001 - phonemizer and onnxruntime errors have no common base
            raise EngineError(self.name, f"{type(exc).__name__}: {str(exc).strip()[:200]}") from None
