"""The normalizer pipeline: written Vietnamese news text -> what an announcer says.

Order (as the issue fixes it): Unicode NFC, then sentences, then the classes
(phones, times, dates, Roman numerals, ordinals, quantities, abbreviations,
codes), then the number reader for whatever digits are left, then symbols and
spacing.  Every step is a small pure function ``(text, ctx) -> text``; the list
``PIPELINE`` is the whole algorithm.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from radio_gen.text.abbreviations import Lexicon
from radio_gen.text.chars import INVISIBLE
from radio_gen.text.dates import dates, times
from radio_gen.text.legal import documents, quarters
from radio_gen.text.measures import measures, money_shorthand, signs
from radio_gen.text.numbers import DIGITISH, Dialect, get_dialect, read_remaining_numbers
from radio_gen.text.phones import phones
from radio_gen.text.roman import codes, ordinals, places, roads, romans
from radio_gen.text.sentences import split_sentences
from radio_gen.text.web import addresses


@dataclass(frozen=True)
class Context:
    """What every pass may need: the dialect, the lexicon and the station's choices."""

    dialect: Dialect
    lexicon: Lexicon
    #: "ngày mùng năm" for days 1-10 of a date.
    mung: bool = True
    #: False: web and e-mail addresses are left out of the spoken text.
    read_addresses: bool = True


Pass = Callable[[str, Context], str]

_HAS_DIGIT = re.compile(r"\d")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_SYMBOLS = {"&": " và ", "%": " phần trăm ", "/": " ", "@": " a còng ", "+": " cộng ",
            "=": " bằng ", "~": " khoảng ", "°": " độ ", "_": " ", "*": " ", "#": " ",
            "≥": " lớn hơn hoặc bằng ", "≤": " nhỏ hơn hoặc bằng ", ">": " lớn hơn ",
            "<": " nhỏ hơn ", "×": " nhân ", "|": " "}
_SYMBOL_RE = re.compile("[" + re.escape("".join(_SYMBOLS)) + "]")
_DOT_IN_WORD = re.compile(r"(?<=[a-zđ0-9])\.(?=[a-zđ])")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?…”’)\]}])")
_SPACE_AFTER_OPEN = re.compile(r"([“‘(\[{])\s+")
_MULTI_SPACE = re.compile(r" {2,}")
# Emoji, pictographs and trademark-like signs: engines read them as words
# ("mặt cười", "nhãn hiệu") that no announcer would say. Vietnamese letters lie
# below U+2000, so only rarer characters need the category look-up.
_PICTOGRAPH_CANDIDATE = re.compile("[\u00a9\u00ae\u2100-\U0010ffff]")
_SILENT_CATEGORIES = frozenset({"So", "Sk", "Co", "Cs", "Cn"})
_SILENT_MARKS = frozenset("\ufe0e\ufe0f\u20e3")


def _if_digits(fn: Callable[[str, Dialect], str]) -> Pass:
    def run(text: str, ctx: Context) -> str:
        return fn(text, ctx.dialect) if _HAS_DIGIT.search(text) else text
    run.__name__ = fn.__name__
    return run


def _addresses(text: str, ctx: Context) -> str:
    return addresses(text, ctx.read_addresses)


def _dates(text: str, ctx: Context) -> str:
    return dates(text, ctx.dialect, mung=ctx.mung) if _HAS_DIGIT.search(text) else text


def _documents(text: str, ctx: Context) -> str:
    return documents(text, ctx.dialect) if "-" in text or "/" in text or "0" in text else text


def _phones(text: str, ctx: Context) -> str:
    return phones(text) if _HAS_DIGIT.search(text) else text


def _abbreviations(text: str, ctx: Context) -> str:
    return ctx.lexicon.expand(text)


def _codes(text: str, ctx: Context) -> str:
    return codes(text, ctx.dialect, ctx.lexicon) if _HAS_DIGIT.search(text) else text


def _coded_entries(text: str, ctx: Context) -> str:
    return ctx.lexicon.expand_coded(text)


def _places(text: str, ctx: Context) -> str:
    return places(text)


def _romans(text: str, ctx: Context) -> str:
    return romans(text, ctx.dialect, ctx.lexicon)


def _numbers(text: str, ctx: Context) -> str:
    return read_remaining_numbers(text, ctx.dialect)


def _symbols(text: str, ctx: Context) -> str:
    if "." in text:  # addresses: "thachha.hatinh.gov.vn" -> thachha chấm hatinh …
        text = _DOT_IN_WORD.sub(" chấm ", text)
    return _SYMBOL_RE.sub(lambda m: _SYMBOLS[m.group(0)], text)


def _pictographs(text: str, ctx: Context) -> str:
    if not _PICTOGRAPH_CANDIDATE.search(text):
        return text
    return "".join(" " if c in _SILENT_MARKS or (c >= "\u00a9" and unicodedata.category(c) in _SILENT_CATEGORIES)
                   else c for c in text)


def _spacing(text: str, ctx: Context) -> str:
    text = _MULTI_SPACE.sub(" ", text)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _SPACE_AFTER_OPEN.sub(r"\1", text)
    return text.strip()


#: The classes, in order; each one leaves text it does not recognise alone.
PIPELINE: tuple[Pass, ...] = (
    _addresses,
    _coded_entries,
    _documents,
    _phones,
    _if_digits(money_shorthand),
    _if_digits(times),
    _if_digits(quarters),
    _if_digits(signs),
    _dates,
    _romans,
    _if_digits(ordinals),
    _if_digits(measures),
    _if_digits(roads),
    _places,
    _abbreviations,
    _codes,
    _numbers,
    _symbols,
    _pictographs,
    _spacing,
)


def normalize_sentence(sentence: str, ctx: Context) -> str:
    """Run the class pipeline over one (NFC, already split) sentence."""
    out = sentence
    for step in PIPELINE:
        out = step(out, ctx)
    if out and (sentence[:1].isupper() or sentence[:1].isdigit()) and out[:1].islower():
        out = out[0].upper() + out[1:]
    return out


def normalize(text: str, *, dialect: str = "north", lexicon: Lexicon | None = None,
              mung: bool | None = None, read_addresses: bool = True) -> str:
    """Turn written Vietnamese into speakable Vietnamese.

    Keeps punctuation (engines use it for prosody) and line breaks; the output
    contains no digits and is NFC.  ``dialect`` is "north" (default) or
    "south"; anything else raises ``ValueError``.  ``mung`` ("ngày mùng năm"
    for days 1-10) defaults to on in the North, off in the South;
    ``read_addresses=False`` leaves web and e-mail addresses out.
    """
    d = get_dialect(dialect)
    ctx = Context(d, lexicon if lexicon is not None else Lexicon.default(),
                  mung=(d.name == "north") if mung is None else mung, read_addresses=read_addresses)
    text = unicodedata.normalize("NFC", text)
    text = _SPACES.sub(" ", INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))
    lines = []
    for line in text.split("\n"):
        spoken = [normalize_sentence(s, ctx) for s in split_sentences(line)]
        joined = " ".join(s for s in spoken if s)
        if joined:
            lines.append(joined)
    return unicodedata.normalize("NFC", "\n".join(lines))


def speakable_problems(text: str, lexicon: Lexicon | None = None) -> list[str]:
    """What in an already-normalized text would still be read wrongly:
    digits, abbreviations of the lexicon left unexpanded, non-NFC text."""
    problems = []
    if not unicodedata.is_normalized("NFC", text):
        problems.append("text is not Unicode NFC (decomposed accents)")
    for m in re.finditer(r"\S*\d\S*", text):
        problems.append(f"digits left at {m.start()}: {m.group(0)!r}")
    if not _HAS_DIGIT.search(text) and DIGITISH.search(text):
        problems.append("digit-like characters left (superscripts, circled digits…)")
    lex = lexicon if lexicon is not None else Lexicon.default()
    for abbr in dict.fromkeys(lex.find(text)):
        problems.append(f"abbreviation left unexpanded: {abbr!r}")
    return problems
