"""Bytes from a file or a page to NFC text.

UTF-8 (with or without BOM) and UTF-16 (BOM, or the zero-byte pattern) first; bytes
that are not UTF-8 are read as Windows-1258, TCVN3 or VNI-Windows, whichever gives
Vietnamese words (see `legacy`). Binary data is refused with a reason.
"""

from __future__ import annotations

import codecs
import unicodedata

from radio_gen.intake.sources.legacy import readings, repair_text


class NotText(ValueError):
    """The bytes are not text radio-gen can read; the message is the reason."""


def decode_bytes(data: bytes) -> str:
    """The text of `data`, converted from whatever encoding it is in, NFC."""
    return detect(data)[0]


def detect(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """(NFC text, encoding name); `declared` is a charset a web server or page announced."""
    if not data.strip():
        raise NotText("empty file")
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _finish(_strict(data[len(bom):], codec), codec)
    sample = data[:4096]
    if len(sample) >= 4 and sample.count(0) >= len(sample) // 4:
        # UTF-16 without a BOM puts a zero byte beside every ASCII character.
        odd_zeros = sample[1::2].count(0)
        even_zeros = sample[0::2].count(0)
        if odd_zeros > len(sample) // 4 and even_zeros == 0:
            return _finish(_strict(data, "utf-16-le"), "utf-16-le")
        if even_zeros > len(sample) // 4 and odd_zeros == 0:
            return _finish(_strict(data, "utf-16-be"), "utf-16-be")
        raise NotText("binary file (not text)")
    if 0 in sample:
        raise NotText("binary file (not text)")
    try:
        return _finish(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        not_utf8 = exc.start
    if declared and _codec(declared) not in (None, "utf-8"):
        try:
            return _finish(data.decode(_codec(declared) or ""), declared.lower())
        except (UnicodeDecodeError, LookupError):
            pass
    best = readings(data)[0]
    if best.score <= 0:
        raise NotText(f"not valid UTF-8 text (byte {not_utf8}), and not Vietnamese in Windows-1258, "
                      "TCVN3 or VNI either")
    return _finish(best.text, best.encoding)


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _finish(text: str, encoding: str) -> tuple[str, str]:
    """NFC, and legacy font codes stored as Unicode characters repaired."""
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise NotText("empty file")
    repaired, legacy = repair_text(text)
    return (repaired, f"{encoding}+{legacy}") if legacy else (text, encoding)


def _strict(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise NotText(f"not valid {codec.upper()} text (byte {exc.start})") from None
