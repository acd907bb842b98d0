"""Quantities: units, money, percentages and ranges.

* "120m2" -> một trăm hai mươi mét vuông, "5 km" -> năm ki lô mét (table in
  ``data/units.tsv``; a unit is only recognised right after a number, so the
  "m" of a word is never touched).
* "500.000 đồng/hộ" -> năm trăm nghìn đồng một hộ ("/X" after a unit reads
  "một X"; "/người/năm" -> một người một năm).
* "20-25", "5-7%", "50-100 mm", "2021-2025" -> "… đến …".
"""

from __future__ import annotations

import re

from radio_gen.text import _data
from radio_gen.text.numbers import Dialect, get_dialect, read_numeral

_NUM = r"\d+(?:[.,]\d+)*"


def _units() -> dict[str, str]:
    return _data.table("units.tsv")


def _alternation(keys: list[str]) -> str:
    return "|".join(re.escape(k).replace(r"\ ", r"\s") for k in sorted(keys, key=len, reverse=True))


_UNIT_ALT = _alternation(list(_units()))
_QTY = re.compile(
    rf"(?<![\w.,])(?P<n>{_NUM})(?:\s*[-–]\s*(?P<n2>{_NUM}))?\s?"
    rf"(?:(?P<mult>nghìn|ngàn|triệu|tỷ|tỉ)\s)?(?P<unit>{_UNIT_ALT})(?P<per>(?:/(?:[^\W\d_]+\d?))*)"
    rf"(?![^\W_])")
_RANGE = re.compile(rf"(?<![\w.,/])(?P<n>{_NUM})\s*[-–]\s*(?P<n2>{_NUM})(?![\w/]|[.,]\d)")
_PER_WORD = re.compile(
    r"(?<=[^\W\d_])/(" + "|".join(sorted((re.escape(w).replace(r"\ ", r"\s") for w in
                                         _data.words("per_words.txt")), key=len, reverse=True))
    + r")(?!\w)", re.IGNORECASE)
_NEG = re.compile(r"(?<![\w.,\d)])[-−](?=\d[\d.,]*\s?(?:°C|oC|độ))")


def _value(s: str) -> float:
    try:
        return float(s.replace(".", "").replace(",", ".")) if len(s) < 20 else 0.0
    except ValueError:
        return 0.0


def read_range(a: str, b: str, d: Dialect) -> str:
    """"20-25" -> hai mươi đến hai mươi lăm; a score "2-1" keeps its dash."""
    joiner = " đến " if _value(a) < _value(b) else " - "
    return read_numeral(a, d) + joiner + read_numeral(b, d)


def _unit_reading(u: str) -> str:
    units = _units()
    return units.get(u) or units.get(re.sub(r"\s+", " ", u)) or u


def measures(text: str, dialect: str | Dialect = "north") -> str:
    """Numbers with a unit or currency, percentages, and numeric ranges."""
    d = get_dialect(dialect)

    def qty(m: re.Match[str]) -> str:
        n, n2 = m.group("n"), m.group("n2")
        words = read_range(n, n2, d) if n2 else read_numeral(n, d)
        if m.group("mult"):
            words += " " + m.group("mult")
        words += " " + _unit_reading(m.group("unit"))
        for part in m.group("per").split("/")[1:]:
            words += " một " + _unit_reading(part)
        return words

    def rng(m: re.Match[str]) -> str:
        return read_range(m.group("n"), m.group("n2"), d)

    text = _NEG.sub("âm ", text)
    text = _QTY.sub(qty, text)
    if "-" in text or "–" in text:
        text = _RANGE.sub(rng, text)
    if "/" in text:
        text = _PER_WORD.sub(r" một \1", text)
    return text
