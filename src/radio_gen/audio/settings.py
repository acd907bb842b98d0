"""The audio stage's settings: `[audio]` (loudness, cache, workers) and the MP3 format it encodes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from radio_gen.settings_reader import TableReader, keys_of, setting
from radio_gen.tts.online import OnlineSettings

BITRATES = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
SAMPLE_RATES = (16000, 22050, 24000, 32000, 44100, 48000)


@dataclass(frozen=True)
class Mp3Settings:
    """What the loudspeaker system expects: commonly 48–64 kbps mono (`[output]` reads them)."""

    bitrate_kbps: int = 64
    sample_rate: int = 44100
    channels: int = 1


@dataclass(frozen=True)
class AudioSettings:
    """`[audio]`: loudness targets, the segment cache and how much runs at once."""

    TABLE: ClassVar[str] = "audio"

    #: EBU R128 integrated loudness every segment and clip is brought to.
    target_lufs: float = setting(-16.0, low=-40, high=-5)
    #: Ceiling for true peaks in the finished MP3 (dBTP).
    true_peak_db: float = setting(-1.0, low=-12, high=0)
    #: Size limit of the station's audio cache; least recently used entries go first.
    cache_mb: int = setting(500, low=0, high=100_000)
    #: Segments synthesized and encoded at once; 0: one per CPU core.
    workers: int = setting(0, low=0, high=64)
    online: OnlineSettings = field(default_factory=OnlineSettings)

    @classmethod
    def from_table(cls, r: TableReader) -> AudioSettings:
        """Every key optional, each bounded to a sane range; `online_*` are the online engines' settings."""
        return cls(**r.fill(cls), online=OnlineSettings(**r.fill(OnlineSettings)))


#: The tables the audio stage owns, and their keys.
TABLES: dict[str, frozenset[str]] = {AudioSettings.TABLE: keys_of(AudioSettings) | keys_of(OnlineSettings)}
