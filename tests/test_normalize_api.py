"""API-level tests of radio_gen.text: number reader properties, lexicon files,
spoken dates, the problem checker, and robustness of normalize()."""

from __future__ import annotations

import datetime
import re
import unicodedata

import pytest

from helpers.timing import scaling
from radio_gen.text import (Lexicon, LexiconError, TextError, normalize, read_number,
                            speakable_problems, spoken_date)

# --- a small Vietnamese words -> int parser (independent of the reader) ------------
_DIGIT = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5,
          "lăm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9}
_SCALE = {"nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6, "tỷ": 10**9}


def parse_vietnamese_number(text: str) -> int:
    """Parse a reading such as "một nghìn không trăm mười lăm" back to 1015."""
    total, small, last = 0, 0, 0
    for word in text.split():
        if word in _DIGIT:
            last = _DIGIT[word]
            small += last
        elif word == "mười":
            small += 10
        elif word == "mươi":
            small += last * 9
        elif word == "trăm":
            small += last * 99
        elif word in ("linh", "lẻ"):
            pass
        elif word in _SCALE:
            total += small * _SCALE[word]
            small = 0
        else:
            raise ValueError(f"not a number word: {word!r}")
    return total + small


# Hypothesis is imported inside the property tests, not at collection: under pytest (which
# rewrites the asserts of a plugin's whole package) the import costs about a second of CPU,
# paid only by the xdist worker that runs these tests instead of by every worker.

def _round_trips(n: int, dialect: str) -> None:
    words = read_number(n, dialect)
    assert not re.search(r"\d", words), (n, words)
    assert parse_vietnamese_number(words) == n, (n, words)


def test_read_number_round_trips() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, deadline=None)
    @given(st.integers(min_value=0, max_value=999_999_999_999), st.sampled_from(["north", "south"]))
    def round_trips(n: int, dialect: str) -> None:
        _round_trips(n, dialect)

    round_trips()


#: Every reading of a group of three digits (không trăm, linh/lẻ, mốt, tư, lăm, mười), alone
#: and inside a bigger number, where a zero group or a leading zero changes the words.
_GROUPS = (0, 1, 4, 5, 10, 11, 14, 15, 21, 24, 25, 100, 101, 104, 105, 110, 111, 115, 124, 999)


@pytest.mark.parametrize("dialect", ["north", "south"])
def test_read_number_round_trips_for_every_group_shape(dialect: str) -> None:
    for n in range(10_000):
        _round_trips(n, dialect)
    for high in _GROUPS:
        for low in _GROUPS:
            for scale in (10**3, 10**6, 10**9):  # with zero groups between them from 10**6 on
                _round_trips(high * scale + low, dialect)


@pytest.mark.parametrize("n,north,south", [
    (0, "không", "không"),
    (14, "mười bốn", "mười bốn"),
    (15, "mười lăm", "mười lăm"),
    (21, "hai mươi mốt", "hai mươi mốt"),
    (24, "hai mươi tư", "hai mươi bốn"),
    (104, "một trăm linh bốn", "một trăm lẻ bốn"),
    (1015, "một nghìn không trăm mười lăm", "một ngàn không trăm mười lăm"),
    (1_000_005, "một triệu không trăm linh năm", "một triệu không trăm lẻ năm"),
    (2_000_000_000, "hai tỷ", "hai tỷ"),
])
def test_read_number_examples(n: int, north: str, south: str) -> None:
    assert read_number(n) == north
    assert read_number(n, "south") == south


def test_unknown_dialect_is_value_error() -> None:
    with pytest.raises(ValueError, match="north"):
        normalize("1 xã", dialect="central")
    with pytest.raises(ValueError):
        read_number(5, "klingon")


# --- spoken dates --------------------------------------------------------------------
def test_spoken_date_station_identification() -> None:
    assert spoken_date(datetime.date(2026, 11, 26)) == (
        "thứ Năm, ngày hai mươi sáu tháng mười một năm hai nghìn không trăm hai mươi sáu")
    assert spoken_date(datetime.date(2024, 4, 14)).startswith("Chủ nhật, ngày mười bốn tháng tư")
    assert "ngàn" in spoken_date(datetime.date(2025, 1, 1), "south")


# --- lexicon -------------------------------------------------------------------------
GOLD_ABBREVIATIONS = ["UBND", "HĐND", "UVBTVHU", "MTTQ", "UBMTTQ", "HTX", "THCS", "THPT",
                      "BHYT", "BTXH", "NTM", "MTQG", "KT-XH", "QP-AN", "PCTT", "TKCN", "LHPN",
                      "TNCS", "CLB", "BCH", "Đ/c", "SN", "Covid", "TT", "TT HĐND",
                      "TT Chính trị", "UVBTV Huyện ủy", "TS.", "ThS.", "TP.", "v.v.", "TTYT"]


def test_default_lexicon_is_big_and_clean() -> None:
    lex = Lexicon.default()
    assert lex is Lexicon.default()  # cached
    assert len(lex) >= 200
    assert lex.problems == []
    for abbr in GOLD_ABBREVIATIONS:
        assert abbr in lex, abbr
    # no reading contains an abbreviation that would need expanding again
    for abbr in lex:
        assert not lex.find(lex[abbr]), (abbr, lex[abbr])
        assert not re.search(r"\d", lex[abbr])


def test_context_dependent_tt() -> None:
    assert normalize("TT HĐND huyện.").lower() == "thường trực hội đồng nhân dân huyện."
    assert normalize("Chợ TT Nghèn.").lower() == "chợ thị trấn nghèn."
    assert normalize("Giám đốc TT Chính trị huyện.").lower() == "giám đốc trung tâm chính trị huyện."


def test_station_lexicon_overrides_and_reports(tmp_path) -> None:
    f = tmp_path / "lexicon.txt"
    f.write_text("# station words\n"
                 "TT = trung tâm\n"
                 "XYZ = ích y dét   # a comment\n"
                 "this line has no equals sign\n"
                 "ABC =\n"
                 "Nghèn = nghèn\n", encoding="utf-8")
    lex = Lexicon.from_file(f)
    assert lex["TT"] == "trung tâm"
    assert lex["XYZ"] == "ích y dét"
    assert lex["UBND"] == "ủy ban nhân dân"  # merged over the default
    assert len(lex.problems) == 2
    assert lex.problems[0].startswith("lexicon.txt line 4: expected 'ABBR = reading'")
    assert lex.problems[1].startswith("lexicon.txt line 5:")
    assert normalize("Chợ TT Nghèn, XYZ.", lexicon=lex).lower() == "chợ trung tâm nghèn, ích y dét."
    assert Lexicon.default()["TT"] == "thị trấn"  # default untouched


def test_station_lexicon_without_base_merge(tmp_path) -> None:
    f = tmp_path / "only.txt"
    f.write_text("ABC = a bê xê\n", encoding="utf-8")
    lex = Lexicon.from_file(f, base=Lexicon())
    assert list(lex) == ["ABC"]


def test_unreadable_lexicon_raises(tmp_path) -> None:
    with pytest.raises(LexiconError):
        Lexicon.from_file(tmp_path / "missing.txt")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00garbage\xff")
    with pytest.raises(TextError, match="UTF-8"):
        Lexicon.from_file(bad)


def test_case_rules() -> None:
    lex = Lexicon.default()
    assert normalize("covid và COVID và Covid").lower() == "cô vít và cô vít và cô vít"
    assert normalize("đ/c Nam").lower() == "đồng chí nam"
    # a capitals-only key does not match a lower-case word
    assert "tt" in normalize("tt").lower()
    assert lex.find("thị trấn") == []


# --- speakable_problems --------------------------------------------------------------
def test_speakable_problems() -> None:
    assert speakable_problems("ủy ban nhân dân huyện họp.") == []
    problems = speakable_problems("UBND huyện có 5 xã.")
    assert any("5" in p for p in problems)
    assert any("UBND" in p for p in problems)
    assert speakable_problems(unicodedata.normalize("NFD", "Hà Tĩnh"))
    assert speakable_problems("x²")


# --- robustness ----------------------------------------------------------------------
def test_normalize_is_total() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, deadline=None)
    @given(st.text(max_size=200))
    def total(text: str) -> None:
        out = normalize(text)
        assert not any(c.isdigit() for c in out)
        assert unicodedata.is_normalized("NFC", out)

    total()


def test_normalize_is_total_on_number_soup() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet="0123456789.,/-:h %HĐNDUBTVIXđkm2 \n", max_size=80))
    def total(text: str) -> None:
        out = normalize(text, dialect="south")
        assert not any(c.isdigit() for c in out)

    total()


LONG_UNITS = ["1", "1.", "1/", "9-", "ab ", "XV ", "...", "0912.", "a1", "1 ", "1,", "1-1 ",
              "a.", "A. ", "TT ", "1h", "1:", "12/12 ", "I ", "khóa ", "ngày 1/", "0 ", "+84 ",
              "1 m ", "/a", "a/", "a-", "a.b", "Đ/c ", "a", "1.000", "5%", "-5", "thứ ", "U1",
              "!?", "“", "a-b/", "0 0", "1 -", " ", "\n", "tháng 1"]


@pytest.mark.parametrize("unit", LONG_UNITS)
def test_long_lines_are_fast(unit: str) -> None:
    """A line of one unit repeated costs time linear in its length: 4 times the line, at most 8
    times the time (the old sentence-end regex was quadratic: 10,000 dots took 10 s)."""
    outputs: list[str] = []
    grown = scaling(lambda text: outputs.append(normalize(text)), unit * (2_500 // len(unit)),
                    unit * (10_000 // len(unit)))
    assert grown.linear, f"{unit!r}: {grown}"
    assert not any(c.isdigit() for c in outputs[-1])


def test_keeps_line_breaks_and_punctuation() -> None:
    out = normalize("Dòng 1.\nDòng 2, có 3 xã!")
    assert out == "Dòng một.\nDòng hai, có ba xã!"


def test_station_entries_with_digits_override_the_number_rules(tmp_path) -> None:
    f = tmp_path / "lexicon.txt"
    f.write_text("U23 = u hai ba\nCovid-19 = cô vít mười chín\nQuốc lộ 1A = quốc lộ một a\n",
                 encoding="utf-8")
    lex = Lexicon.from_file(f)
    assert lex.problems == []
    out = normalize("Đội U23 và U230, COVID-19, covid-19, Quốc lộ 1A.", lexicon=lex)
    assert out == "Đội u hai ba và u hai trăm ba mươi, cô vít mười chín, cô vít mười chín, quốc lộ một a."
    assert lex.find("U23 thắng") == ["U23"]
