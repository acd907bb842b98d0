"""Any audio file to internal-format PCM, through pydub and the resolved ffmpeg."""

from __future__ import annotations

from pathlib import Path

from radio_gen.audio import CHANNELS, SAMPLE_RATE, SAMPLE_WIDTH, AudioError
from radio_gen.audio.ffmpeg import configure_pydub


def decode_to_pcm(path: Path) -> bytes:
    """Decode `path` and convert it once to 24 kHz mono 16-bit."""
    configure_pydub()
    from pydub import AudioSegment
    from pydub.exceptions import CouldntDecodeError

    try:
        if path.suffix.lower() == ".wav":
            # pydub's WAV path returns without closing the file it opened: open it here.
            with open(path, "rb") as handle:
                audio = AudioSegment.from_file(handle, format="wav")
        else:
            audio = AudioSegment.from_file(str(path))
    except (CouldntDecodeError, OSError, IndexError, ValueError) as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise AudioError(f"cannot decode {path.name}: {reason}") from None
    audio = audio.set_channels(CHANNELS).set_frame_rate(SAMPLE_RATE).set_sample_width(SAMPLE_WIDTH)
    return audio.raw_data
