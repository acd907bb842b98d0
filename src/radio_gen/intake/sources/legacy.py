"""Legacy Vietnamese encodings (TCVN3/ABC, VNI-Windows, Windows-1258) and how to tell them apart.

Older offices still send documents typed with .VnTime (TCVN3) or VNI-Times fonts. As
bytes, or as the Windows-1252 characters a Word file or a web page stores for them, they
look like "ViÖt Nam" or "Vieät Nam". The conversion tables are data files beside this
module. Which reading is right is decided by counting words that are valid Vietnamese
syllables: the wrong readings produce letter salad.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

_TONES = "\u0300\u0301\u0303\u0309\u0323"
_ONSETS = "ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
_NUCLEI = sorted(
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi oo ôi ơi ua uâ uê ui uô uơ uy "
    "ưa ưi ươ ưu yê iêu yêu oai oao oay oeo uây uôi ươi ươu uya uyê uyu".split(), key=len, reverse=True)
_SYLLABLE = re.compile(f"(?:{_ONSETS})?(?:{'|'.join(_NUCLEI)})(?:ch|ng|nh|c|m|n|p|t)?")
_WORD = re.compile(r"[^\W\d_]+")
# Non-ASCII characters Vietnamese text uses besides its letters.
_PUNCTUATION = set("“”‘’–—…•°«»·€\u00a0")


@dataclass(frozen=True)
class Reading:
    """One way of reading some text, with how Vietnamese it looks."""

    encoding: str
    text: str
    score: int


def is_syllable(word: str) -> bool:
    """Whether `word` is a well-formed Vietnamese syllable (at most one tone mark)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(decomposed.count(t) for t in _TONES) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return _SYLLABLE.fullmatch(bare) is not None


#: Scoring looks at the start of a text: enough to tell encodings apart, fast on big files.
SAMPLE_CHARS = 20_000


def vietnamese_score(text: str) -> int:
    """+1 per valid syllable with a diacritic, -1 per invalid non-ASCII word, -2 per odd character."""
    text = text[:SAMPLE_CHARS]
    score = 0
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        score += 1 if is_syllable(word) else -1
    odd = sum(1 for c in text if "\u0080" <= c <= "\u02ff" and not c.isalpha() and c not in _PUNCTUATION)
    odd += sum(1 for c in text if c.isalpha() and not c.isascii() and not _vietnamese_letter(c))
    return score - 2 * odd


def _vietnamese_letter(char: str) -> bool:
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base in "aeiouyd" or char in "đĐ"


@cache
def _tcvn3_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for key, value in _rows("tcvn3.tsv"):
        table[int(key, 16)] = value
    return table


@cache
def _vni_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    table = dict(_rows("vni.tsv"))
    keys = sorted(table, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keys))), table


def _rows(name: str) -> list[tuple[str, str]]:
    text = resources.files("radio_gen.intake.sources").joinpath("data", name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            key, value = line.split("\t")
            rows.append((key, value))
    return rows


def _byte_char(b: int) -> str:
    try:
        return bytes([b]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(b)  # the five bytes Windows-1252 leaves undefined


_CP1252 = tuple(_byte_char(b) for b in range(256))


def _cp1252(data: bytes) -> str:
    """Windows-1252 that never fails: undefined bytes keep their code point."""
    return "".join(_CP1252[b] for b in data)


def from_tcvn3(data: bytes) -> str:
    table = _tcvn3_table()
    return "".join(table.get(b) or _CP1252[b] for b in data)


def from_vni_text(text: str) -> str:
    """VNI as Windows-1252 characters (what Word and browsers show) → Unicode."""
    pattern, table = _vni_pattern()
    return pattern.sub(lambda m: table[m.group(0)], text)


def readings(data: bytes) -> list[Reading]:
    """Every legacy reading of bytes that are not UTF-8, best first."""
    candidates = [("windows-1258", lambda: data.decode("cp1258")),
                  ("tcvn3", lambda: from_tcvn3(data)),
                  ("vni-windows", lambda: from_vni_text(_cp1252(data)))]
    found = []
    for name, decode in candidates:
        try:
            text = unicodedata.normalize("NFC", decode())
        except UnicodeDecodeError:
            continue
        found.append(Reading(name, text, vietnamese_score(text)))
    return sorted(found, key=lambda r: r.score, reverse=True)


def repair_text(text: str) -> tuple[str, str | None]:
    """Text whose characters are a legacy font's codes (from .docx or HTML) → Unicode.

    Returns (text, encoding it was repaired from, or None when it was fine).
    """
    original = vietnamese_score(text)
    if original > 0 and not _looks_legacy(text):
        return text, None
    try:
        raw = text.encode("cp1252")
    except UnicodeEncodeError:
        return text, None  # real Unicode letters outside Windows-1252: not legacy text
    best = max((r for r in readings(raw) if r.encoding != "windows-1258"), key=lambda r: r.score)
    if best.score > 0 and best.score > original:
        return best.text, best.encoding
    return text, None


def _looks_legacy(text: str) -> bool:
    words = [w for w in _WORD.findall(text[:SAMPLE_CHARS]) if not w.isascii()]
    bad = sum(1 for w in words if not is_syllable(w))
    return bool(words) and bad * 4 > len(words)
