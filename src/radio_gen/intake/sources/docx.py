"""Word `.docx` files (python-docx): paragraph text, legacy font codes repaired to Unicode.

Documents typed with .VnTime or VNI-Times fonts store the legacy codes as ordinary
characters ("ViÖt Nam"); `repair_text` converts them.

A .docx is a zip of XML parts from an editor's machine, so it is bounded before
python-docx sees it: the parts' unpacked sizes are capped (zipfile never unpacks more
than a part declares, so the declared sizes are the real bound: a zip bomb is refused
without unpacking it), a part with a DTD (entity declarations: a billion-laughs bomb)
is refused, and whatever else the parser trips over makes the file a skipped file,
never a failed folder.
"""

from __future__ import annotations

import io
import zipfile

from radio_gen.intake.sources.decode import NotText
from radio_gen.intake.sources.legacy import repair_text

#: Unpacked size of one XML part (a long news article's document.xml is under 1 MB).
MAX_PART_BYTES = 10_000_000
#: Unpacked size of the whole package (pictures included, which python-docx loads too).
MAX_PACKAGE_BYTES = 40_000_000
#: Characters of text; more is not a news item.
MAX_TEXT_CHARS = 200_000


def docx_text(data: bytes) -> str:
    """The document's paragraphs, one per line (tables, headers and footers left out)."""
    _check_package(data)
    import docx  # python-docx

    try:
        document = docx.Document(io.BytesIO(data))
        text = "\n".join(p.text for p in document.paragraphs)
    except MemoryError:
        raise NotText("not a readable Word .docx file (too big to read)") from None
    except Exception as exc:  # noqa: BLE001 - lxml, zipfile and python-docx errors alike: one bad file
        raise NotText(f"not a readable Word .docx file ({exc.__class__.__name__})") from None
    if not text.strip():
        raise NotText("empty document")
    if len(text) > MAX_TEXT_CHARS:
        raise NotText(f"too long for a news item ({len(text):,} characters, limit {MAX_TEXT_CHARS:,})")
    return repair_text(text)[0]


def _check_package(data: bytes) -> None:
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        members = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise NotText(f"not a readable Word .docx file ({exc.__class__.__name__})") from None
    total = sum(m.file_size for m in members)
    if total > MAX_PACKAGE_BYTES:
        raise NotText(f"not a readable Word .docx file: it unpacks to {total:,} bytes "
                      f"(limit {MAX_PACKAGE_BYTES:,}; a damaged or booby-trapped file?)")
    for member in members:
        if not member.filename.endswith((".xml", ".rels")):
            continue
        if member.file_size > MAX_PART_BYTES:
            raise NotText(f"not a readable Word .docx file: {member.filename} unpacks to "
                          f"{member.file_size:,} bytes (limit {MAX_PART_BYTES:,})")
        try:
            with package.open(member) as part:
                head = part.read(4096)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
            raise NotText(f"not a readable Word .docx file ({exc.__class__.__name__})") from None
        if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
            raise NotText(f"not a readable Word .docx file: {member.filename} declares entities "
                          "(Word never writes that)")
