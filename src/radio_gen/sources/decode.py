"""Bytes from a file or a page to text: BOM-aware UTF-8 and UTF-16, refusing binary."""

from __future__ import annotations

import codecs


class NotText(ValueError):
    """The bytes are not text radio-gen can read; the message is the reason."""


def decode_bytes(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM) or UTF-16 (BOM, or the zero-byte pattern)."""
    if not data.strip():
        raise NotText("empty file")
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _strict(data[len(bom):], codec)
    sample = data[:4096]
    if len(sample) >= 4 and sample.count(0) >= len(sample) // 4:
        # UTF-16 without a BOM puts a zero byte beside every ASCII character.
        odd_zeros = sample[1::2].count(0)
        even_zeros = sample[0::2].count(0)
        if odd_zeros > len(sample) // 4 and even_zeros == 0:
            return _strict(data, "utf-16-le")
        if even_zeros > len(sample) // 4 and odd_zeros == 0:
            return _strict(data, "utf-16-be")
        raise NotText("binary file (not text)")
    if 0 in sample:
        raise NotText("binary file (not text)")
    return _strict(data, "utf-8")


def _strict(data: bytes, codec: str) -> str:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise NotText(f"not valid {codec.upper()} text (byte {exc.start})") from None
    if not text.strip():
        raise NotText("empty file")
    return text
