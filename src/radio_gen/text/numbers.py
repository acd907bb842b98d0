"""The number reader: integers, decimals and digit strings as spoken Vietnamese.

Written from the rules announcers follow, not from a library, so that the
Northern/Southern choice is explicit:

* North (default): nghìn, linh  -> 104 "một trăm linh bốn", 1.000 "một nghìn"
* South:           ngàn, lẻ     -> 104 "một trăm lẻ bốn",   1.000 "một ngàn"
* Both: "mốt" (21), "lăm" (15, 25); "tư" (24) in the North, "bốn" in the South, "mười" for 10–19, "mươi" above,
  and "không trăm" for an inner group below 100 (1.015 -> "một nghìn không trăm
  mười lăm").

Written numbers use "." to group thousands and "," as the decimal mark.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

DIGITS: tuple[str, ...] = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")

#: Digit strings longer than this are read digit by digit (account numbers,
#: garbage): also keeps ``int()`` away from huge strings.
MAX_CARDINAL_DIGITS = 15


@dataclass(frozen=True)
class Dialect:
    """The words that differ between the Northern and Southern readings."""

    name: str
    thousand: str  # nghìn / ngàn
    odd: str  # linh / lẻ  (the "and zero tens" word in 104)
    four: str  # tư / bốn  (the 4 after "mươi": 24)
    billion: str = "tỷ"


DIALECTS: dict[str, Dialect] = {
    "north": Dialect("north", "nghìn", "linh", "tư"),
    "south": Dialect("south", "ngàn", "lẻ", "bốn"),
}


def get_dialect(dialect: str | Dialect) -> Dialect:
    """Resolve a dialect name; an unknown name is a caller bug -> ``ValueError``."""
    if isinstance(dialect, Dialect):
        return dialect
    try:
        return DIALECTS[dialect]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown dialect {dialect!r}: expected one of {', '.join(sorted(DIALECTS))}"
        ) from None


def _below_100(n: int, d: Dialect) -> list[str]:
    tens, unit = divmod(n, 10)
    if tens == 0:
        return [DIGITS[unit]]
    words = ["mười"] if tens == 1 else [DIGITS[tens], "mươi"]
    if unit == 0:
        return words
    if unit == 5:
        words.append("lăm")
    elif unit == 1 and tens >= 2:
        words.append("mốt")
    elif unit == 4 and tens >= 2:
        words.append(d.four)
    else:
        words.append(DIGITS[unit])
    return words


def _group(n: int, d: Dialect, full: bool) -> list[str]:
    """Read 0 < n < 1000; ``full`` pads with "không trăm" (inner groups)."""
    hundreds, rest = divmod(n, 100)
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
        if 0 < rest < 10:
            return words + [d.odd, DIGITS[rest]]
    if rest:
        words += _below_100(rest, d)
    return words


def _words(n: int, d: Dialect, full: bool) -> list[str]:
    if n >= 1_000_000_000:
        high, low = divmod(n, 1_000_000_000)
        words = _words(high, d, full) + [d.billion]
        return words + _words(low, d, True) if low else words
    words = []
    for scale, name in ((1_000_000, "triệu"), (1000, d.thousand)):
        high, n = divmod(n, scale)
        if high:
            words += _group(high, d, full) + [name]
            full = True
    if n:
        words += _group(n, d, full)
    return words


def read_number(n: int, dialect: str | Dialect = "north") -> str:
    """Read a non-negative (or negative: "âm …") integer aloud.

    >>> read_number(1015)
    'một nghìn không trăm mười lăm'
    """
    d = get_dialect(dialect)
    if n < 0:
        return "âm " + read_number(-n, d)
    if n == 0:
        return DIGITS[0]
    return " ".join(_words(n, d, False))


def read_digits(s: str) -> str:
    """Read every digit in ``s`` one by one (phone numbers, codes)."""
    return " ".join(DIGITS[unicodedata.decimal(c)] for c in s if c.isdecimal())


def read_int_str(s: str, dialect: str | Dialect = "north") -> str:
    """Read a string of ASCII digits: as a cardinal, or digit by digit when
    it has a leading zero ("0239") or is too long to be a quantity.  Two
    digits with a leading zero are a count in the formal style ("03 hộ")."""
    if len(s) > MAX_CARDINAL_DIGITS or (len(s) > 2 and s[0] == "0"):
        return read_digits(s)
    return read_number(int(s), dialect)


def read_fraction_digits(s: str, dialect: str | Dialect = "north") -> str:
    """Read the part after the decimal comma: "5" -> năm, "05" -> không năm,
    "75" -> bảy mươi lăm, long tails digit by digit."""
    zeros = len(s) - len(s.lstrip("0"))
    rest = s[zeros:]
    words = [DIGITS[0]] * zeros
    if rest:
        short = len(rest) <= 3 and rest.isdigit() and rest.isascii()
        words.append(read_number(int(rest), dialect) if short else read_digits(rest))
    return " ".join(words)


def read_numeral(s: str, dialect: str | Dialect = "north") -> str:
    """Read a written Vietnamese numeral: "5.705.840", "98,5", "1,200,000",
    "4.0" (not a thousands grouping -> "bốn chấm không")."""
    if "," in s and "." not in s and s.count(",") >= 2 and _EN_THOUSANDS.fullmatch(s):
        return read_int_str(s.replace(",", ""), dialect)
    whole, comma, frac = s.partition(",")
    if "." in whole:
        if _VI_THOUSANDS.fullmatch(whole):
            whole_words = read_int_str(whole.replace(".", ""), dialect)
        else:  # "4.0", "1.05", "1.2.3": a dotted code or decimal point, read part by part
            first, *rest = [p for p in whole.split(".") if p] or [""]
            whole_words = " chấm ".join([read_int_str(first, dialect) if first else ""]
                                        + [read_fraction_digits(p, dialect) for p in rest])
    else:
        whole_words = read_int_str(whole, dialect) if whole else ""
    if comma and frac:
        return f"{whole_words} phẩy {read_fraction_digits(frac, dialect)}".strip()
    return whole_words


_VI_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")
_EN_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:,\d{3}){2,}")

#: A written number: "5.705.840", "98,5", "12", "1,200,000", "4.0".
NUMBER = r"\d+(?:[.,]\d+)*"
_ANY_DIGITS = re.compile(NUMBER)


def read_remaining_numbers(text: str, dialect: str | Dialect = "north") -> str:
    """Last pass: read every digit sequence still in the text, so that the
    output never contains a digit whatever the classes before it missed."""
    if not DIGITISH.search(text):
        return text
    d = get_dialect(dialect)
    text = _ANY_DIGITS.sub(lambda m: f" {_read_any(m.group(0), d)} ", text)
    if DIGITISH.search(text):
        text = "".join(_safe_char(c) for c in text)
    return text


def _read_any(s: str, d: Dialect) -> str:
    if not s.isascii():  # other scripts' digits: map to ASCII first

        s = "".join(str(unicodedata.decimal(c, 0)) if c.isdigit() else c for c in s)
    return read_numeral(s, d)


def _safe_char(c: str) -> str:
    """Fallback for digit-like characters no regex caught (superscripts…)."""
    if c.isdigit():

        return f" {DIGITS[unicodedata.digit(c, 0)]} "
    return c


_HAS_DIGIT = re.compile(r"\d")
#: Decimal digits plus the characters for which ``str.isdigit()`` is also true
#: (superscripts, subscripts, circled digits…): none may reach an engine.
DIGITISH = re.compile(
    "\\d|[\u00b2\u00b3\u00b9\u1369-\u1371\u19da\u2070-\u2089\u2460-\u249b\u24ea-\u24ff"
    "\u2776-\u2793\U00010a40-\U00010a43\U00010e60-\U00010e68\U00011052-\U0001105a"
    "\U0001f100-\U0001f10a]")
