"""Names from the file system and the network as they may be shown, stored and tagged.

A file name is bytes on Linux: one from a Samba share or an unzipped archive may not be
UTF-8, and any name may hold control or bidi characters that move a terminal's cursor,
flip the text of a log line or end up in an ID3 tag. `shown_path` keeps the name
lossless but printable: undecodable bytes become `\\xNN`, control and bidi characters
`\\uNNNN`.
"""

from __future__ import annotations

import os
import re

#: C0/C1 controls, bidi embeddings, overrides and isolates, zero-width and line separators.
UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def shown_path(path: os.PathLike[str] | str) -> str:
    """`path` as text that encodes to UTF-8 and prints safely, with the odd bytes escaped."""
    raw = os.fspath(path)
    text = raw.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def clean_name(text: str) -> str:
    """A one-line name (station, program, title) for tags and the terminal: control and bidi
    characters removed, line breaks and tabs made spaces."""
    return UNSAFE.sub("", re.sub(r"[\t\n\r\v\f\u2028\u2029]+", " ", text)).strip()


#: Characters of an uploaded file's name kept for messages and the journal.
MAX_UPLOAD_NAME_CHARS = 80


def upload_name(raw: str) -> str:
    """An uploaded file's name as it may be shown: its last part only, printable, short.

    The name is never used as a path: "../../x.txt", "C:\\x.txt" or "/etc/x.txt" is only
    "x.txt" here, and only its suffix chooses the reader.
    """
    name = clean_name(raw.replace("\x00", "").replace("\\", "/").rsplit("/", 1)[-1])
    if len(name) > MAX_UPLOAD_NAME_CHARS:
        _stem, dot, suffix = name.rpartition(".")
        suffix = f".{suffix}" if dot and len(suffix) <= 8 else ""
        name = name[:MAX_UPLOAD_NAME_CHARS - len(suffix) - 1] + "…" + suffix
    return name
