"""Roman numerals, ordinals and alphanumeric codes.

Vietnamese writes Roman numerals after a few words only (khóa XV, lần thứ
XXIV, quý IV, thế kỷ XXI, Đại hội XIII): they are read only there, so a
capital "I" or "V" elsewhere is left alone.  After "thứ", 1 and 4 take their
ordinal forms: "thứ nhất", "thứ tư".  Codes mix letters and digits (U15,
Quốc lộ 1A, H5N1, F0): digits are read as a number, single letters by their
Vietnamese names (data/letters.tsv).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from radio_gen.text import _data
from radio_gen.text.numbers import Dialect, get_dialect, read_int_str, read_number

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN_OK = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_TRIGGER = (r"khóa|khoá|lần\s+thứ|thứ|quý|thế\s+kỷ|thế\s+kỉ|đại\s+hội|kỳ|kì|chương|phần|mục|"
            r"điều|tập|giai\s+đoạn|đợt|cấp|hạng|loại|vùng|quân\s+khu|số|khoản|phụ\s+lục|hồi|đoạn|tiết|bài|"
            r"vòng|thế\s+chiến|Thế\s+chiến")
_ROMAN_AFTER = re.compile(rf"(?<!\w)(?i:({_TRIGGER}))\s+([IVXLCDM]+)(?!\w)")
_HINT_ROMAN = re.compile(r"\s[IVXLCDM]+(?!\w)")
_ORDINAL = re.compile(r"(?<!\w)([Tt]hứ|[Hh]ạng)\s+(\d{1,3})(?![\w]|[.,]\d)")
_CODE = re.compile(r"(?<![\w.,])(?=[^\W_]*\d)(?=[^\W_]*[^\W\d_])[^\W_]+(?!\w)")
_CODE_PART = re.compile(r"\d+|[^\W\d_]+")
_ROAD = re.compile(
    r"(?<![\w.])(" + "|".join(_data.table("roads.tsv")) + r")\.?\s?(\d+)([A-Z]?)(?!\w|[.,]\d)")
_PLACE = re.compile(
    r"(?<![\w.])(" + "|".join(_data.table("place_prefixes.tsv"))
    + r")\.\s?(?=\d|[A-ZĐ][^\W\d_]*[a-zđ\u00c0-\u1ef9]|HCM)")
_LETTER_DASH_DIGIT = re.compile(r"(?<=[^\W\d_])-(?=\d)")


def roman_to_int(s: str) -> int | None:
    """Value of a well-formed Roman numeral, else None ("IIII", "VX", "")."""
    if not s or not _ROMAN_OK.fullmatch(s):
        return None
    total = 0
    for i, c in enumerate(s):
        v = _ROMAN_VALUES[c]
        total += -v if i + 1 < len(s) and _ROMAN_VALUES[s[i + 1]] > v else v
    return total


def ordinal(n: int, dialect: str | Dialect = "north") -> str:
    """The word after "thứ": 1 -> nhất, 4 -> tư, others as cardinals."""
    if n == 1:
        return "nhất"
    if n == 4:
        return "tư"
    return read_number(n, dialect)


def romans(text: str, dialect: str | Dialect = "north", lexicon: Mapping[str, str] | None = None) -> str:
    """khóa XV -> khóa mười lăm, lần thứ I -> lần thứ nhất, quý IV -> quý bốn.
    A word of the lexicon is not a numeral ("cấp DV công" is dịch vụ, not 505)."""
    d = get_dialect(dialect)

    if not _HINT_ROMAN.search(text):
        return text

    def repl(m: re.Match[str]) -> str:
        value = roman_to_int(m.group(2))
        if value is None or (lexicon is not None and len(m.group(2)) > 1 and m.group(2) in lexicon):
            return m.group(0)
        trigger = m.group(1)
        if trigger.lower().endswith("thứ"):
            return f"{trigger} {ordinal(value, d)}"
        return f"{trigger} {read_number(value, d)}"

    return _ROMAN_AFTER.sub(repl, text)


def ordinals(text: str, dialect: str | Dialect = "north") -> str:
    """thứ 1 -> thứ nhất, thứ 4 -> thứ tư, thứ 12 -> thứ mười hai; hạng 1, 2 -> hạng nhất, nhì."""
    d = get_dialect(dialect)
    def repl(m: re.Match[str]) -> str:
        n = int(m.group(2))
        if m.group(1).lower() == "hạng" and n == 2:
            return f"{m.group(1)} nhì"  # hạng nhất, hạng nhì, hạng ba
        return f"{m.group(1)} {ordinal(n, d)}"

    return _ORDINAL.sub(repl, text)


def roads(text: str, dialect: str | Dialect = "north") -> str:
    """QL1A -> quốc lộ một a, ĐT.548 -> đường tỉnh năm trăm bốn mươi tám (before the
    lexicon, which would read "ĐH" as đại học)."""
    d = get_dialect(dialect)
    roads_table = _data.table("roads.tsv")
    letters = _data.table("letters.tsv")

    def repl(m: re.Match[str]) -> str:
        out = f"{roads_table[m.group(1)]} {read_int_str(m.group(2), d)}"
        return out + (f" {letters.get(m.group(3), m.group(3))}" if m.group(3) else "")

    return _ROAD.sub(repl, text)


def places(text: str) -> str:
    """Q.1 -> quận 1, P.Bến Nghé -> phường Bến Nghé, Tp. Hà Nội -> thành phố Hà Nội
    (a capitalised name or a number must follow: "TP.HCM" is the lexicon's)."""
    if "." not in text:
        return text
    table = _data.table("place_prefixes.tsv")
    return _PLACE.sub(lambda m: table[m.group(1)] + " ", text)


def codes(text: str, dialect: str | Dialect = "north", lexicon: Mapping[str, str] | None = None) -> str:
    """U15 -> u mười lăm, 1A -> một a, Covid-19 -> Covid mười chín."""
    d = get_dialect(dialect)
    letters = _data.table("letters.tsv")
    if "-" in text:
        text = _LETTER_DASH_DIGIT.sub(" ", text)

    def repl(m: re.Match[str]) -> str:
        out = []
        for part in _CODE_PART.findall(m.group(0)):
            if part[0].isdigit():
                out.append(read_int_str(part, d) if part.isascii() else part)
            elif lexicon is not None and part in lexicon:
                out.append(lexicon[part])
            elif len(part) <= 2:
                out.append(" ".join(letters.get(c.upper(), c.lower()) for c in part))
            else:
                out.append(part)
        return " ".join(out)

    return _CODE.sub(repl, text)
