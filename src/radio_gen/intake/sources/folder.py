"""Folder source: `.txt`, `.md`, `.html` and Word `.docx` files that editors drop in a folder.

Text files: the first non-empty line is the title, the rest the body. Every file goes
through the same cleaning as web pages (leftovers, captions, byline, date). One bad file
is skipped with a reason; the others are still read.

Only the station's own files are read: regular files whose real place (symlinks
resolved) is inside the folder, opened without following links and without blocking
on FIFOs or devices, and only once they have stopped changing (an editor may still be
saving one over the share). Formats that cannot be read are listed with what to do.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import os
import re
import stat
from pathlib import Path

from radio_gen import clock
from radio_gen.intake.cleaning import Rules, clean_article, default_rules
from radio_gen.intake.articles import Article, clean_text
from radio_gen.intake.sources import Collected, Skipped, SourceError
from radio_gen.intake.sources.decode import NotText, decode_bytes
from radio_gen.intake.sources.docx import MAX_TEXT_CHARS, docx_text
from radio_gen.intake.sources.html import html_article
from radio_gen.intake.sources.names import shown_path

SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx")
MAX_FILE_BYTES = 2_000_000
_SAVE_AS_DOCX = "open it in Word or LibreOffice and save it as .docx (or paste the text into a .txt file)"
#: Files editors drop that cannot be read, and what to do about each.
UNREADABLE = {
    ".doc": f"an old Word .doc file: {_SAVE_AS_DOCX}",
    ".rtf": f"an RTF file: {_SAVE_AS_DOCX}",
    ".odt": f"an OpenDocument file: {_SAVE_AS_DOCX}",
    ".pdf": "a PDF cannot be read reliably: save the text as .docx or .txt",
    **{s: "a picture has no text to read: type the news into a .docx or .txt file"
       for s in (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".tif", ".tiff", ".heic")},
}
_MD_HEADING = re.compile(r"^#{1,6}\s*")
# Linear-time Markdown: neither pattern can scan across the start of another attempt
# (a link's text stops at any bracket, its address at any parenthesis), so a line of
# thousands of unmatched "[" or "*" costs one pass, not one pass per character.
_MD_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\([^()\n]*\)")
_MD_EMPHASIS = re.compile(r"\*+|`+|(?<!\w)_+(?=\w)|(?<=\w)_+(?!\w)")


class FolderSource:
    """Articles from the files of one folder (not its subfolders)."""

    kind = "folder"

    def __init__(self, folder: Path, *, rules: Rules | None = None, today: dt.date | None = None,
                 name: str | None = None, stable_seconds: float = 0.0) -> None:
        self.folder = Path(folder)
        self.rules, self.today = rules, today
        self.name = name or f"folder:{shown_path(self.folder)}"
        #: A file changed less than this long ago (by the station's clock) is read next time.
        self.stable_seconds = stable_seconds

    def collect(self) -> Collected:
        if not self.folder.is_dir():
            raise SourceError(f"articles folder {shown_path(self.folder)} does not exist")
        result = Collected()
        try:
            names = sorted(os.listdir(self.folder))
        except OSError as exc:
            raise SourceError(f"articles folder {shown_path(self.folder)}: cannot list it "
                              f"({exc.strerror or exc})") from None
        for name in names:
            path = self.folder / name
            suffix = path.suffix.lower()
            if name.startswith(".") or (suffix not in SUFFIXES and suffix not in UNREADABLE):
                continue
            if path.is_dir():
                continue
            try:
                if suffix in UNREADABLE:
                    raise NotText(UNREADABLE[suffix])
                result.articles.append(read_article(path, self.name, self.rules, today=self.today,
                                                    stable_seconds=self.stable_seconds))
            except NotText as exc:
                result.skipped.append(Skipped(shown_path(path), str(exc)))
            except OSError as exc:
                result.skipped.append(Skipped(shown_path(path), f"cannot read ({exc.strerror or exc})"))
        return result


def read_article(path: Path, source: str, rules: Rules | None = None, *, today: dt.date | None = None,
                 stable_seconds: float = 0.0) -> Article:
    """One file as an Article; raises NotText with a reason when it cannot be used."""
    data, modified = read_own_file(path, MAX_FILE_BYTES, stable_seconds=stable_seconds)
    return article_from_bytes(data, path.suffix.lower(), source, shown_path(path), rules, today=today,
                              undated=_file_date(modified))


def article_from_bytes(data: bytes, suffix: str, source: str, location: str, rules: Rules | None = None, *,
                       today: dt.date | None = None, undated: dt.date | None = None) -> Article:
    """The article in a file's bytes, read by its suffix (.docx, .html/.htm, .md, else text) and cleaned;
    `undated`: its date when the text gives none. NotText with the reason when it cannot be used.

    The folder source and the newsroom's upload both read files here, so an uploaded
    file airs exactly as the same file dropped in the articles folder would."""
    if suffix == ".docx":
        title, body = _split_title(docx_text(data), markdown=False)
    else:
        text = decode_bytes(data)
        if suffix in (".html", ".htm"):
            article = html_article(text, source=source, location=location, rules=rules, today=today)
            return article if article.published else dataclasses.replace(article, published=undated)
        else:
            title, body = _split_title(text, markdown=suffix == ".md")
    if len(title) + len(body) > MAX_TEXT_CHARS:
        raise NotText(f"too long for a news item ({len(title) + len(body):,} characters, "
                      f"limit {MAX_TEXT_CHARS:,})")
    cleaned = clean_article(title, body, rules or default_rules(), today=today)
    if not cleaned.title or not cleaned.body:
        raise NotText("no title or no body text")
    return Article(title=cleaned.title, body=cleaned.body, source=source, location=location,
                   published=cleaned.published or undated, byline=cleaned.byline)


def _file_date(modified: float) -> dt.date:
    """An undated file's date: when it was saved. A file is never newer than now: a share's skewed
    clock (or a clock set back to rehearse a date) must not push it past the program."""
    return dt.datetime.fromtimestamp(min(modified, clock.timestamp())).date()


def read_own_file(path: Path, limit: int, *, stable_seconds: float = 0.0) -> tuple[bytes, float]:
    """(bytes, modification time) of a regular file that really is inside its folder.

    NotText (with the reason) for a link that leads out of the folder, a FIFO, a device,
    a file over `limit` bytes, or one that changed in the last `stable_seconds` or while
    it was read.
    """
    folder = path.parent.resolve()
    real = path.resolve()
    if real.parent != folder and not real.is_relative_to(folder):
        raise NotText(f"a link to {shown_path(real)}, outside the articles folder: only files in the folder are read")
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotText("a symbolic link that changed while it was read") from None
        raise
    with os.fdopen(fd, "rb") as handle:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            raise NotText(f"not a regular file ({_kind(before.st_mode)}): only ordinary files are read")
        if before.st_size > limit:
            raise NotText(f"too large ({before.st_size} bytes, limit {limit})")
        age = clock.timestamp() - before.st_mtime
        if 0 <= age < stable_seconds:
            raise NotText(f"changed {age:.0f} s ago and may still be being saved: it is read at the next "
                          f"build, once unchanged for {stable_seconds:g} s")
        data = handle.read(limit + 1)
        after = os.fstat(fd)
    if len(data) > limit:
        raise NotText(f"too large (more than {limit} bytes)")
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns) or len(data) != after.st_size:
        raise NotText("changed while it was being read (still being saved?): it is read at the next build")
    return data, before.st_mtime


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a special file"


def _split_title(text: str, *, markdown: bool) -> tuple[str, str]:
    lines = clean_text(text).split("\n")
    if markdown:
        lines = [_MD_EMPHASIS.sub("", _MD_LINK.sub(r"\1", _MD_HEADING.sub("", line))) for line in lines]
    if not lines or not lines[0]:
        return "", ""
    return lines[0], "\n".join(lines[1:])
