"""Main text of an HTML article page with the standard library's parser.

Keeps the headline and paragraphs; drops scripts, navigation, figures and their
captions, which must never be read on air.
"""

from __future__ import annotations

from html.parser import HTMLParser

_SKIP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "figure",
         "figcaption", "form", "button", "iframe", "svg", "template", "select"}
_BLOCKS = {"p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "section", "article"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "source", "wbr", "area", "base", "col", "embed", "track"}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_depth = 0
        self.stack: list[str] = []
        self.title = ""
        self.h1 = ""
        self.in_title = False
        self.in_h1 = False
        self.blocks: list[list[str]] = [[]]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag == "br":
                self.blocks.append([])
            return
        self.stack.append(tag)
        classes = " ".join(v or "" for k, v in attrs if k in ("class", "id")).lower()
        if self.skip_depth or tag in _SKIP or "caption" in classes:
            self.skip_depth += 1
            return
        if tag == "title":
            self.in_title = True
        elif tag == "h1":
            self.in_h1 = True
        if tag in _BLOCKS:
            self.blocks.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in self.stack:
            return
        while self.stack:
            top = self.stack.pop()
            if self.skip_depth:
                self.skip_depth -= 1
            if top == "title":
                self.in_title = False
            elif top == "h1":
                self.in_h1 = False
            if top == tag:
                break
        if tag in _BLOCKS:
            self.blocks.append([])

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if self.in_title:
            self.title += data
            return
        if self.in_h1:
            self.h1 += data
            return
        self.blocks[-1].append(data)


def html_to_text(markup: str) -> tuple[str, str]:
    """Return (title, body) where body paragraphs are separated by blank lines."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    paragraphs = [" ".join("".join(b).split()) for b in parser.blocks]
    title = " ".join((parser.h1 or parser.title).split())
    body = "\n\n".join(p for p in paragraphs if p)
    return title, body
