"""The peer suite: other projects' Vietnamese normalization cases, scored.

Each file of ``tests/data/tn/peer/*.tsv`` holds one source's cases (see SOURCES)::

    ref <TAB> category <TAB> written <TAB> spoken <TAB> scope <TAB> reason [<TAB> newscast]

``scope`` is ``in`` (a news text could contain it; scored against the peer's
reading), ``out`` (not news: code, teencode, bare letters, maths… never scored)
or ``wrong`` (in scope, but the peer's reading is wrong for a newscast: scored
against ``newscast``, our reading, and listed in the report).  A missing scope
column means ``in``.  Run ``python tests/helpers/peer_suite.py`` for the table.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

PEER = Path(__file__).resolve().parents[1] / "data" / "tn" / "peer"
TARGET = 0.97

_PUNCT = re.compile(r"[^\w\s]|_")
#: Readings that differ only in style: each pair is rewritten to one form on
#: both sides before comparing.
_EQUIVALENT = [
    (re.compile(r"\bngàn\b"), "nghìn"),
    (re.compile(r"\blẻ\b"), "linh"),
    (re.compile(r"\btỉ\b"), "tỷ"),
    (re.compile(r"\bmồng\b"), "mùng"),
    (re.compile(r"\bmươi tư\b"), "mươi bốn"),
    (re.compile(r"\bmươi năm\b"), "mươi lăm"),
    (re.compile(r"\bmươi một\b"), "mươi mốt"),
    (re.compile(r"\bmười năm\b"), "mười lăm"),
    (re.compile(r"\b(tỷ|triệu|nghìn) (?:không trăm )?linh (\w+) (?=triệu|nghìn)"), r"\1 \2 "),
    (re.compile(r"\bkhông trăm (?=linh|mười|\w+ mươi)"), ""),
    (re.compile(r"\bngày mùng\b"), "ngày"),
    # a day with or without "ngày" before it (radio-gen says it: a bare day is heard as a count)
    (re.compile(r"\bngày (?=(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|mươi|mốt|lăm|tư| )+ (?:tháng|đến))"), ""),
    # unit and currency names spelled two ways
    (re.compile(r"\bkilomet\b"), "ki lô mét"),
    (re.compile(r"\bgram\b"), "gam"),
    (re.compile(r"\bampe\b"), "am pe"),
    (re.compile(r"\beuro\b"), "ơ rô"),
    (re.compile(r"\brupee\b"), "rupi"),
    (re.compile(r"\bterabyte\b"), "tê ra bai"),
    (re.compile(r"\bxen ti\b"), "xăng ti"),
    (re.compile(r"\byên nhật\b"), "yên"),
    # "/" in a house number or a ratio: "xẹt" (South) or "trên"
    (re.compile(r"\b(?:xẹt|sẹc)\b"), "trên"),
    (re.compile(r"\bđộ c\b"), "độ xê"),
    (re.compile(r"\bkilogram\b"), "ki lô gam"),
    (re.compile(r"\bgờ\b"), "giê"),
    (re.compile(r"\bhẹc\b"), "héc"),
    (re.compile(r"\bi meo\b"), "email"),
    # "chín giờ ba mươi" and "chín giờ ba mươi phút": the minutes' word is optional
    (re.compile(r"\b(giờ(?: (?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|mươi|mốt|lăm|tư)){1,3}) phút\b"),
     r"\1"),
    # "/" after a unit: "ki lô mét trên giờ" and "ki lô mét một giờ" are both said
    (re.compile(r"\b(mét|gam|lít|giờ|giây|phút|đồng|đô la|ơ rô|bai|héc|oát|vôn) trên (?=\w)"), r"\1 một "),
    (re.compile(r"\bki lô\b"), "ki lô"),
    (re.compile(r"\b(?:kí|ký) lô\b"), "ki lô"),
    (re.compile(r"\bkilô\b|\bkilo\b"), "ki lô "),
    (re.compile(r"\bđô la mỹ\b|\bđô mỹ\b|\bđô\b(?! la)"), "đô la"),
    (re.compile(r"\bviệt nam đồng\b"), "đồng"),
]


_TONED = frozenset("àáảãạỳýỷỹỵèéẻẽẹ")


def _new_tone_place(s: str) -> str:
    """"hoà" -> "hòa", "uỷ" -> "ủy": old and new tone placement are one syllable."""
    out = []
    for word in s.split(" "):
        if len(word) >= 2 and word[-1] in _TONED and word[-2] in "ou":
            base, tone = unicodedata.normalize("NFD", word[-1])[0], unicodedata.normalize("NFD", word[-1])[1:]
            word = unicodedata.normalize("NFC", word[:-1] + tone + base)
        out.append(word)
    return " ".join(out)


_DIGIT_WORDS = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5,
                "lăm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9}
_FRACTION = re.compile(r"\bphẩy((?: (?:không|một|mốt|hai|ba|bốn|tư|năm|lăm|sáu|bảy|tám|chín|mười|mươi|trăm|"
                       r"linh|lẻ))+)")


def _fraction_digits(words: list[str]) -> str:
    """The digits of a decimal part read either way: "năm mươi sáu" and
    "năm sáu" are both 56, "không năm" is 05."""
    zeros = 0
    while zeros < len(words) and words[zeros] == "không" and (
            zeros + 1 < len(words) and words[zeros + 1] != "trăm"):
        zeros += 1
    rest = words[zeros:]
    if not any(w in ("mười", "mươi", "trăm", "linh", "lẻ") for w in rest):
        return "0" * zeros + "".join(str(_DIGIT_WORDS[w]) for w in rest)
    value, current = 0, 0
    for w in rest:
        if w == "trăm":
            value += current * 100
            current = 0
        elif w == "mươi":
            current *= 10
        elif w == "mười":
            current += 10
        elif w in ("linh", "lẻ"):
            continue
        else:
            current += _DIGIT_WORDS[w]
    return "0" * zeros + str(value + current)


def canon(s: str) -> str:
    """Lower-case, punctuation off, equivalent readings folded."""
    s = unicodedata.normalize("NFC", s).lower()
    s = _new_tone_place(" ".join(_PUNCT.sub(" ", s).split()))
    for pattern, repl in _EQUIVALENT:
        s = pattern.sub(repl, s)
    # the decimal part read as a number or digit by digit: both are said on air
    s = _FRACTION.sub(lambda m: "phẩy " + _fraction_digits(m.group(1).split()), s)
    return " ".join(s.split())


@dataclass(frozen=True)
class PeerCase:
    source: str
    ref: str
    category: str
    written: str
    spoken: str
    scope: str
    reason: str
    newscast: str

    @property
    def wanted(self) -> str:
        return self.newscast if self.scope == "wrong" else self.spoken


def load() -> list[PeerCase]:
    cases = []
    for path in sorted(PEER.glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t") + [""] * 7
            ref, category, written, spoken, scope, reason, newscast = cols[:7]
            cases.append(PeerCase(path.stem, ref, category, written, spoken,
                                  scope or "in", reason, newscast))
    return cases


def passes(case: PeerCase, normalize) -> tuple[bool, str]:
    dialect = "south" if "south" in case.category else "north"
    got = normalize(case.written, dialect=dialect)
    alternatives = [a for a in case.wanted.split(" | ") if a]
    return canon(got) in {canon(a) for a in alternatives}, got


def score(cases: list[PeerCase], normalize) -> dict:
    """Per-source and per-category (passed, total) of the scored cases,
    and the failures."""
    by_source: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_category: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    failures = []
    for case in cases:
        if case.scope == "out":
            continue
        ok, got = passes(case, normalize)
        for table, key in ((by_source, case.source), (by_category, case.category)):
            table[key][0] += ok
            table[key][1] += 1
        if not ok:
            failures.append((case, got))
    passed = sum(v[0] for v in by_source.values())
    total = sum(v[1] for v in by_source.values())
    return {"passed": passed, "total": total, "by_source": dict(by_source),
            "by_category": dict(by_category), "failures": failures}


def report(result: dict, out=sys.stdout) -> None:
    for title, table in (("source", result["by_source"]), ("category", result["by_category"])):
        print(f"| {title} | passed | in scope | % |", file=out)
        print("|---|---:|---:|---:|", file=out)
        for key, (ok, n) in sorted(table.items()):
            print(f"| {key} | {ok} | {n} | {100 * ok / n:.1f} |", file=out)
        print(file=out)
    total = result["total"]
    print(f"in scope: {result['passed']}/{total} = {100 * result['passed'] / max(total, 1):.1f} %",
          file=out)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
    from radio_gen.text import normalize

    cases = load()
    result = score(cases, normalize)
    report(result)
    print(f"out of scope: {sum(c.scope == 'out' for c in cases)}, "
          f"judged wrong for a newscast: {sum(c.scope == 'wrong' for c in cases)}")
    if "-v" in sys.argv:
        for case, got in result["failures"]:
            print(f"{case.source}\t{case.ref}\t{case.written}\t{case.wanted}\t{got}")
