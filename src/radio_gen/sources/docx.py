"""Word `.docx` files (python-docx): paragraph text, legacy font codes repaired to Unicode.

Documents typed with .VnTime or VNI-Times fonts store the legacy codes as ordinary
characters ("ViÖt Nam"); `repair_text` converts them.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from radio_gen.sources.decode import NotText
from radio_gen.sources.legacy import repair_text


def docx_text(path: Path) -> str:
    """The document's paragraphs, one per line (tables, headers and footers left out)."""
    import docx  # python-docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise NotText(f"not a readable Word .docx file ({exc.__class__.__name__})") from None
    text = "\n".join(p.text for p in document.paragraphs)
    if not text.strip():
        raise NotText("empty document")
    return repair_text(text)[0]
