"""One sentence spoken as it will be on air: same announcer chain, cache and leveling as the build.

The newsroom's play buttons use this: a sentence the build already spoke comes out of
the segment cache at once; a new one is synthesized (espeak-ng answers in well under a
second), leveled to the station's target and kept as a small WAV for the next listen.
"""

from __future__ import annotations

import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from radio_gen import audio
from radio_gen.atomic import replacing
from radio_gen.audio.cache import AudioCache, cache_key
from radio_gen.config import StationConfig
from radio_gen.errors import RadioGenError
from radio_gen.render import Renderer
from radio_gen.tts.roles import Announcers


class ListenError(RadioGenError):
    """No engine could speak the sentence, or its sample cannot be written."""


@dataclass(frozen=True)
class Sample:
    path: Path
    engine: str
    voice: str
    failures: tuple[str, ...]
    #: Whether it was ready without synthesis.
    cached: bool


def samples_dir(config: StationConfig) -> Path:
    return config.cache_dir / "listen"


def speak_sentence(config: StationConfig, spoken: str, role: str | None = None) -> Sample:
    """A leveled WAV of `spoken` (already normalized text) in announcer `role`'s voice."""
    announcers = Announcers(config)
    chain = announcers.chain_for_role(role)
    key = cache_key("listen", chain.voices, spoken, config.audio.target_lufs, config.audio.true_peak_db)
    out = samples_dir(config) / f"{key}.wav"
    if out.is_file():
        return Sample(out, "", "", (), cached=True)
    with tempfile.TemporaryDirectory(prefix="radio-gen-listen-") as work:
        renderer = Renderer(config, announcers, AudioCache.of_station(config), Path(work), {})
        try:
            # The build's own chunk path: cache lookup per engine voice, synthesis, leveling, cache fill.
            chunk = renderer.speak_chunk(chain, spoken, "listen")
        except (RadioGenError, audio.AudioError) as exc:
            raise ListenError(f"the sentence could not be spoken: {exc}") from None
    write_wav(out, chunk.pcm)
    return Sample(out, chunk.engine, chunk.voice, tuple(chunk.failures), cached=not announcers.engine_calls)


def write_wav(path: Path, pcm: bytes) -> None:
    """Internal-format PCM to a WAV file, all of it or nothing (see `atomic`)."""
    try:
        with replacing(path, mode=0o644) as temp, wave.open(str(temp), "wb") as wav:
            wav.setnchannels(audio.CHANNELS)
            wav.setsampwidth(audio.SAMPLE_WIDTH)
            wav.setframerate(audio.SAMPLE_RATE)
            wav.writeframes(pcm)
    except OSError as exc:
        raise ListenError(f"cannot write the sample into {path.parent}: {exc.strerror or exc}") from None
