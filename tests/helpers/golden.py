"""Comparing the normalizer's output with the golden readings."""

from __future__ import annotations

import re
import unicodedata

_PUNCT = re.compile(r"[^\w\s]|_")


def canon(s: str) -> str:
    """Lower-case, NFC, punctuation -> space, spaces collapsed."""
    s = unicodedata.normalize("NFC", s).lower()
    return " ".join(_PUNCT.sub(" ", s).split())
