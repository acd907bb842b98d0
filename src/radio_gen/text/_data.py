"""Loading the word lists and tables shipped in ``radio_gen/text/data``.

Rules live in data files so that they can be reviewed (and extended) without
reading Python; each file is read once per process.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from importlib import resources


def _lines(name: str) -> list[str]:
    text = resources.files("radio_gen.text").joinpath("data", name).read_text(encoding="utf-8")
    out = []
    for raw in text.splitlines():
        line = unicodedata.normalize("NFC", raw).strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


@lru_cache(maxsize=None)
def words(name: str) -> frozenset[str]:
    """A set of lower-cased words/phrases, one per line (``#`` starts a comment)."""
    return frozenset(line.lower() for line in _lines(name))


@lru_cache(maxsize=None)
def table(name: str) -> dict[str, str]:
    """A two-column tab-separated table ``key<TAB>value`` (order preserved)."""
    out: dict[str, str] = {}
    for line in _lines(name):
        key, _, value = line.partition("\t")
        out[key.strip()] = value.strip()
    return out


def raw_text(name: str) -> str:
    """The whole text of a data file (for the default lexicon)."""
    return resources.files("radio_gen.text").joinpath("data", name).read_text(encoding="utf-8")
