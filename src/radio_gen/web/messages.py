"""Library errors as messages of the catalogue, chosen by the error's type and code, never by its English text.

A flash in the session is a catalogue key, or `[key, values]` for a message with
particulars; `base.html` shows it through `t`. Errors that carry a `code` (editing,
clips, fetches) get their own sentence; the others get one per type with the
library's own words attached as the detail an operator can look up.
"""

from __future__ import annotations

from typing import Any

from radio_gen.errors import CodedError, RadioGenError
from radio_gen.intake.store import StoreError
from radio_gen.text.errors import LexiconError
from radio_gen.web.i18n import CATALOGUE


def error_flash(exc: RadioGenError) -> list[Any]:
    """[catalogue key, values] for `exc`."""
    values: dict[str, Any] = {"detail": str(exc), **getattr(exc, "values", {})}
    if isinstance(exc, CodedError) and f"err.{exc.code}" in CATALOGUE["vi"]:
        return [f"err.{exc.code}", values]
    if isinstance(exc, LexiconError):
        return ["err.lexicon", values]
    if isinstance(exc, StoreError):
        return ["err.store", values]
    return ["err.other", values]
