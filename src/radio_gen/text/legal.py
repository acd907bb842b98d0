"""Legal document numbers and quarters, the way an announcer reads them.

"Thông tư 25/2025/TT-NHNN" -> "Thông tư số hai mươi lăm năm hai nghìn không
trăm hai mươi lăm của Ngân hàng Nhà nước"; "Kế hoạch số 125/KH-UBND" ->
"Kế hoạch số một trăm hai mươi lăm của Ủy ban nhân dân"; "Chỉ thị 05-CT/TW" ->
"Chỉ thị số năm của Trung ương"; "Luật số 45/2019/QH14" -> "… của Quốc hội khóa
mười bốn".  The type code is not read when the type is written before the
number; the body is not read when the sentence names it next ("… của UBND
huyện").  Both codes live in tables an operator extends: ``data/doc_types.tsv``
and ``data/doc_bodies.tsv``.  "Quý I/2026", "quý 02/2021", "quý III.2021" ->
"quý một năm hai nghìn không trăm hai mươi sáu".
"""

from __future__ import annotations

import re

from radio_gen.text import _data
from radio_gen.text.numbers import Dialect, get_dialect, read_digits, read_number
from radio_gen.text.roman import roman_to_int


def _alt(keys: list[str]) -> str:
    return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))


_TYPES = _data.table("doc_types.tsv")
_BODIES = _data.table("doc_bodies.tsv")
_TYPE_WORDS = sorted(set(_TYPES.values()) | {"luật", "hiến pháp", "văn bản", "quy định"}, key=len,
                     reverse=True)
_TYPE_WORD_ALT = "|".join(w.replace(" ", r"\s+") for w in _TYPE_WORDS)
_DOC = re.compile(
    rf"(?<![\w/.,-])(?:(?P<word>(?i:{_TYPE_WORD_ALT}))\s+)?"
    rf"(?:(?P<so>[Ss]ố)\s*)?(?P<num>\d{{1,5}})(?:/(?P<year>(?:19|20)\d\d))?[/-]"
    rf"(?:(?P<type>{_alt(list(_TYPES))})[-/])?(?P<body>{_alt(list(_BODIES))})(?P<term>\d{{1,2}})?"
    r"(?P<tail>(?:-[A-ZĐ][A-Za-zĐđ]{0,7})*)(?![\w/-])")
_CODE_ONLY = re.compile(
    rf"(?<![\w/-])(?P<type>{_alt(list(_TYPES))})-(?P<body>{_alt(list(_BODIES))})(?P<term>\d{{1,2}})?"
    r"(?P<tail>(?:-[A-ZĐ][A-Za-zĐđ]{0,7})*)(?![\w/-])")
#: Cheap tests that a pattern can match at all (most sentences have no document).
_HINT_NAMED = re.compile(r"(?<!\d)0\d(?!\d)")
_HINT_DOC = re.compile(r"\d[/-](?:\d{4}/)?[A-ZĐ]")
_HINT_CODE = re.compile(r"[A-ZĐ]-[A-ZĐ]")
_BODY_NAMED_NEXT = re.compile(r"\s*,?\s*(?:ngày\s+\S+\s+)?của(?!\w)")
_QUARTER = re.compile(r"(?<!\w)(?P<q>[Qq]uý)\s+(?P<n>I{1,3}|IV|0?[1-4])\s*[/.-]\s*(?P<y>(?:19|20)\d\d)"
                      r"(?![\w/]|[.,]\d)")


def _body(body: str, term: str | None, d: Dialect, tail: str = "") -> str:
    """The issuer; more issuers after a dash are joined ("BTC-BNV": … và …), a
    department code of the issuer ("UBND-VP") is not read."""
    out = _BODIES[body]
    if term:
        out += f" khóa {read_number(int(term), d)}"
    for code in tail.split("-")[1:]:
        if code in _BODIES:
            out += f" và {_BODIES[code]}"
    return out


def _doc_number(num: str, d: Dialect) -> str:
    """"05" in "Chỉ thị 05" is a name, said "không năm"; "125" is a number."""
    return read_digits(num) if len(num) == 2 and num[0] == "0" else read_number(int(num), d)


_NAMED = re.compile(rf"(?<!\w)((?i:{_TYPE_WORD_ALT}|đề án)\s+(?:số\s+)?)(0\d)(?![\w/-]|[.,]\d)")


def documents(text: str, dialect: str | Dialect = "north") -> str:
    """Document numbers ("25/2025/TT-NHNN") and bare codes ("TT-BTC")."""
    d = get_dialect(dialect)

    def doc(m: re.Match[str]) -> str:
        word, type_code = m.group("word"), m.group("type")
        if word is None and type_code is None and m.group("so") is None:
            return m.group(0)  # "5/CP" alone: too little to call it a document
        name = word if word is not None else _TYPES.get(type_code or "", "")
        year = m.group("year")
        number = read_number(int(m.group("num")), d) if year else _doc_number(m.group("num"), d)
        out = f"{name} số {number}".lstrip()
        if year:
            out += f" năm {read_number(int(year), d)}"
        if not _BODY_NAMED_NEXT.match(m.string, m.end()):
            out += f" của {_body(m.group('body'), m.group('term'), d, m.group('tail'))}"
        return out

    def code(m: re.Match[str]) -> str:
        return f"{_TYPES[m.group('type')]} của {_body(m.group('body'), m.group('term'), d, m.group('tail'))}"

    if "0" in text and _HINT_NAMED.search(text):
        text = _NAMED.sub(lambda m: m.group(1) + read_digits(m.group(2)), text)
    if _HINT_DOC.search(text):
        text = _DOC.sub(doc, text)
    if _HINT_CODE.search(text):
        text = _CODE_ONLY.sub(code, text)
    return text


def quarters(text: str, dialect: str | Dialect = "north") -> str:
    """Quý I/2026 -> quý một năm hai nghìn không trăm hai mươi sáu."""
    d = get_dialect(dialect)

    def repl(m: re.Match[str]) -> str:
        n = m.group("n")
        value = int(n) if n.isdigit() else roman_to_int(n)
        return f"{m.group('q')} {read_number(value or 0, d)} năm {read_number(int(m.group('y')), d)}"

    return _QUARTER.sub(repl, text) if "uý" in text else text
