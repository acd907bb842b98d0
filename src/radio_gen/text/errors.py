"""Exceptions of the text normalizer: one base type for the whole domain."""

from __future__ import annotations

from radio_gen.errors import RadioGenError


class TextError(RadioGenError):
    """Base class for errors raised by :mod:`radio_gen.text` (a RadioGenError, so
    the CLI reports it as one line)."""


class LexiconError(TextError):
    """A lexicon file could not be read at all (missing, unreadable, not UTF-8).

    Malformed *lines* are not errors: they are collected in ``Lexicon.problems``
    so that one typo by an editor never stops a broadcast.
    """
