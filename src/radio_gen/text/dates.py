"""Dates, times, and the slash that may be a date, a ratio or a fraction.

"24/4" after "Sáng" is a date (hai mươi tư tháng tư), "50/53 trường" is a ratio
(năm mươi trên năm mươi ba), "1/3 diện tích" a fraction (một phần ba).  The
decision looks at the word right before (date words: ngày, sáng, chiều, …) and
the word right after (a noun that is counted means a ratio).  Word lists are in
``data/date_context.txt`` and ``data/date_follow.txt``.
"""

from __future__ import annotations

import datetime
import re

from radio_gen.text import _data
from radio_gen.text.numbers import Dialect, get_dialect, read_number, read_numeral

MONTHS: tuple[str, ...] = ("một", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín",
                           "mười", "mười một", "mười hai")
WEEKDAYS: tuple[str, ...] = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy",
                             "Chủ nhật")


def month_name(month: int) -> str:
    """"tư" for April: months are named, not counted (tháng tư, not tháng bốn)."""
    return MONTHS[month - 1]


def read_day(day: int, dialect: str | Dialect = "north") -> str:
    """A day as a plain number; "ngày" and "mùng" are added around it by
    ``day_prefix`` where the text needs them."""
    return read_number(day, dialect)


def spoken_date(d: datetime.date, dialect: str | Dialect = "north") -> str:
    """The station identification date: "thứ Năm, ngày hai mươi sáu tháng
    mười một năm hai nghìn không trăm hai mươi sáu"."""
    dia = get_dialect(dialect)
    return (f"{WEEKDAYS[d.weekday()]}, ngày {read_day(d.day, dia)} tháng {month_name(d.month)}"
            f" năm {read_number(d.year, dia)}")


def _date(day: int, month: int, year: int | None, d: Dialect, prefix: str = "") -> str:
    out = f"{prefix}{read_day(day, d)} tháng {month_name(month)}"
    return out if year is None else f"{out} năm {read_number(year, d)}"


_LAST_WORD = re.compile(r"([^\W\d_]+)[\s(]*$")


def day_prefix(text: str, start: int, day: int, mung: bool) -> str:
    """"ngày " (and "mùng " for days 1-10 when the station says so) before a
    day that the text does not already introduce: a listener must not hear a
    bare "năm tháng sáu"."""
    m = _LAST_WORD.search(text, max(0, start - 12), start)
    word = m.group(1).lower() if m else ""
    if word in ("mùng", "mồng"):
        return ""
    if word == "hôm":  # "hôm mùng chín tháng mười một"
        return "mùng " if mung and day <= 10 else ""
    mung_word = "mùng " if mung and day <= 10 else ""
    if word in ("ngày", "khánh") or _NAMED_DAY.search(text, max(0, start - 40), start):
        return mung_word  # "Ngày Quốc tế Phụ nữ mùng tám tháng ba"
    return "ngày " + mung_word


def _year(y: str) -> int:
    return int(y) if len(y) == 4 else 2000 + int(y)


def _valid(day: int, month: int) -> bool:
    return 1 <= day <= 31 and 1 <= month <= 12


# --- times ---------------------------------------------------------------------------
_TIME_H = re.compile(r"(?<![\w.,])(?P<hour>\d{1,2})\s?(?P<unit>[hg])"
                     r"(?:(?P<min>\d{2})(?:\s?(?:phút|ph|p|')(?!\w))?)?(?!\w)"
                     r"(?P<per>/[^\W\d_]+(?!\w))?")
_TIME_DASH = re.compile(r"(?:(?<=giờ)|(?<=phút))\s*[-–]\s*(?=(?:\w+\s){1,3}giờ)")
_HMS = re.compile(r"(?<![\w.,])(\d{1,2})\s?[hg](\d{1,2})\s?(?:m|p|ph)(?:(\d{1,2})\s?s)?(?!\w)")
_MINUTE_MARK = re.compile(r"(giờ)\s+(\d{1,2})\s?['’](?!\w)")
_TIME_COLON = re.compile(r"(?<![\w.,:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?![\w:]|[.,]\d)")


def _clock(h: int, m: int, s: int | None, d: Dialect) -> str | None:
    if h > 24 or m > 59 or (s is not None and s > 59):
        return None
    out = f"{read_number(h, d)} giờ"
    if m:
        out += f" {read_number(m, d)} phút"
    if s:
        out += f" {read_number(s, d)} giây"
    return out


def times(text: str, dialect: str | Dialect = "north") -> str:
    """7h30 -> bảy giờ ba mươi phút, 14h00 -> mười bốn giờ, 10:30, 6h."""
    d = get_dialect(dialect)

    def h_form(m: re.Match[str]) -> str:
        if m.group("unit") == "g" and m.group("min") is None:  # "5g" is five grams, "7g30" a time
            return m.group(0)
        out = _clock(int(m.group("hour")), int(m.group("min") or 0), None, d)
        if out is None:
            return m.group(0)
        return out + (" một " + m.group("per")[1:] if m.group("per") else "")

    def colon_form(m: re.Match[str]) -> str:
        s = m.group(3)
        h, mi = int(m.group(1)), int(m.group(2))
        if s is None and h > 24 and mi < 60:  # "27:45": a race time, minutes and seconds
            return f"{read_number(h, d)} phút {read_number(mi, d)} giây"
        out = _clock(h, mi, None if s is None else int(s), d)
        return m.group(0) if out is None else out

    def hms(m: re.Match[str]) -> str:
        out = _clock(int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None, d)
        return m.group(0) if out is None else out

    before = text
    if "h" in text or "g" in text:
        text = _HMS.sub(hms, text)
        text = _TIME_H.sub(h_form, text)
    if ":" in text:
        text = _TIME_COLON.sub(colon_form, text)
    if "phút phút" in text:  # "10:20 phút"
        text = text.replace("phút phút", "phút")
    if "'" in text or "’" in text:
        text = _MINUTE_MARK.sub(lambda m: f"{m.group(1)} {read_number(int(m.group(2)), d)} phút", text)
    if text is not before and ("-" in text or "–" in text):
        text = _TIME_DASH.sub(" đến ", text)  # "7h30-8h" -> … đến tám giờ
    return text


# --- dates and slashes ---------------------------------------------------------------
_INT = r"\d{1,3}(?:\.\d{3})+|\d+"
_SLASH = re.compile(
    rf"(?<![\w.,/])(?:(?P<d0>\d{{1,2}})\s*[-–]\s*)?(?P<a>{_INT})/(?P<b>{_INT})"
    rf"(?:/(?P<y>\d{{4}}|\d{{2}}))?(?![\w/]|[.,]\d)")
_DOTTED_DATE = re.compile(
    r"(?<![\w.,/])(\d{1,2})\s?([.-])\s?(\d{1,2})\s?\2\s?(\d{4})(?![\w/]|[.,]\d)")
_DAY_SPAN_DOT = re.compile(r"(?<![\w.,/-])(\d{1,2})\s*[-–]\s*(\d{1,2})\.(\d{1,2})(?![\w/]|[.,]\d)")
_ISO_DATE = re.compile(r"(?<![\w.,/-])((?:19|20)\d\d)-(\d\d)-(\d\d)(?![\w/-]|[.,]\d)")
_DASH_DATE = re.compile(r"(?<![\w.,/-])(\d{1,2})([.-])(\d{1,2})(?![\w/]|[.,-]\d)")
_NAMED_DAY = re.compile(r"(?<!\w)(?i:ngày|dịp|lễ)\s+[A-ZĐÂĂÊÔƠƯ][^\W\d_]*\s+(?:[^\W\d_]+\s+){0,5}$")
_MONTH_YEAR_DASH = re.compile(r"(?<![\w.,/-])(0[1-9]|1[0-2]|(?<=tháng )[1-9])[-.]((?:19|20)\d\d)(?![\w/-]|[.,]\d)")
_MONTH_SPAN_BARE = re.compile(r"(?<!\w)([Tt]háng)\s+(0?[1-9]|1[0-2])\s*[-–]\s*(0?[1-9]|1[0-2])(?![\w/]|[.,-]\d)")
_T_MONTH = re.compile(r"(?<!\w)T(\d{1,2})/(?=(?:19|20)\d\d(?!\d))")
_MONTH_SPAN = re.compile(r"(?<!\w)([Tt]háng)\s+(\d{1,2})\s*[-–]\s*(?=\d{1,2}/(?:19|20)\d\d(?!\d))")
_DATE_SPAN = re.compile(
    r"(?<![\w.,/])(\d{1,2}/\d{1,2}(?:/\d{4})?|\d{1,2}/(?:19|20)\d\d)\s*[-–]\s*"
    r"(?=(?:tháng\s+)?\d{1,2}/\d{1,4}(?![\w]|[.,]\d))")
_MONTH_DOT_YEAR = re.compile(r"([-–]\s?)(\d{1,2})\.((?:19|20)\d\d)(?!\d)")
_MONTH_PAIR = re.compile(r"(?<![\w.,/])(0?[1-9]|1[0-2])\s*[-–]\s*(?=(?:0?[1-9]|1[0-2])[/.](?:19|20)\d\d(?!\d))")
_MONTH_WORD = re.compile(r"(?<!\w)([Tt]háng)\s+(\d{1,2})(?:\s+((?:19|20)\d\d))?(?![\w/]|[.,]\d)")
_PREV_WORD = re.compile(r"(\w+)\s+$|\($")
_NEXT_WORD = re.compile(r"\s*([^\W\d_]+(?:\s+[^\W\d_]+)?)")
_DATE_LINK = re.compile(r"\s*(?:và|hoặc|đến|tới|-|–)\s*")
_TAIL = 24  # characters of context looked at before a slash


def _int(s: str) -> int:
    return int(s.replace(".", ""))


def ratio(a: str, b: str, d: Dialect) -> str:
    """50/53 -> năm mươi trên năm mươi ba; 1/3 -> một phần ba (a < b <= 10)."""
    ia, ib = _int(a), _int(b)
    if len(a) < 16 and len(b) < 16 and 0 < ia < ib <= 10:
        return f"{read_number(ia, d)} phần {'tư' if ib == 4 else read_number(ib, d)}"
    return f"{read_numeral(a, d)} trên {read_numeral(b, d)}"


def _is_date_context(text: str, start: int, end: int) -> bool | None:
    """True: surely a date; False: surely a count; None: undecided."""
    before = _PREV_WORD.search(text, max(0, start - _TAIL), start)
    if before is not None:
        word = before.group(1)
        if word is None or word.lower() in _data.words("date_context.txt"):
            return True
        if word.lower() in _data.words("ratio_context.txt"):
            return False
        if _NAMED_DAY.search(text, max(0, start - 40), start):
            return True
    after = _NEXT_WORD.match(text, end)
    if after is not None:
        first = after.group(1).split()[0]
        if first.islower():
            follow = _data.words("date_follow.txt")
            return True if first in follow or after.group(1).lower() in follow else False
    return None


def _spans(text: str) -> str:
    """Date ranges written with a dash ("01/6 - 30/6", "tháng 3 - 6/2027",
    "T3/2017-T3/2018"): the dash is said "đến"."""
    if "T" in text and "/" in text:
        text = _T_MONTH.sub(r"tháng \1/", text)
    if "." in text:
        text = _MONTH_DOT_YEAR.sub(r"\1\2/\3", text)
    if "háng" in text:
        text = _MONTH_SPAN.sub(r"\1 \2 đến tháng ", text)
        text = _MONTH_SPAN_BARE.sub(lambda m: m.group(0) if int(m.group(2)) >= int(m.group(3))
                                    else f"{m.group(1)} {m.group(2)} đến tháng {m.group(3)}", text)
    text = _MONTH_PAIR.sub(r"tháng \1 đến tháng ", text)
    return _DATE_SPAN.sub(r"\1 đến ", text)


def _is_date_follow(text: str, end: int) -> bool:
    after = _NEXT_WORD.match(text, end)
    if after is None:
        return True
    follow = _data.words("date_follow.txt")
    first = after.group(1).split()[0]
    return not first.islower() or first in follow or after.group(1).lower() in follow


def dates(text: str, dialect: str | Dialect = "north", *, mung: bool = False) -> str:
    """Every digit/digit form: dates (1/7/2022, 24/4, 20-21/10, 4/2023, 8-3
    after a date word, 27.02), ratios and fractions; then "tháng 4" -> tháng tư.
    A day gets "ngày" (and "mùng" for 1-10 with ``mung``) when the text does
    not introduce it."""
    d = get_dialect(dialect)

    def prefix(m: re.Match[str], day: int, start: int | None = None) -> str:
        return day_prefix(m.string, m.start() if start is None else start, day, mung)

    def dotted(m: re.Match[str]) -> str:
        day, month = int(m.group(1)), int(m.group(3))
        if not _valid(day, month):
            return m.group(0)
        return _date(day, month, int(m.group(4)), d, prefix(m, day))

    def iso(m: re.Match[str]) -> str:
        day, month = int(m.group(3)), int(m.group(2))
        if not _valid(day, month):
            return m.group(0)
        return _date(day, month, int(m.group(1)), d, prefix(m, day))

    last_dash_end = -1

    def dash_date(m: re.Match[str]) -> str:
        nonlocal last_dash_end
        day, month = int(m.group(1)), int(m.group(3))
        before = _PREV_WORD.search(m.string, max(0, m.start() - _TAIL), m.start())
        word = before.group(1) if before is not None else None
        if not _valid(day, month):
            return m.group(0)
        linked = last_dash_end >= 0 and _DATE_LINK.fullmatch(m.string, last_dash_end, m.start())
        if linked:  # "dịp 30-4 và 1-5"
            last_dash_end = m.end()
            return _date(day, month, None, d, prefix(m, day))
        if word is None or word.lower() not in _data.words("date_dash_context.txt"):
            # "Ngày Quốc tế Phụ nữ 8-3", "dịp Quốc khánh 2.9": a named day just before
            if not _NAMED_DAY.search(m.string, max(0, m.start() - 40), m.start()):
                return m.group(0)
        if m.group(2) == "-" and _NEXT_WORD.match(m.string, m.end()) and not _is_date_follow(m.string, m.end()):
            return m.group(0)  # "sáng 5-7 người": a count
        last_dash_end = m.end()
        return _date(day, month, None, d, prefix(m, day))

    def month_year(m: re.Match[str]) -> str:
        before = m.string[max(0, m.start() - 6):m.start()].lower()
        lead = "" if before.rstrip().endswith("tháng") else "tháng "
        return f"{lead}{month_name(int(m.group(1)))} năm {read_number(int(m.group(2)), d)}"

    last_date_end = -1  # "ngày 20/10, 21/10 và 22/10": a date list stays dates

    def slash(m: re.Match[str]) -> str:
        nonlocal last_date_end
        out = _slash(m)
        if out is None:
            return ratio(m.group("a"), m.group("b"), d)
        reading, is_date = out
        if is_date:
            last_date_end = m.end()
        return reading

    def _slash(m: re.Match[str]) -> tuple[str, bool] | None:
        """(reading, is it a date) for the shapes decided here; None: a plain
        ratio or fraction."""
        a, b, y, d0 = m.group("a"), m.group("b"), m.group("y"), m.group("d0")
        small = len(a) <= 2 and len(b) <= 2
        if y is not None:
            if small and _valid(int(a), int(b)):
                if d0:
                    first = f"{prefix(m, int(d0))}{read_day(int(d0), d)} đến "
                    return first + _date(int(a), int(b), _year(y), d, day_prefix("đến", 3, int(a), mung)), True
                return _date(int(a), int(b), _year(y), d, prefix(m, int(a))), True
            return " trên ".join(read_numeral(x, d) for x in (d0, a, b, y) if x), False
        if d0 is not None:
            if small and _valid(int(a), int(b)) and 1 <= int(d0) < int(a):
                return (f"{prefix(m, int(d0))}{read_day(int(d0), d)} đến "
                        f"{_date(int(a), int(b), None, d, day_prefix('đến', 3, int(a), mung))}"), True
            return f"{read_numeral(d0, d)} - {ratio(a, b, d)}", False
        if len(a) <= 2 and len(b) == 4 and 1 <= int(a) <= 12 and b[:2] in ("19", "20"):
            before = m.string[max(0, m.start() - 6):m.start()].lower()
            lead = "" if before.rstrip().endswith("tháng") else "tháng "
            return f"{lead}{month_name(int(a))} năm {read_number(int(b), d)}", True
        if a == "24" and b == "7" and not _is_date_context(m.string, m.start(), m.end()):
            return "hai mươi bốn trên bảy", False  # "24/7": round the clock
        if small and _valid(int(a), int(b)):
            # after another date, "và 22/10" stays a date even before a noun;
            # ", 12/12 xã" does not (a count often follows a dated clause)
            linked = last_date_end >= 0 and _DATE_LINK.fullmatch(m.string, last_date_end, m.start())
            if linked or _is_date_context(m.string, m.start(), m.end()) is not False:
                return _date(int(a), int(b), None, d, prefix(m, int(a))), True
        return None

    def month_word(m: re.Match[str]) -> str:
        month = int(m.group(2))
        if not 1 <= month <= 12:
            return m.group(0)
        year = f" năm {read_number(int(m.group(3)), d)}" if m.group(3) else ""
        return f"{m.group(1)} {month_name(month)}{year}"

    def day_span_dot(m: re.Match[str]) -> str:
        before = _PREV_WORD.search(m.string, max(0, m.start() - _TAIL), m.start())
        word = before.group(1) if before is not None else None
        if word is None or word.lower() not in _data.words("date_dash_context.txt"):
            return m.group(0)
        return f"{m.group(1)}-{m.group(2)}/{m.group(3)}"  # "đêm 16-17.12" is "16-17/12"

    if "-" in text or "–" in text:
        text = _spans(text)
        if "." in text:
            text = _DAY_SPAN_DOT.sub(day_span_dot, text)
    if "/" in text:
        text = _SLASH.sub(slash, text)
    text = _DOTTED_DATE.sub(dotted, text)
    if "-" in text:
        text = _ISO_DATE.sub(iso, text)
    if "-" in text or "." in text:
        text = _MONTH_YEAR_DASH.sub(month_year, text)
        text = _DASH_DATE.sub(dash_date, text)
    if "háng" in text:
        text = _MONTH_WORD.sub(month_word, text)
    return text
