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
from radio_gen.text.dates import ratio
from radio_gen.text.numbers import DIGITS, Dialect, get_dialect, read_number, read_numeral

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
#: A minus sign: at the start, after an opening bracket, ":" or "=", or after a
#: word ("nhiệt độ -5"); never after a number ("2016 -2020" is a range).
_SIGN = re.compile(r"(?:^|(?<=[(\[:=;])|(?<=[(\[:=;,]\s)|(?<=[^\W\d_]\s))[-−](?=\d)")
_PREFIX_MONEY = re.compile(r"(?<![\w.,])(US\$|\$|€|£|¥)\s?(\d+(?:[.,]\d+)*)")
_SHORTHAND = re.compile(r"(?<![\w.,])(\d{1,3})(k|K|tr|Tr)(\d)?(?![^\W_])")
_SPACED_THOUSANDS = re.compile(
    r"(?<![\d.,] )(?<![\d.,])([1-9]\d{0,2})((?: \d{3})+)(?!\d|[.,]\d)")
_HINT_SPACED = re.compile(r"\d \d{3}")
_UNIT_RANGE = re.compile(rf"(?<![\w.,])(?P<a>{_NUM})\s?(?P<u>{_UNIT_ALT})\s*[-–]\s*"
                         rf"(?=\d+(?:[.,]\d+)*\s?(?P=u)(?![^\W_]))")
_UNIT_FRACTION = re.compile(rf"(?<![\w.,/])(?P<a>\d)/(?P<b>\d{{1,2}})\s?(?P<u>{_UNIT_ALT})(?![^\W_])")
_FORMATION = re.compile(r"(?<![\w.,/-])\d(?:-\d){2,}(?![\w/-]|[.,]\d)")
_MIN_SEC = re.compile(r"(?<![\w.,])(\d{1,2})p(\d{1,2})s(?!\w)")
_HEIGHT = re.compile(r"(?<![\w.,])(\d)m(\d{2})(?!\w)")
_HOUR_G = re.compile(r"(?<![\w.,])(\d{1,2})\s?g(?=\s+(?:sáng|chiều|tối|trưa|đêm)(?!\w))")
_TIMES = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)?)\s?[x×]\s?(?=\d)")
_CHAINAGE = re.compile(r"(?<!\w)[Kk][Mm]\s?(\d{1,4})\s?\+\s?(\d{1,3})(?![\d])")


def money_shorthand(text: str, dialect: str | Dialect = "north") -> str:
    """"$50" -> "50$", "100k" -> 100000, "2tr5" -> 2500000, "9 000 000" ->
    9000000: written forms of amounts turned into plain numbers first, so
    the unit and range rules read them like any other."""
    if "$" in text or "€" in text or "£" in text or "¥" in text:
        text = _PREFIX_MONEY.sub(r"\2\1", text)

    def short(m: re.Match[str]) -> str:
        n, unit, tail = int(m.group(1)), m.group(2).lower(), m.group(3)
        if unit == "k":
            return str(n * 1000 + (int(tail) * 100 if tail else 0))
        return str(n * 1_000_000 + (int(tail) * 100_000 if tail else 0))

    if "k" in text or "K" in text or "r" in text:
        text = _SHORTHAND.sub(short, text)
    if " " in text and _HINT_SPACED.search(text):
        text = _SPACED_THOUSANDS.sub(lambda m: m.group(1) + m.group(2).replace(" ", ""), text)
    return text


def signs(text: str, dialect: str | Dialect = "north") -> str:
    """"-12,5" -> "âm 12,5" where the dash can only be a minus sign."""
    return _SIGN.sub("âm ", text) if "-" in text or "−" in text else text


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

    def fraction(m: re.Match[str]) -> str:
        a, b = int(m.group("a")), int(m.group("b"))
        if not 0 < a < b <= 10:
            return m.group(0)
        return f"{ratio(str(a), str(b), d)} {_unit_reading(m.group('u'))}"

    text = _NEG.sub("âm ", text)
    if "-" in text or "–" in text:
        text = _UNIT_RANGE.sub(r"\g<a>\g<u> đến ", text)
        text = _FORMATION.sub(lambda m: " - ".join(DIGITS[int(c)] for c in m.group(0)[::2]), text)
    if "/" in text:
        text = _UNIT_FRACTION.sub(fraction, text)
    text = _MIN_SEC.sub(lambda m: f"{read_number(int(m.group(1)), d)} phút"
                        + (f" {read_number(int(m.group(2)), d)} giây" if int(m.group(2)) else ""), text)
    text = _HEIGHT.sub(lambda m: f"{DIGITS[int(m.group(1))]} mét {read_number(int(m.group(2)), d)}", text)
    text = _HOUR_G.sub(lambda m: f"{read_number(int(m.group(1)), d)} giờ", text)
    text = _TIMES.sub(r"\1 nhân ", text)
    text = _CHAINAGE.sub(lambda m: f"ki lô mét {read_number(int(m.group(1)), d)} cộng "
                                   f"{read_number(int(m.group(2)), d)}", text)
    text = _QTY.sub(qty, text)
    if "-" in text or "–" in text:
        text = _RANGE.sub(rng, text)
    if "/" in text:
        text = _PER_WORD.sub(r" một \1", text)
    return text
