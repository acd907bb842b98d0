"""EBU R128 loudness in numpy: measure, bring to a target, keep true peaks under a ceiling.

Loudness follows ITU-R BS.1770 (K-weighting, 400 ms blocks every 100 ms, absolute gate
at -70 LUFS, relative gate 10 LU below). The K-weighting is applied in the frequency
domain of each 100 ms block (Parseval), which needs no IIR filter library and agrees
with ffmpeg's `ebur128` to a few tenths of a LU on speech and tones (tests/test_loudness).
True peaks are estimated by 4x polyphase oversampling, as BS.1770 annex 2 describes.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from radio_gen.audio import SAMPLE_RATE

#: BS.1770 K-weighting, the two biquads as published for 48 kHz (shelf, then high-pass).
_K_STAGES = (((1.53512485958697, -2.69169618940638, 1.19839281085285), (1.0, -1.69065929318241, 0.73248077421585)),
             ((1.0, -2.0, 1.0), (1.0, -1.99004745483398, 0.99007225036621)))
_BLOCK = SAMPLE_RATE // 10          # 100 ms: the gating step
_GATE_BLOCKS = 4                    # 400 ms gating blocks
ABSOLUTE_GATE = -70.0
RELATIVE_GATE = 10.0
SILENT = float("-inf")
#: Gain never goes beyond this: a near-silent chunk is not pumped up into noise.
MAX_GAIN_DB = 30.0
#: Headroom below the true-peak target for what MP3 encoding adds to peaks (seen: up to 1.5 dB on consonants).
ENCODER_HEADROOM_DB = 2.0
#: What LAME at speech bitrates takes off the K-weighted loudness of espeak-ng speech
#: (measured: -16.2 LUFS as PCM, -16.6 as 64 kbps MP3): leveling aims this much higher.
ENCODER_LOSS_LU = 0.3


def _k_weighting_power() -> np.ndarray:
    """|H(f)|² of the K-weighting at each rfft bin of a 100 ms block."""
    freqs = np.fft.rfftfreq(_BLOCK, 1 / SAMPLE_RATE)
    z = np.exp(-2j * np.pi * freqs / 48_000)
    response = np.ones_like(z)
    for b, a in _K_STAGES:
        response *= (b[0] + b[1] * z + b[2] * z * z) / (a[0] + a[1] * z + a[2] * z * z)
    weights = np.full(len(freqs), 2.0)       # one-sided spectrum: every bin but DC and Nyquist twice
    weights[0] = 1.0
    if _BLOCK % 2 == 0:
        weights[-1] = 1.0
    return (np.abs(response) ** 2 * weights / _BLOCK ** 2).astype(np.float64)


_K_POWER = _k_weighting_power()


def _oversampling_phases(taps_per_phase: int = 8) -> list[np.ndarray]:
    """Interpolation filters for the three in-between positions of 4x oversampling."""
    half = taps_per_phase // 2
    n = np.arange(-half + 1, half + 1)
    phases = []
    for k in (1, 2, 3):
        t = n - k / 4
        window = np.cos(np.pi * t / (2 * half)) ** 2          # a smooth taper to the edges
        h = np.sinc(t) * window
        phases.append((h / h.sum()).astype(np.float32))
    return phases


_PHASES = _oversampling_phases()


def to_float(pcm: bytes) -> np.ndarray:
    """Internal-format PCM as float32 in [-1, 1)."""
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0


def to_pcm(samples: np.ndarray) -> bytes:
    return (np.clip(np.round(samples * 32768.0), -32768, 32767).astype("<i2")).tobytes()


def block_powers(samples: np.ndarray) -> np.ndarray:
    """K-weighted mean square of each 100 ms step (the last one padded with silence).

    Powers of consecutive pieces of audio can be concatenated, with zeros for silence
    between them, and `integrated` then measures the whole as one programme.
    """
    if len(samples) == 0:
        return np.zeros(0)
    count = -(-len(samples) // _BLOCK)
    padded = np.zeros(count * _BLOCK, dtype=np.float32)
    padded[:len(samples)] = samples
    spectrum = np.fft.rfft(padded.reshape(count, _BLOCK), axis=1)
    return (spectrum.real ** 2 + spectrum.imag ** 2) @ _K_POWER


def silence_powers(seconds: float) -> np.ndarray:
    """The 100 ms powers of a silence, to lay between measured pieces."""
    return np.zeros(int(round(seconds * SAMPLE_RATE / _BLOCK)))


def _gating_blocks(powers: np.ndarray) -> np.ndarray:
    """400 ms blocks every 100 ms; audio shorter than one block is one block."""
    if len(powers) < _GATE_BLOCKS:
        return np.array([powers.sum() / _GATE_BLOCKS])
    return np.convolve(powers, np.ones(_GATE_BLOCKS), mode="valid") / _GATE_BLOCKS


def figure(value: float | None) -> float | None:
    """A loudness or peak for a report: two decimals, None for silence (JSON has no -inf)."""
    return round(value, 2) if value is not None and math.isfinite(value) else None


def lufs(power: float) -> float:
    return -0.691 + 10 * math.log10(power) if power > 0 else SILENT


def integrated(powers: np.ndarray) -> float:
    """Gated integrated loudness (LUFS) of a series of 100 ms powers."""
    if len(powers) == 0:
        return SILENT
    blocks = _gating_blocks(powers)
    loud = blocks[blocks > 10 ** ((ABSOLUTE_GATE + 0.691) / 10)]
    if len(loud) == 0:
        return SILENT
    relative = lufs(float(loud.mean())) - RELATIVE_GATE
    kept = loud[loud > 10 ** ((relative + 0.691) / 10)]
    return lufs(float(kept.mean())) if len(kept) else SILENT


def peak_envelope(samples: np.ndarray) -> np.ndarray:
    """Per sample, the largest magnitude among it and the three points oversampled after it."""
    envelope = np.abs(samples)
    for h in _PHASES:
        # Phase k sits k/4 of a sample after index n: align so that out[n] is that point.
        between = np.convolve(samples, h[::-1], mode="full")[len(h) // 2:len(h) // 2 + len(samples)]
        np.maximum(envelope, np.abs(between), out=envelope)
    return envelope


def true_peak_db(samples: np.ndarray) -> float:
    if len(samples) == 0:
        return SILENT
    peak = float(peak_envelope(samples).max())
    return 20 * math.log10(peak) if peak > 0 else SILENT


def _sliding_min(values: np.ndarray, radius: int) -> np.ndarray:
    """Minimum over [n - radius, n + radius] at each n (edges padded with 1.0), in O(n).

    van Herk / Gil-Werman: running minima forward and backward inside blocks of the
    window's width; any window spans one block boundary and is the min of the two.
    """
    width = 2 * radius + 1
    count = len(values)
    blocks = -(-(count + 2 * radius) // width)
    padded = np.ones(blocks * width, dtype=values.dtype)
    padded[radius:radius + count] = values
    grid = padded.reshape(blocks, width)
    forward = np.minimum.accumulate(grid, axis=1).ravel()
    backward = np.minimum.accumulate(grid[:, ::-1], axis=1)[:, ::-1].ravel()
    return np.minimum(backward[:count], forward[width - 1:width - 1 + count])


#: The limiter works on 5 ms steps: it looks this many steps around a peak (attack and hold).
_LIMIT_STEP = SAMPLE_RATE // 200
_LIMIT_HOLD_STEPS = 3


def step_peaks(envelope: np.ndarray) -> np.ndarray:
    """The loudest oversampled point of each 5 ms step."""
    count = -(-len(envelope) // _LIMIT_STEP)
    padded = np.zeros(count * _LIMIT_STEP, dtype=envelope.dtype)
    padded[:len(envelope)] = envelope
    return padded.reshape(count, _LIMIT_STEP).max(axis=1)


def _step_gains(peaks: np.ndarray, gain: float, ceiling: float) -> np.ndarray | None:
    """Each 5 ms step's limiter factor (≤ 1) at linear `gain`; None when nothing needs limiting."""
    if len(peaks) == 0 or float(peaks.max()) * gain <= ceiling:
        return None
    allowed = np.minimum(1.0, ceiling / np.maximum(peaks * gain, 1e-9))
    return _sliding_min(allowed, _LIMIT_HOLD_STEPS)


def limited_gain(samples: np.ndarray, envelope: np.ndarray, peaks: np.ndarray, gain_db: float,
                 ceiling_db: float) -> tuple[np.ndarray, float]:
    """`samples` raised by `gain_db` through a look-ahead limiter; with the true peak reached.

    `envelope` is `peak_envelope(samples)` and `peaks` its `step_peaks`: oversampled peaks
    scale with the gain, so trying several gains costs one envelope. Each 5 ms step may
    take at most `ceiling / its peak`; the minimum of that over ±15 ms, interpolated
    linearly between step centres, never exceeds any sample's allowance (each point lies
    between two values that are both ≤ its own step's), and ramps instead of stepping.
    """
    gain = 10 ** (gain_db / 20)
    safe = _step_gains(peaks, gain, 10 ** (ceiling_db / 20))
    if safe is None:
        return samples * np.float32(gain), float(envelope.max(initial=0.0)) * gain
    centres = (np.arange(len(safe)) + 0.5) * _LIMIT_STEP
    curve = np.interp(np.arange(len(samples), dtype=np.float32), centres, safe).astype(np.float32)
    curve *= np.float32(gain)
    return samples * curve, float((envelope * curve).max())


def _predictor(samples: np.ndarray, blocks: np.ndarray, peaks: np.ndarray, ceiling_db: float):  # type: ignore[no-untyped-def]
    """Loudness after gain and limiting, estimated from 5 ms step energies without touching samples.

    Within each 100 ms block the K-weighted power is taken to shrink as its plain energy
    does under the step factors: close enough to search with (the result is then measured).
    """
    per_block = _BLOCK // _LIMIT_STEP
    count = len(blocks) * per_block
    energy = np.zeros(count * _LIMIT_STEP, dtype=np.float32)
    energy[:len(samples)] = samples * samples
    steps = energy.reshape(count, _LIMIT_STEP).sum(axis=1).reshape(len(blocks), per_block)
    totals = np.maximum(steps.sum(axis=1), 1e-20)
    ceiling = 10 ** (ceiling_db / 20)

    def predict(gain_db: float) -> float:
        gain = 10 ** (gain_db / 20)
        safe = _step_gains(peaks, gain, ceiling)
        if safe is None:
            return integrated(blocks * gain * gain)
        factors = np.ones(count)
        factors[:len(safe)] = safe[:count]
        kept = (steps * factors.reshape(len(blocks), per_block) ** 2).sum(axis=1) / totals
        return integrated(blocks * gain * gain * kept)
    return predict


def _solve(loudness_at: Callable[[float], float], target: float, start: float, origin: tuple[float, float],
           tries: int) -> tuple[float, float]:
    """The gain whose loudness is nearest `target`: secant steps inside a shrinking bracket.

    Loudness rises with gain, limited or not, so the bracket is safe; a secant step that
    leaves it becomes a bisection. Returns (gain, loudness) of the closest try.
    """
    low, high = (-MAX_GAIN_DB, -np.inf), (MAX_GAIN_DB, np.inf)
    last, gain = origin, max(-MAX_GAIN_DB, min(MAX_GAIN_DB, start))
    best = (gain, np.inf)
    for _ in range(tries):
        reached = loudness_at(gain)
        if abs(target - reached) < abs(target - best[1]):
            best = (gain, reached)
        if abs(target - reached) <= 0.1:
            break
        if reached < target:
            low = max(low, (gain, reached))
        else:
            high = min(high, (gain, reached))
        slope = (reached - last[1]) / (gain - last[0]) if gain != last[0] else 1.0
        last = (gain, reached)
        step = gain + (target - reached) / max(0.05, slope)
        gain = step if low[0] < step < high[0] else (low[0] + high[0]) / 2
        if high[0] - low[0] < 0.02:
            break
    return best


@dataclass(frozen=True)
class Leveled:
    """A piece of audio brought to the target, with the figures the rundown records."""

    pcm: bytes
    measured_lufs: float
    gain_db: float
    lufs: float
    true_peak_db: float
    #: 100 ms powers of the leveled audio (see `block_powers`).
    blocks: np.ndarray


def compact_powers(powers: np.ndarray) -> list[float]:
    """Block powers for a JSON file: five significant digits are plenty for a loudness figure."""
    return [float(f"{p:.5e}") for p in powers]


def _optional(value: Any) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class Figures:
    """A leveled chunk's figures without its audio: what the rundown and the program's loudness
    need of it, and what the audio cache keeps beside its PCM."""

    measured_lufs: float | None
    gain_db: float
    true_peak_db: float | None
    #: 100 ms powers to five significant digits, as stored: a build from the cache reads the same figures.
    blocks: np.ndarray

    @classmethod
    def of(cls, leveled: Leveled) -> "Figures":
        return cls(figure(leveled.measured_lufs), leveled.gain_db, figure(leveled.true_peak_db),
                   np.array(compact_powers(leveled.blocks), dtype=np.float64))

    def to_json(self) -> dict[str, Any]:
        return {"measured_lufs": self.measured_lufs, "gain_db": self.gain_db, "true_peak_db": self.true_peak_db,
                "blocks": [float(p) for p in self.blocks]}

    @classmethod
    def from_json(cls, data: Any) -> "Figures":
        """Figures read back; KeyError, TypeError or ValueError when `data` is not them."""
        return cls(_optional(data["measured_lufs"]), float(data["gain_db"]), _optional(data["true_peak_db"]),
                   np.array(data["blocks"], dtype=np.float64))


def level(pcm: bytes, target_lufs: float, true_peak_target_db: float) -> Leveled:
    """Measure, then find the gain that reaches `target_lufs` once peaks are limited.

    Limiting takes loudness back (speech from espeak-ng peaks 19 dB above its loudness),
    so the gain is searched on a cheap estimate of the limited loudness, then the result
    is measured for real and corrected once if the estimate was off.
    """
    samples = to_float(pcm)
    raw = block_powers(samples)
    measured = integrated(raw)
    if measured == SILENT:
        return Leveled(pcm, SILENT, 0.0, SILENT, true_peak_db(samples), raw)
    target = target_lufs + ENCODER_LOSS_LU
    ceiling = true_peak_target_db - ENCODER_HEADROOM_DB
    envelope = peak_envelope(samples)
    peaks = step_peaks(envelope)
    gain, _ = _solve(_predictor(samples, raw, peaks, ceiling), target, target - measured, (0.0, measured), 8)
    out, peak = limited_gain(samples, envelope, peaks, gain, ceiling)
    blocks = block_powers(out)
    reached = integrated(blocks)
    if abs(target - reached) > 0.25 and gain < MAX_GAIN_DB:
        # The estimate missed: measure properly, starting from where it pointed.
        def exact(g: float) -> float:
            return integrated(block_powers(limited_gain(samples, envelope, peaks, g, ceiling)[0]))
        gain, _ = _solve(exact, target, gain + (target - reached), (gain, reached), 3)
        out, peak = limited_gain(samples, envelope, peaks, gain, ceiling)
        blocks = block_powers(out)
        reached = integrated(blocks)
    return Leveled(to_pcm(out), measured, gain, reached, 20 * math.log10(peak) if peak > 0 else SILENT, blocks)
