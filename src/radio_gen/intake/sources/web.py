"""Web sources: single article pages and a listing page with a link pattern.

Pages go through the one extraction path of `sources.html` (the same as a saved page in
an articles folder), then the project's cleaning. A page that fails is a `Skipped` with
the reason; a listing page that is not text is a skipped item too, and only a listing
that cannot be fetched or has no matching link fails the whole source.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin

from radio_gen.intake.cleaning import Rules, clean_article, default_rules
from radio_gen.intake.articles import Article, clean_text
from radio_gen.intake.sources import Collected, Skipped, SourceError
from radio_gen.intake.sources.decode import NotText, detect
from radio_gen.intake.sources.fetch import FetchError, Fetched, FetchSettings, SiteBreaker, fetch
from radio_gen.intake.sources.html import html_article



def _never_known(url: str) -> bool:
    return False


@dataclass(frozen=True)
class WebContext:
    """What every web source shares: fetch limits, cleaning rules, the date, the store's memory."""

    settings: FetchSettings = field(default_factory=FetchSettings)
    rules: Rules = field(default_factory=default_rules)
    today: dt.date | None = None
    #: True for a URL the store already holds: it is not fetched again.
    is_known: Callable[[str], bool] = _never_known
    #: The station's timezone: feeds give times in UTC, the article's day is local.
    tz: dt.tzinfo = dt.timezone(dt.timedelta(hours=7))


def page_article(fetched: Fetched, source: str, context: WebContext, *, location: str | None = None,
                 fallback_title: str = "", fallback_date: dt.date | None = None) -> Article:
    """The article on a fetched page; NotText with a reason when there is none.

    `location` is the address as the source knows it (before redirects), so the store
    recognises it next time. HTML goes through the one extraction path (`html_article`);
    a text/plain page is read as a text file (first line the title).
    """
    if fetched.content_type not in ("text/html", "application/xhtml+xml", "text/plain"):
        raise NotText(f"not a web page ({fetched.content_type})")
    text, _ = detect(fetched.data, fetched.declared_charset)
    location = location or fetched.url
    if fetched.content_type == "text/plain":
        return _text_article(text, source, location, context, fallback_title, fallback_date)
    return html_article(text, source=source, location=location, rules=context.rules, today=context.today,
                        url=fetched.url, fallback_title=fallback_title, fallback_date=fallback_date)


def _text_article(text: str, source: str, location: str, context: WebContext, fallback_title: str,
                  fallback_date: dt.date | None) -> Article:
    lines = clean_text(text).split("\n")
    title, body = (lines[0], "\n".join(lines[1:])) if len(lines) > 1 else (fallback_title, lines[0])
    cleaned = clean_article(title, body, context.rules, today=context.today)
    if not cleaned.title or not cleaned.body:
        raise NotText("no title or no body text after cleaning")
    return Article(title=cleaned.title, body=cleaned.body, source=source, location=location,
                   published=cleaned.published or fallback_date, byline=cleaned.byline)


def fetch_article(url: str, source: str, context: WebContext, *, breaker: SiteBreaker | None = None,
                  fallback_title: str = "", fallback_date: dt.date | None = None) -> Article:
    fetched = breaker.fetch(url, context.settings) if breaker else fetch(url, context.settings)
    return page_article(fetched, source, context, location=url, fallback_title=fallback_title,
                        fallback_date=fallback_date)


class PageSource:
    """Single article URLs, e.g. a notice the district put on its portal."""

    kind = "page"

    def __init__(self, urls: list[str], context: WebContext, name: str | None = None) -> None:
        self.urls, self.context = list(urls), context
        self.name = name or f"page:{self.urls[0]}" + (f" (+{len(self.urls) - 1})" if len(self.urls) > 1 else "")

    def collect(self) -> Collected:
        result = _fetch_articles(self.urls, self.name, self.context)
        if result.skipped and not result.articles and len(result.skipped) == len(self.urls):
            raise SourceError("; ".join(f"{s.location}: {s.reason}" for s in result.skipped))
        return result


def _fetch_articles(urls: list[str], source: str, context: WebContext) -> Collected:
    """Fetch each article page not yet in the store; a failing page is skipped with its reason."""
    result, breaker = Collected(), SiteBreaker()
    for url in urls:
        if context.is_known(url):
            continue
        try:
            result.articles.append(fetch_article(url, source, context, breaker=breaker))
        except (FetchError, NotText) as exc:
            result.skipped.append(Skipped(url, _reason(exc, url)))
    return result


class ListingSource:
    """A listing page (the portal's news section) and the article links on it that match a pattern."""

    kind = "listing"

    def __init__(self, url: str, link_pattern: str, context: WebContext, *, max_links: int = 20,
                 name: str | None = None) -> None:
        self.url, self.context, self.max_links = url, context, max_links
        self.pattern = re.compile(link_pattern)
        self.name = name or f"listing:{url}"

    def collect(self) -> Collected:
        page = fetch(self.url, self.context.settings)
        try:
            text, _ = detect(page.data, page.declared_charset) if page.data.strip() else ("", "")
        except NotText as exc:
            return Collected(skipped=[Skipped(self.url, f"the listing page cannot be read: {exc}")])
        links = article_links(text, page.url, self.pattern)
        if not links:
            raise SourceError(f"{self.url}: no link on the page matches link_pattern "
                              f"'{self.pattern.pattern}' (has the site changed its addresses?)")
        return _fetch_articles(links[:self.max_links], self.name, self.context)


def _reason(exc: Exception, url: str) -> str:
    message = str(exc)
    return message[len(url) + 2:] if message.startswith(url + ": ") else message


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href.strip())


def article_links(markup: str, base_url: str, pattern: re.Pattern[str]) -> list[str]:
    """Absolute links on a page matching `pattern`, in page order, each once."""
    parser = _Links()
    parser.feed(markup)
    parser.close()
    seen: dict[str, None] = {}
    for href in parser.hrefs:
        url = urldefrag(urljoin(base_url, href))[0]
        if url.startswith(("http://", "https://")) and url != base_url and pattern.search(url):
            seen.setdefault(url, None)
    return list(seen)
