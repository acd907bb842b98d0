"""One sentence spoken as it will be on air: same announcer chain, cache and leveling as the build.

The newsroom's play buttons use this: a sentence the build already spoke comes out of
the segment cache at once; a new one is synthesized (espeak-ng answers in well under a
second), leveled to the station's target and kept as a small WAV for the next listen.
`radio-gen voices try` uses `voice_sample`: written text, always synthesized, into a WAV
of the operator's choosing.
"""

from __future__ import annotations

import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from radio_gen import audio
from radio_gen.atomic import replacing
from radio_gen.audio.cache import AudioCache, cache_key
from radio_gen.audio.loudness import level
from radio_gen.audio.pcm import decode_to_pcm
from radio_gen.pronunciation import load_lexicon
from radio_gen.config import StationConfig
from radio_gen.errors import RadioGenError
from radio_gen.render import Renderer
from radio_gen.text import normalize
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


@dataclass(frozen=True)
class VoiceSample:
    path: Path
    #: The announcer (None: no announcer configured, the [speech] engines spoke).
    role: str | None
    voice: str
    seconds: float
    failures: tuple[str, ...]
    #: Problems of the station lexicon (it was used without the entries named).
    lexicon_problems: tuple[str, ...]


def voice_sample(config: StationConfig, text: str, role: str | None = None, out: Path | None = None) -> VoiceSample:
    """`text` (written Vietnamese) normalized, spoken by announcer `role` and leveled as on air, into a WAV.

    Leveled like the build, so that two announcers' samples can be compared by ear; never
    taken from the cache, so that it shows what the engines do now. `out` defaults to
    ./thu-giong-ROLE.wav.
    """
    announcers = Announcers(config)
    chain = announcers.chain_for_role(role)
    role = role or announcers.default_role
    lexicon, problems = load_lexicon(config)
    spoken_text = normalize(text, dialect=config.speech.dialect, lexicon=lexicon)
    out = out or Path.cwd() / f"thu-giong-{role or 'mac-dinh'}.wav"
    with tempfile.TemporaryDirectory(prefix="radio-gen-try-") as work:
        spoken = chain.speak(spoken_text, Path(work), "try")
        assert spoken.path is not None, "no cache was offered"
        pcm = level(decode_to_pcm(spoken.path), config.audio.target_lufs, config.audio.true_peak_db).pcm
        write_wav(out, pcm)
    return VoiceSample(out, role, spoken.voice, len(pcm) / (audio.SAMPLE_RATE * audio.SAMPLE_WIDTH),
                       tuple(spoken.failures), tuple(problems))
