"""Folder source: `.txt`, `.md`, `.html` and Word `.docx` files that editors drop in a folder.

Text files: the first non-empty line is the title, the rest the body. Every file goes
through the same cleaning as web pages (leftovers, captions, byline, date). One bad file
is skipped with a reason; the others are still read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

from radio_gen import clock
from radio_gen.articles import Article, clean_text
from radio_gen.cleaning import Rules, clean_article, default_rules
from radio_gen.sources import Collected, Skipped, SourceError
from radio_gen.sources.decode import NotText, decode_bytes
from radio_gen.sources.docx import docx_text
from radio_gen.sources.html import html_article

SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx")
MAX_FILE_BYTES = 2_000_000
_MD_HEADING = re.compile(r"^#{1,6}\s*")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


class FolderSource:
    """Articles from the files of one folder (not its subfolders)."""

    kind = "folder"

    def __init__(self, folder: Path, *, rules: Rules | None = None, today: dt.date | None = None,
                 name: str | None = None) -> None:
        self.folder = Path(folder)
        self.rules, self.today = rules, today
        self.name = name or f"folder:{self.folder}"

    def collect(self) -> Collected:
        if not self.folder.is_dir():
            raise SourceError(f"articles folder {self.folder} does not exist")
        result = Collected()
        for path in sorted(self.folder.iterdir()):
            if path.name.startswith(".") or path.suffix.lower() not in SUFFIXES or not path.is_file():
                continue
            try:
                result.articles.append(read_article(path, self.name, self.rules, today=self.today))
            except NotText as exc:
                result.skipped.append(Skipped(str(path), str(exc)))
            except OSError as exc:
                result.skipped.append(Skipped(str(path), f"cannot read ({exc.strerror or exc})"))
        return result


def read_article(path: Path, source: str, rules: Rules | None = None, *, today: dt.date | None = None) -> Article:
    """One file as an Article; raises NotText with a reason when it cannot be used."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise NotText(f"too large ({path.stat().st_size} bytes, limit {MAX_FILE_BYTES})")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        title, body = _split_title(docx_text(path), markdown=False)
    else:
        text = decode_bytes(path.read_bytes())
        if suffix in (".html", ".htm"):
            article = html_article(text, source=source, location=str(path), rules=rules, today=today)
            return article if article.published else dataclasses.replace(article, published=_file_date(path))
        else:
            title, body = _split_title(text, markdown=suffix == ".md")
    cleaned = clean_article(title, body, rules or default_rules(), today=today)
    if not cleaned.title or not cleaned.body:
        raise NotText("no title or no body text")
    return Article(title=cleaned.title, body=cleaned.body, source=source, location=str(path),
                   published=cleaned.published or _file_date(path), byline=cleaned.byline)


def _file_date(path: Path) -> dt.date:
    """An undated file's date: when it was saved. A file is never newer than now: a share's skewed
    clock (or a clock set back to rehearse a date) must not push it past the program."""
    return dt.datetime.fromtimestamp(min(path.stat().st_mtime, clock.timestamp())).date()


def _split_title(text: str, *, markdown: bool) -> tuple[str, str]:
    lines = clean_text(text).split("\n")
    if markdown:
        lines = [_MD_EMPHASIS.sub(r"\2", _MD_LINK.sub(r"\1", _MD_HEADING.sub("", line))) for line in lines]
    if not lines or not lines[0]:
        return "", ""
    return lines[0], "\n".join(lines[1:])
