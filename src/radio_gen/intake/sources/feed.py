"""RSS and Atom feeds (feedparser), e.g. the provincial newspaper's or portal's news feed.

Feeds usually carry a summary only, so by default each item's page is fetched and
extracted like any article page; the feed's own text is the fallback when the page
cannot be had.
"""

from __future__ import annotations

import datetime as dt
import re
import time

from radio_gen.intake.cleaning import clean_article
from radio_gen.intake.articles import Article
from radio_gen.intake.sources import Collected, Skipped, SourceError
from radio_gen.intake.sources.decode import NotText, repair_text
from radio_gen.intake.sources.fetch import FetchError, SiteBreaker, fetch
from radio_gen.intake.sources.html import read_page
from radio_gen.intake.sources.web import WebContext, fetch_article

#: Feed text shorter than this is a teaser, not an article.
MIN_FEED_TEXT = 200


class FeedSource:
    kind = "feed"

    def __init__(self, url: str, context: WebContext, *, full_text: bool = True, max_items: int = 20,
                 name: str | None = None) -> None:
        self.url, self.context, self.full_text, self.max_items = url, context, full_text, max_items
        self.name = name or f"feed:{url}"

    def collect(self) -> Collected:
        import feedparser

        page = fetch(self.url, self.context.settings)
        parsed = feedparser.parse(_without_surrogate_references(page.data),
                                  response_headers={"content-location": page.url})
        entries = [e for e in parsed.entries if e.get("title") or e.get("link")]
        if not entries:
            problem = parsed.get("bozo_exception")
            raise SourceError(f"{self.url}: not a valid RSS/Atom feed"
                              + (f" ({problem})" if problem else " (no items)"))
        result, breaker = Collected(), SiteBreaker()
        for entry in entries[:self.max_items]:
            link = _printable(entry.get("link") or "")
            title = repair_text(_printable(entry.get("title") or ""))[0]
            published = _entry_date(entry, self.context.tz)
            if link and self.context.is_known(link):
                continue
            try:
                result.articles.append(self._article(entry, link, title, published, breaker))
            except (FetchError, NotText, ValueError, UnicodeError) as exc:
                # One odd entry (a lone surrogate "&#xD800;", broken markup) is skipped, not the feed.
                result.skipped.append(Skipped(_printable(link or title or self.url), str(exc)))
        return result

    def _article(self, entry: dict, link: str, title: str, published: dt.date | None,
                 breaker: SiteBreaker) -> Article:
        feed_text = _entry_text(entry)
        if self.full_text and link:
            try:
                return fetch_article(link, self.name, self.context, breaker=breaker,
                                     fallback_title=title, fallback_date=published)
            except (FetchError, NotText) as exc:
                if len(feed_text) < MIN_FEED_TEXT:
                    raise
                page_problem = exc
        else:
            page_problem = None
        cleaned = clean_article(title, feed_text, self.context.rules, today=self.context.today)
        if not cleaned.title or len(cleaned.body) < (MIN_FEED_TEXT if page_problem else 1):
            raise NotText("the feed item has no text"
                          + (f" and its page failed: {page_problem}" if page_problem else ""))
        return Article(title=cleaned.title, body=cleaned.body, source=self.name, location=link or self.url,
                       published=cleaned.published or published, byline=cleaned.byline or entry.get("author"))


def _entry_text(entry: dict) -> str:
    """The entry's own text, read by the same extractor as a page (a feed with full HTML)."""
    contents = entry.get("content") or []
    html = max((c.get("value", "") for c in contents), key=len, default="") or entry.get("summary", "")
    if not html:
        return ""
    try:
        page = read_page(f"<html><body><article>{_printable(html)}</article></body></html>")
    except NotText:
        return ""
    return repair_text(page.body)[0]


_SURROGATES = re.compile("[\ud800-\udfff]")
_CHARACTER_REFERENCE = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _without_surrogate_references(data: bytes) -> bytes:
    """A feed's "&#xD800;" names half a character; the XML parser crashes on it, so it goes."""
    def keep(match: re.Match[bytes]) -> bytes:
        code = int(match[1], 16) if match[1] else int(match[2])
        return b"" if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF else match[0]
    return _CHARACTER_REFERENCE.sub(keep, data)


def _printable(text: str) -> str:
    """Text without lone surrogates (a feed's "&#xD800;"), which nothing downstream can encode."""
    return _SURROGATES.sub("", text)


def _entry_date(entry: dict, tz: dt.tzinfo) -> dt.date | None:
    """The item's day at the station (feedparser gives UTC: 06:00 in Hanoi is 23:00 the day before)."""
    stamp: time.struct_time | None = entry.get("published_parsed") or entry.get("updated_parsed")
    if not stamp:
        return None
    return dt.datetime(*stamp[:6], tzinfo=dt.timezone.utc).astimezone(tz).date()
