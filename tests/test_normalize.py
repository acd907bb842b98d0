"""Golden tests: every case of tests/data/tn/*.tsv through one parametrized test.

Format (NeMo style, shared with the gold set): ``input<TAB>expected``;
``# category`` lines name the category of the lines below; `` | `` separates
acceptable readings; category ``split`` compares ``split_sentences`` (expected
sentences joined by the two characters ``\\n``).  The dialect is ``north``
unless the file name contains ``south`` or a line is prefixed ``south:``.
Comparison is case- and punctuation-insensitive.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from helpers.golden import canon
from radio_gen.text import normalize, speakable_problems, split_sentences

DATA = Path(__file__).resolve().parent / "data" / "tn"


def load_cases(path: Path) -> list[tuple[str, str, str, str, str]]:
    """(file:line id, category, dialect, input, expected) for every case line."""
    cases = []
    category = ""
    file_dialect = "south" if "south" in path.name else "north"
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        if line.startswith("# "):
            if "\t" not in line and " " not in line[2:].strip():
                category = line[2:].strip()
            continue
        if line.startswith("#"):
            continue
        src, _, expected = line.partition("\t")
        dialect = file_dialect
        if src.startswith(("south:", "north:")):
            dialect, _, src = src.partition(":")
        cases.append((f"{path.name}:{number}", category, dialect, src, expected))
    return cases


ALL_CASES = [c for p in sorted(DATA.glob("*.tsv")) for c in load_cases(p)]


def check(category: str, dialect: str, src: str, expected: str) -> None:
    alternatives = [a.strip() for a in expected.split(" | ")]
    if category == "split":
        got = split_sentences(src)
        wanted = [[s for s in a.split("\\n")] for a in alternatives]
        assert got in wanted, f"{src!r}\n got: {got}\nwant: {wanted[0]}"
        return
    got = normalize(src, dialect=dialect)
    assert canon(got) in [canon(a) for a in alternatives], \
        f"\n  in: {src}\n got: {got}\nwant: {alternatives[0]}"
    assert not speakable_problems(got), speakable_problems(got)
    assert unicodedata.is_normalized("NFC", got)
    assert normalize(got, dialect=dialect) == got, "normalizing twice changes the text"


@pytest.mark.parametrize("case_id,category,dialect,src,expected", ALL_CASES,
                         ids=[c[0] for c in ALL_CASES])
def test_golden(case_id: str, category: str, dialect: str, src: str, expected: str) -> None:
    check(category, dialect, src, expected)


def test_gold_file_is_complete() -> None:
    gold = load_cases(DATA / "tn-dev.tsv")
    assert sum(c[1] != "split" for c in gold) == 76
    assert sum(c[1] == "split" for c in gold) == 9
