"""Speakable Vietnamese (interim: NFC, whitespace and dates; the full normalizer lands in issue 3)."""

from __future__ import annotations

import datetime as dt
import unicodedata

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def _below_thousand(n: int, inner: bool) -> str:
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or inner:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0 and units:
        if words:
            words.append("linh")
        words.append(_DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else _DIGITS[units])
    elif tens > 1:
        words += [_DIGITS[tens], "mươi"]
        if units:
            words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(units, _DIGITS[units]))
    return " ".join(words)


def read_number(n: int, dialect: str = "north") -> str:
    """Interim reader for 0..999 999 (dates and years)."""
    if n == 0:
        return "không"
    thousands, rest = divmod(n, 1000)
    parts = []
    if thousands:
        parts += [_below_thousand(thousands, False), "nghìn"]
    if rest:
        parts.append(_below_thousand(rest, bool(thousands)))
    return " ".join(parts)


def spoken_date(d: dt.date, dialect: str = "north") -> str:
    return (f"{_WEEKDAYS[d.weekday()]}, ngày {read_number(d.day)} tháng "
            f"{'tư' if d.month == 4 else read_number(d.month)} năm {read_number(d.year)}")


def normalize(text: str, *, dialect: str = "north", lexicon: object | None = None) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


class Lexicon:
    """Interim stand-in until the normalizer's lexicon lands."""

    problems: list[str] = []

    @classmethod
    def default(cls) -> "Lexicon":
        return cls()

    @classmethod
    def from_file(cls, path: object, *, base: "Lexicon | None" = None) -> "Lexicon":
        return cls()


class TextError(Exception):
    """Interim stand-in."""
