"""Vietnamese text normalization for radio-gen: written news -> speakable text.

Public API (other modules rely on these names)::

    normalize(text, *, dialect="north", lexicon=None) -> str
    split_sentences(text) -> list[str]
    chunk(text, max_chars) -> list[str]
    Lexicon.default(), Lexicon.from_file(path, base=None)
    read_number(n, dialect="north") -> str
    spoken_date(date, dialect="north") -> str
    speakable_problems(text, lexicon=None) -> list[str]
"""

from radio_gen.text.abbreviations import Lexicon
from radio_gen.text.dates import spoken_date
from radio_gen.text.errors import LexiconError, TextError
from radio_gen.text.normalize import normalize, speakable_problems
from radio_gen.text.numbers import DIALECTS, read_number
from radio_gen.text.sentences import chunk, split_sentences

__all__ = [
    "DIALECTS",
    "Lexicon",
    "LexiconError",
    "TextError",
    "chunk",
    "normalize",
    "read_number",
    "speakable_problems",
    "split_sentences",
    "spoken_date",
]
