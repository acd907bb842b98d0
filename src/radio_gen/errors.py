"""The root of radio-gen's error types.

Each domain (config, sources, templates, engines, audio, publishing) defines its own
subclass next to the code that raises it; the CLI turns any of them into a one-line
message for the operator, so a traceback never reaches the console.
"""

from __future__ import annotations

from pathlib import Path


class RadioGenError(Exception):
    """Something an operator or editor can fix; the message says what and where."""


class CodedError(RadioGenError):
    """An error the newsroom words in the editor's language: `code` names the problem and
    `values` its particulars; the message is the operator's English, for the CLI."""

    #: The code when the raiser gives none.
    DEFAULT_CODE = "other"

    def __init__(self, message: str, code: str | None = None, **values: object) -> None:
        super().__init__(message)
        self.code, self.values = code or self.DEFAULT_CODE, values


def read_station_file(path: Path, what: str, error: type[RadioGenError]) -> str:
    """A file an operator wrote (UTF-8, a BOM from Notepad allowed), or `error` naming it and why."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise error(f"{path}: {what} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read the {what} ({exc})") from None
