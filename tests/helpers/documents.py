"""Word documents made on the spot, for tests that upload or read .docx articles."""

from __future__ import annotations

import io


def docx_bytes(title: str, paragraphs: list[str]) -> bytes:
    """A real .docx (python-docx) whose paragraphs are the title, then `paragraphs`."""
    import docx

    document = docx.Document()
    for text in [title, *paragraphs]:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
