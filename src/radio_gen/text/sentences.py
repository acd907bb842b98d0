"""Sentence splitting and chunking for engines with request limits.

A sentence ends at ".", "!", "?", "…" or "..." (with any closing quotes or
brackets after it) when the next sentence starts with a capital, a digit or an
opening quote, so that none of these break a sentence:

* titles and abbreviations with a period (TS., ThS., TP., PGS.TS.; the list is
  ``data/nobreak.txt``);
* numbers ("5.705.840", "52,5"): there is no space after the period;
* "..." or "v.v." followed by a lower-case word (the sentence goes on).

A period glued to the next capitalised word ("tới.Kết luận", a common typing
slip) also ends a sentence.  Line breaks always end one.
"""

from __future__ import annotations

import re

from radio_gen.text import _data

_CLOSERS = "\"'”’»)]}"
_OPENERS = "\"'“‘«([{"
_END = re.compile(
    r"(?<![.!?…])(?P<punct>[.!?…]++)(?P<close>[" + re.escape(_CLOSERS) + r"]*+)"
    r"(?P<space>\s+|(?=[^\W\d_][^\W\d_]))")
_WORD_BEFORE = re.compile(r"([^\W\d_][\w.]*)$")
_LINES = re.compile(r"\s*\n\s*")


def _starts_sentence(text: str, pos: int) -> bool:
    if pos >= len(text):
        return False
    c = text[pos]
    return c.isupper() or c.isdigit() or c in _OPENERS or c in "-–—•"


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences (stripped, never empty)."""
    out: list[str] = []
    for line in _LINES.split(text):
        if line and not line.isspace():
            out += _split_line(line.strip())
    return out


def _split_line(line: str) -> list[str]:
    nobreak = _data.words("nobreak.txt")
    out = []
    start = 0
    for m in _END.finditer(line):
        nxt = m.end()
        if not _starts_sentence(line, nxt):
            continue
        punct = m.group("punct")
        if not m.group("space"):  # glued: "tới.Kết" only after a lower-case word
            if punct != "." or m.group("close") or not line[m.start() - 1:m.start()].islower() \
                    or not line[nxt + 1:nxt + 2].islower():
                continue
        if punct == ".":
            before = _WORD_BEFORE.search(line, max(start, m.start() - 20), m.start())
            if before is not None and (before.group(1) + ".").lower() in nobreak:
                continue
        sentence = line[start:m.start("space") if m.group("space") else nxt].strip()
        if sentence:
            out.append(sentence)
        start = nxt
    rest = line[start:].strip()
    if rest:
        out.append(rest)
    return out


# --- chunking ------------------------------------------------------------------------
_CLAUSE = re.compile(r"(?<=[,;:–—])\s+|\s+(?=[–—]\s)")
_SPACE = re.compile(r"\s+")
_NUMBER_WORDS = frozenset(
    "không một mốt hai ba bốn tư năm lăm sáu bảy tám chín mười mươi trăm nghìn ngàn "
    "triệu tỷ tỉ linh lẻ phẩy".split())


def chunk(text: str, max_chars: int = 100) -> list[str]:
    """Cut ``text`` into pieces of at most ``max_chars`` characters for an engine.

    Cuts at sentence ends first, then at clause marks (, ; : –), then between
    words — avoiding the inside of a number's reading ("một nghìn | không trăm")
    when another space will do.  A single word longer than ``max_chars`` is
    the only thing ever cut inside.
    """
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1")
    pieces: list[str] = []
    for sentence in split_sentences(text):
        if len(sentence) <= max_chars:
            pieces.append(sentence)
            continue
        pieces += _pack(_CLAUSE.split(sentence), max_chars)
    return pieces


def _pack(parts: list[str], max_chars: int) -> list[str]:
    """Greedily join clause parts; split parts that are still too long."""
    out: list[str] = []
    current = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if len(part) > max_chars:
            if current:
                out.append(current)
                current = ""
            out += _cut_words(part, max_chars)
            continue
        candidate = f"{current} {part}" if current else part
        if len(candidate) <= max_chars:
            current = candidate
        else:
            out.append(current)
            current = part
    if current:
        out.append(current)
    return out


def _is_number_word(word: str) -> bool:
    return word.strip(",.;:!?").lower() in _NUMBER_WORDS


def _cut_words(text: str, max_chars: int) -> list[str]:
    """Hard cut at word boundaries, preferring a boundary that is not inside
    a number's reading; words longer than ``max_chars`` are cut inside."""
    words = _SPACE.split(text)
    out: list[str] = []
    i = 0
    while i < len(words):
        if len(words[i]) > max_chars:
            w = words[i]
            out += [w[k:k + max_chars] for k in range(0, len(w), max_chars)]
            i += 1
            continue
        # take as many words as fit
        j, length = i + 1, len(words[i])
        while j < len(words) and length + 1 + len(words[j]) <= max_chars:
            length += 1 + len(words[j])
            j += 1
        if j < len(words):  # move the cut back out of a number's reading if we can
            k = j
            while k - 1 > i and _is_number_word(words[k - 1]) and _is_number_word(words[k]):
                k -= 1
            if not (_is_number_word(words[k - 1]) and _is_number_word(words[k])):
                j = k  # else the piece is one long number: cut it where it is full
        out.append(" ".join(words[i:j]))
        i = j
    return out
