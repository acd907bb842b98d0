"""One reading of an HTML page, whatever brought it (folder file, web page, listing, feed entry).

The main text comes from trafilatura (a well-kept extractor, measured on the corpus in
tests/data/real/), run on a tree from which hidden text was removed first (the `hidden`
attribute, inline `display:none` / `visibility:hidden` / `font-size:0`, classes and ids a
<style> block hides). Its XML output keeps the structure, so the lead (sapo) paragraph
and subheadings stay paragraphs of their own. Title, published date and author come from
the page's metadata (og:title, article:published_time, JSON-LD, the visible date line
under the headline) before anything is guessed from the text; trafilatura's own date
guess is not used (it picks dates from related-news lists).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterator

from radio_gen.intake.articles import Article
from radio_gen.intake.cleaning import Rules, clean_article, default_rules
from radio_gen.intake.sources.decode import NotText

#: Elements never read: code, embedded objects, form controls, photo captions.
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "svg", "object", "embed", "select",
              "button", "textarea", "input", "figcaption", "video", "audio", "canvas", "map")
_CAPTION_CLASS = re.compile(r"caption|image-?desc|photo-?desc|tplcaption|expnoedit", re.IGNORECASE)
_HIDING_STYLE = re.compile(
    r"(?<![\w-])(?:display\s*:\s*none|visibility\s*:\s*hidden"
    r"|font-size\s*:\s*0+(?:\.0+)?(?:px|pt|em|rem|%)?\s*(?:;|!|$))",
    re.IGNORECASE)
_BRACE = re.compile(r"[{}]")
_SIMPLE_SELECTOR = re.compile(r"[a-z0-9]*([.#])([\w-]+)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: An entity the parser could not resolve ("&xxe;") is markup, not text.
_UNRESOLVED_ENTITY = re.compile(r"&[A-Za-z][A-Za-z0-9]{0,31};")
_SITE_LIKE = re.compile(r"cổng thông tin|trang thông tin|báo điện tử|\bbáo\b|portal|\.vn\b|\.com\b|\bonline\b"
                        r"|\bnews\b|^trang chủ|^home\b|^tin tức$", re.IGNORECASE)
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)")
_DATE_CLASS = re.compile(r"date|time|publish|ngay|post-?info|meta|thoigian|ngaydang", re.IGNORECASE)
_RELATED_CLASS = re.compile(r"related|lienquan|lien-quan|other|khac|cungchuyenmuc|same|list|box-?news|sidebar",
                            re.IGNORECASE)
_META_DATES = ("article:published_time", "og:published_time", "article:published", "datepublished",
               "pubdate", "publishdate", "publish-date", "dc.date.issued", "dc.date", "date", "created",
               "dcterms.created")
_META_AUTHORS = ("author", "article:author", "dc.creator", "byl")


@dataclass(frozen=True)
class Page:
    """What a page says about its article: the extractor's paragraphs and the page's metadata."""

    title: str
    paragraphs: list[str]
    published: dt.date | None = None
    author: str | None = None
    host: str | None = None
    site_name: str | None = None
    #: Subheadings (words of, see cleaning's _key): a subheading repeats the words of the
    #: paragraph under it, and must not be taken for a photo caption that does.
    headings: frozenset[str] = frozenset()

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


def html_article(markup: str, *, source: str, location: str, rules: Rules | None = None,
                 today: dt.date | None = None, url: str | None = None, fallback_title: str = "",
                 fallback_date: dt.date | None = None) -> Article:
    """The article of an HTML page, read and cleaned the same way whatever brought the page.

    The page's own date wins over a date in the text; `published` stays None when neither
    gives one (the caller decides: a feed's date, a file's time).
    """
    rules = rules or default_rules()
    page = read_page(markup, url=url, rules=rules)
    title, paragraphs = page.title or fallback_title, page.paragraphs
    if not title:
        title = _first_heading(paragraphs)
        paragraphs = _after_headline(paragraphs, title)
    cleaned = clean_article(title, "\n\n".join(paragraphs), rules.for_host(page.host), today=today,
                            published=page.published, headings=page.headings)
    if not cleaned.title or not cleaned.body:
        raise NotText("no title or no body text after cleaning")
    return Article(title=cleaned.title, body=cleaned.body, source=source, location=location,
                   published=cleaned.published or fallback_date, byline=cleaned.byline or page.author)


def _first_heading(paragraphs: list[str]) -> str:
    """The headline among the text's first lines, for pages with no headline markup: the
    headline-like line nearest before the first paragraph of the article (a section name
    such as "Số liệu chuyên ngành" can come before it)."""
    found = ""
    for paragraph in paragraphs[:4]:
        if _body_like(paragraph):
            break
        if 3 <= len(paragraph.split()) <= 40 and not paragraph.endswith((".", "!", "?", "…", ":")):
            found = paragraph
    return found


def _body_like(paragraph: str) -> bool:
    """A paragraph of the article, not a headline or a crumb: long, or a finished sentence."""
    words = len(paragraph.split())
    return words >= 2 * _BODY_WORDS or (
        words >= _BODY_WORDS and paragraph.rstrip().endswith((".", "!", "?", "…", "\"", "”")))


def read_page(markup: str, *, url: str | None = None, rules: Rules | None = None) -> Page:
    """The article on an HTML page; NotText with a reason when the page has none.

    When the station's rules name the article block of this site (a CSS selector, an
    operator's option for their own portal), only that block is given to the extractor.
    """
    import lxml.html

    tree = _parse(markup)
    _drop_hidden(tree)
    _drop_captions(tree)
    _unwrap_layout_tables(tree)
    meta = _metadata(tree)
    host = _host(url) or _host(meta.get("og:url") or meta.get("canonical"))
    selector = rules.article_selector(host) if rules else None
    title_element, title = _title(tree, meta)
    author = _author(meta) or _author_line(title_element)
    scope = tree
    if selector:
        found = _select(tree, selector)
        if found is not None:
            scope = lxml.html.document_fromstring("<html><body></body></html>")
            scope.body.append(found)
    paragraphs = _extract(scope, url, favor_recall=True)
    if len(paragraphs) <= 2:
        # On a short page trafilatura falls back to the page's whole text in one block
        # (menu, headline and body run together); its precise mode keeps the structure.
        precise = _extract(scope, url, favor_recall=False)
        blob = bool(title) and any(_key(title) in _key(p) and _key(p) != _key(title) for p in paragraphs)
        if precise and (len(precise) > len(paragraphs) or blob):
            paragraphs = precise
    if not _meta_title(meta):
        title_element, title = _headline_near_body(tree, paragraphs, title_element, title)
    paragraphs = _before_headline_dropped(_after_headline(paragraphs, title), title_element)
    published = _meta_date(meta) or _date_line(tree, title_element)
    lead = _lead(tree if scope is tree else scope, title_element)
    if lead and paragraphs and not any(_key(lead) in _key(p) for p in paragraphs):
        paragraphs.insert(_first_body_index(paragraphs, title), lead)
    if not paragraphs:
        raise NotText("no article text found on the page")
    return Page(title=title, paragraphs=paragraphs, published=published, author=author,
                host=host, site_name=meta.get("og:site_name"), headings=_subheadings(scope))


#: What Vietnamese CMSs call the lead: a class that says so is trusted anywhere on the page.
_LEAD_CLASS = re.compile(r"sapo|\blead\b|chapeau|tomtat|tom-tat|trichdan|trich-dan|mota|mo-ta", re.IGNORECASE)
#: Names other sites use for a lead, and for teasers of other articles too: trusted only
#: right under the headline.
_LEAD_NEAR_HEADLINE = re.compile(r"description|summary|intro|teaser|abstract|standfirst", re.IGNORECASE)
_LEAD_DISTANCE = 30


def _lead(tree: Any, headline: Any) -> str:
    """The lead (sapo) paragraph under the headline: extractors often drop it as a heading or a
    teaser. Taken from the element the page marks as the lead."""
    near = set(headline.xpath(f"following::*[position() <= {_LEAD_DISTANCE}]")) if headline is not None else set()
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in ("meta", "head", "title", "li", "a"):
            continue
        label = (element.get("class") or "") + " " + (element.get("id") or "")
        if _LEAD_CLASS.search(label) or (element in near and _LEAD_NEAR_HEADLINE.search(label)):
            if any(a.tag in ("li", "ul", "ol", "a") or _RELATED_CLASS.search(a.get("class") or "")
                   for a in element.iterancestors()):
                continue
            text = _UNRESOLVED_ENTITY.sub("", _text(element))
            if 8 <= len(text.split()) <= 120:
                return text
    return ""


def _first_body_index(paragraphs: list[str], title: str) -> int:
    """Where the lead goes: after a repeated headline and a date line, before the body."""
    index = 0
    while index < len(paragraphs) and index < 2 and (
            _key(paragraphs[index]) == _key(title) or len(paragraphs[index].split()) <= 8):
        index += 1
    return index


def _extract(tree: Any, url: str | None, *, favor_recall: bool) -> list[str]:
    import copy

    import trafilatura

    xml = trafilatura.extract(copy.deepcopy(tree), url=url, output_format="xml", include_comments=False,
                              include_tables=True, include_images=False, include_links=False,
                              include_formatting=False, favor_recall=favor_recall,
                              favor_precision=not favor_recall, deduplicate=False, with_metadata=False)
    return _paragraphs(xml) if xml else []


def _parse(markup: str) -> Any:
    import lxml.etree
    import lxml.html

    if not markup.strip():
        raise NotText("empty page")
    # Control characters are not text (and lxml refuses them when the tree is edited).
    markup = _CONTROL.sub("", markup)
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=False,
                                  no_network=True)
    try:
        tree = lxml.html.document_fromstring(markup.encode("utf-8", "replace"), parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise NotText(f"not an HTML page ({exc})") from None
    if tree is None:
        raise NotText("not an HTML page")
    return tree


def _drop_hidden(tree: Any) -> None:
    """Remove what a browser would not show, and what is never read (code, captions)."""
    hidden_classes, hidden_ids = _hidden_by_style_blocks(tree)
    doomed = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag in ("html", "body", "head"):
            continue
        classes = (element.get("class") or "").split()
        if tag in _DROP_TAGS or element.get("hidden") is not None or element.get("aria-hidden") == "true" \
                or _HIDING_STYLE.search(element.get("style") or "") \
                or (hidden_classes and hidden_classes.intersection(classes)) \
                or (element.get("id") or "") in hidden_ids \
                or _CAPTION_CLASS.search(element.get("class") or ""):
            doomed.append(element)
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()


#: A photo's caption is short; a longer block after a photo is the article going on.
_CAPTION_WORDS = 20


def _drop_captions(tree: Any) -> None:
    """Remove photo captions that carry no caption markup: the text of a small table that
    holds a photo (old CMSs lay a photo and its caption out in a table), and a short block
    that directly follows a block holding only a photo."""
    doomed = []
    for table in tree.iter("table"):
        if table.find(".//img") is not None and len(table.findall(".//tr")) <= 3 \
                and len(_text(table).split()) <= 3 * _CAPTION_WORDS and table.find(".//table") is None:
            doomed.append(table)
    for image in tree.iter("img"):
        block = image.getparent()
        while block is not None and block.tag not in ("p", "div", "figure", "td", "body"):
            block = block.getparent()
        # A <figure> names its caption itself (figcaption, dropped above); what follows it is text.
        if block is None or block.tag in ("td", "body", "figure") or _text(block):
            continue
        following = block.getnext()
        while following is not None and not _text(following) and following.find(".//img") is None:
            following = following.getnext()  # an empty paragraph between the photo and its caption
        if following is not None and following.tag in ("p", "div") and following.find(".//img") is None \
                and 0 < len(_text(following).split()) <= (_CAPTION_WORDS + 10 if _set_apart(following)
                                                          else _CAPTION_WORDS):
            doomed.append(following)
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()


_CENTERED = re.compile(r"text-align\s*:\s*center", re.IGNORECASE)
_COLOURED = re.compile(r"(?<![\w-])color\s*:\s*(?!#?0{3}\b|#?0{6}\b|black\b)", re.IGNORECASE)


def _set_apart(block: Any) -> bool:
    """Typeset as a caption: centred, in italics or in a colour of its own."""
    if _CENTERED.search(block.get("style") or "") or (block.get("align") or "").lower() == "center":
        return True
    text = _key(_text(block))
    return any(_key(_text(e)) == text and (e.tag in ("em", "i") or _COLOURED.search(e.get("style") or ""))
               for e in block.iter() if e is not block)


def _unwrap_layout_tables(tree: Any) -> None:
    """A one-row table is layout (a paragraph set beside an empty cell), not data: made plain
    blocks, its text stays in its place in the article (the extractor moves tables' text)."""
    for table in list(tree.iter("table")):
        rows = table.findall(".//tr")
        if len(rows) != 1 or table.find(".//table") is not None:
            continue
        for element in [table, *table.iter("tbody", "thead", "tr", "td", "th")]:
            element.tag = "div"


def _hidden_by_style_blocks(tree: Any) -> tuple[set[str], set[str]]:
    """Classes and ids that a page's own <style> hides (`.x{display:none}`), outside @media rules."""
    classes: set[str] = set()
    ids: set[str] = set()
    for style in tree.iter("style"):
        for selectors, body in _top_level_rules(style.text or ""):
            if not _HIDING_STYLE.search(body):
                continue
            for selector in selectors.split(","):
                match = _SIMPLE_SELECTOR.fullmatch(selector.strip())
                if match:
                    (classes if match[1] == "." else ids).add(match[2])
    return classes, ids


def _top_level_rules(css: str) -> Iterator[tuple[str, str]]:
    """(selectors, declarations) of a style sheet's plain rules, in one pass over its braces;
    rules inside @media, @supports … are left out (a print-only rule hides nothing on screen)."""
    depth, start, selectors, body_start = 0, 0, "", 0
    for brace in _BRACE.finditer(css):
        if brace[0] == "{":
            if depth == 0:
                selectors, body_start = css[start:brace.start()], brace.end()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                if "@" not in selectors and "{" not in css[body_start:brace.start()]:
                    yield selectors, css[body_start:brace.start()]
                start = brace.end()


def _metadata(tree: Any) -> dict[str, str]:
    meta: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
        value = " ".join((element.get("content") or "").split())
        if key and value and key not in meta:
            meta[key] = value
    for element in tree.iter("link"):
        if (element.get("rel") or "").lower() == "canonical" and element.get("href"):
            meta.setdefault("canonical", element.get("href"))
    for element in tree.iter("time"):
        if element.get("itemprop", "").lower() == "datepublished" and element.get("datetime"):
            meta.setdefault("datepublished", element.get("datetime"))
    for node in _json_ld(tree):
        if not isinstance(node, dict):
            continue
        kind = node.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if not any(isinstance(k, str) and ("Article" in k or k in ("BlogPosting", "Report")) for k in kinds):
            continue
        for key, name in (("headline", "ld:headline"), ("datePublished", "ld:datepublished")):
            if isinstance(node.get(key), str):
                meta.setdefault(name, " ".join(node[key].split()))
        author = node.get("author")
        for one in author if isinstance(author, list) else [author]:
            if isinstance(one, dict) and isinstance(one.get("name"), str) and one.get("@type") != "Organization":
                meta.setdefault("ld:author", one["name"].strip())
            elif isinstance(one, str):
                meta.setdefault("ld:author", one.strip())
    return meta


def _json_ld(tree: Any) -> Iterator[Any]:
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                yield node
                if isinstance(node.get("@graph"), list):
                    stack.extend(node["@graph"])


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


def _headline_like(text: str, site_name: str | None) -> bool:
    if len(text.split()) < 3 or len(text) > 300:
        return False
    if site_name and _names_site(text, site_name):
        return False
    return not _SITE_LIKE.search(text)


def _names_site(text: str, site_name: str) -> bool:
    """"The Boston Globe" names the site "BostonGlobe.com": the same letters once spaces, an
    article and the domain's ending are gone."""
    def squash(value: str) -> str:
        value = re.sub(r"\.(?:com|net|org|vn|info)\b", "", value.casefold())
        return re.sub(r"^(?:the|www)", "", re.sub(r"\W", "", value))
    text_key, site_key = squash(text), squash(site_name)
    return len(site_key) >= 5 and (text_key == site_key or (len(text.split()) <= 5 and site_key in text_key))


def _title(tree: Any, meta: dict[str, str]) -> tuple[Any, str]:
    """(the headline element, the headline): metadata first, never a hidden or site-name <h1> ("Home")."""
    site = meta.get("og:site_name")
    headings = [h for h in tree.iter("h1") if _headline_like(_text(h), site)]
    if not headings:
        headings = [h for h in tree.iter("h2") if _headline_like(_text(h), site)][:1]
    value = _meta_title(meta)
    if value:
        element = next((h for h in headings if _key(_text(h)) == _key(value)), None)
        if element is None:
            element = next((h for h in headings if _key(value).startswith(_key(_text(h)))), None)
            if element is not None:
                value = _text(element)
        return element, value
    if headings:
        return headings[0], _text(headings[0])
    title = tree.find(".//title")
    value = _strip_site(_text(title), site) if title is not None else ""
    if any(separator in value for separator in _TITLE_SEPARATORS):
        return None, ""  # "Tin tức - UBND huyện X": a section and a site, not a headline
    return None, value if _headline_like(value, site) else ""


def _meta_title(meta: dict[str, str]) -> str:
    """The headline the page's metadata gives (og:title, JSON-LD), "" when none is headline-like."""
    site = meta.get("og:site_name")
    for key in ("og:title", "twitter:title", "ld:headline", "headline"):
        value = _strip_site(meta.get(key, ""), site)
        if _headline_like(value, site):
            return value
    return ""


#: Class names that mark a headline on CMSs without headline markup ("Title", "news-title", "tieude").
_TITLE_CLASS = re.compile(r"^(?:[\w-]*[-_])?(?:title|tieude|tieu-de|tieu_de|headline)$", re.IGNORECASE)
#: A paragraph of the article's text (the headline is the nearest heading before the first one).
_BODY_WORDS = 12


def _headline_near_body(tree: Any, paragraphs: list[str], element: Any, title: str) -> tuple[Any, str]:
    """Without metadata, the headline is the heading nearest before the article's first
    paragraph: an <h1> in the site's header ("Home", "Chuyên mục") or a widget's title
    ("Thống kê truy cập") is further away, and old portals mark the headline with a class
    ("p.Title") rather than a heading tag."""
    body = _first_body_element(tree, paragraphs)
    if body is None:
        return element, title
    order = {node: index for index, node in enumerate(tree.iter())}
    if element is not None and element.tag == "h1" and order.get(element, len(order)) < order[body]:
        return element, title  # the page's own headline markup, above the article: trusted
    if _is_heading(body) and _headline_like(_text(body), None):
        return body, _text(body)  # a headline that ends with a full stop looked like the body
    enclosing = set(body.iterancestors())
    best, best_at = None, -1
    for candidate in tree.iter():
        if not isinstance(candidate.tag, str) or candidate in enclosing:
            continue
        at = order.get(candidate, -1)
        if at >= order[body] or at <= best_at:
            continue
        if _is_heading(candidate) and _headline_like(_text(candidate), None) and not any(
                a.tag in ("li", "a", "ul", "ol") for a in candidate.iterancestors()):
            best, best_at = candidate, at
    if best is None:
        return element, title
    return best, _text(best)


def _subheadings(tree: Any) -> frozenset[str]:
    """The words of the page's subheadings: <h2>–<h4>, and short paragraphs set wholly in bold
    (how editors of old portals write a subheading: "<p><strong>Được mùa, được giá</strong></p>")."""
    found = set()
    for element in tree.iter("h2", "h3", "h4", "p", "div"):
        if element.tag == "div" and (element.find(".//div") is not None or element.find(".//p") is not None):
            continue  # a container: its own blocks are looked at
        text = _text(element)
        if not 2 <= len(text.split()) <= 14 or text.endswith((".", "!", "?", ":")):
            continue
        if element.tag in ("p", "div"):
            bold = " ".join(" ".join(b.text_content() for b in element.iter("b", "strong")).split())
            if _key(bold) != _key(text):
                continue
        found.add(_key(unicodedata.normalize("NFC", text)))
    return frozenset(found)


def _is_heading(element: Any) -> bool:
    return element.tag in ("h1", "h2", "h3") or any(
        _TITLE_CLASS.match(name) for name in (element.get("class") or "").split())


_BLOCKS = ("p", "div", "td", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "article", "section")


def _first_body_element(tree: Any, paragraphs: list[str]) -> Any:
    """The block that holds the first paragraph of the extracted text that is a finished
    sentence of some length (a long headline is not one): the block around the first text
    node where that paragraph begins (one pass over the text nodes, not over every subtree)."""
    first = next((p for p in paragraphs if _body_like(p)), None)
    if first is None:
        return None
    probe = _key(" ".join(first.split()[:5]))
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for text, holder in ((element.text, element), (element.tail, element.getparent())):
            start = _key(text or "")
            if not start or holder is None or not (start.startswith(probe) or probe.startswith(start)):
                continue
            block = holder
            while block is not None and block.tag not in _BLOCKS:
                block = block.getparent()
            # A paragraph that begins in bold ("<b>Sáng 5/6</b>, …"): its block must begin with it all.
            if block is not None and (start.startswith(probe) or _key(_text(block)).startswith(probe)):
                return block
    return None


def _after_headline(paragraphs: list[str], title: str) -> list[str]:
    """The text from the paragraph after the headline when the extractor kept the headline
    and the crumbs above it (a section name, a date line) among the first lines."""
    if not title:
        return paragraphs
    for index, paragraph in enumerate(paragraphs[:5]):
        if _key(paragraph) == _key(title):
            if all(len(p.split()) <= _BODY_WORDS for p in paragraphs[:index]):
                return paragraphs[index + 1:]
            break
    return paragraphs


def _before_headline_dropped(paragraphs: list[str], headline: Any) -> list[str]:
    """Without the crumbs the extractor kept from just above the headline when it dropped the
    headline itself: a section name ("TIN TRONG HUYỆN") and a date cell ("(25.04.2019 14:04)")
    are short texts of the few elements before it, never the article's first paragraphs."""
    if headline is None or not paragraphs:
        return paragraphs
    above = {_key(_text(element)) for element in headline.xpath(f"preceding::*[position() <= {_DATE_BEFORE_HEADLINE}]")}
    above.discard("")
    start = 0
    while start < min(len(paragraphs), 3) and len(paragraphs[start].split()) <= _BODY_WORDS \
            and _key(paragraphs[start]) in above:
        start += 1
    return paragraphs[start:]


def _strip_site(title: str, site: str | None) -> str:
    """"Headline - Cổng thông tin điện tử huyện X" → "Headline"."""
    title = " ".join(title.split())
    for separator in _TITLE_SEPARATORS:
        head, sep, tail = title.rpartition(separator)
        if sep and len(head.split()) >= 3 and \
                (_SITE_LIKE.search(tail) or (site and site.casefold() in tail.casefold())):
            return head
    return title


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _meta_date(meta: dict[str, str]) -> dt.date | None:
    for key in _META_DATES + ("ld:datepublished",):
        found = _parse_date(meta.get(key, ""))
        if found:
            return found
    return None


def _parse_date(text: str) -> dt.date | None:
    text = text[:100]
    for pattern, order in ((_ISO_DATE, (1, 2, 3)), (_DMY_DATE, (3, 2, 1))):
        match = pattern.search(text)
        if match:
            try:
                return dt.date(int(match[order[0]]), int(match[order[1]]), int(match[order[2]]))
            except ValueError:
                continue
    return None


#: "thứ năm, 08 08 2019 08:52": a date-line cell of old SharePoint portals, day month year apart.
_SPACED_DATE = re.compile(r"(?<!\d)(\d{1,2})\s+(\d{1,2})\s+(\d{4})(?!\d)")
#: How far before the headline its date line may be (portals put "Section | date" above it).
_DATE_BEFORE_HEADLINE = 12


def _date_line(tree: Any, headline: Any) -> dt.date | None:
    """The visible date by the headline ("Thứ sáu, 01/07/2022 16:30"), never one from a list of
    other news or from the header's today's-date widget: it is under the headline, or in the
    few elements just above it."""
    if headline is None:
        return None
    before = headline.xpath(f"preceding::*[position() <= {_DATE_BEFORE_HEADLINE}]")
    for candidate in list(headline.xpath("following::*[position() <= 80]")) + list(reversed(before)):
        # A date in a list or inside a link dates what the list or the link points to.
        if candidate.tag in ("li", "a") or any(
                a.tag in ("li", "ul", "ol", "a") or _RELATED_CLASS.search(a.get("class") or "")
                for a in candidate.iterancestors()):
            continue
        label = (candidate.get("class") or "") + " " + (candidate.get("id") or "")
        if candidate.tag == "time" or _DATE_CLASS.search(label):
            text = _text(candidate)
            if len(text) <= 80:
                found = _parse_date(candidate.get("datetime") or text) or _spaced_date(text)
                if found:
                    return found
    return None


def _spaced_date(text: str) -> dt.date | None:
    match = _SPACED_DATE.search(text)
    if match:
        try:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            return None
    return None


def _author(meta: dict[str, str]) -> str | None:
    """The author named by the page, never the site ("NLD COM VN", "Baodautu Vn")."""
    site = (meta.get("og:site_name") or "").casefold()
    for key in ("ld:author",) + _META_AUTHORS:
        value = " ".join(meta.get(key, "").split())
        if not value or value.startswith(("http://", "https://")) or len(value.split()) > 6:
            continue
        folded = value.casefold()
        if (site and (folded in site or site in folded)) or _SITE_LIKE.search(value) \
                or re.search(r"\b(vn|com|net|org)\b", folded) or value.isupper():
            continue
        return value
    return None


#: How a page marks the author's name by the headline: a class, an id or schema.org's itemprop.
_AUTHOR_CLASS = re.compile(r"author|byline|tacgia|tac-gia|tac_gia", re.IGNORECASE)
#: A source names a paper or an agency ("Theo SGGP", "(Theo TTXVN)", "Nguồn: …"), not an author.
_SOURCE_START = re.compile(r"^\W*(?:theo|nguồn|nguon)\b", re.IGNORECASE)


def _author_line(headline: Any) -> str | None:
    """The author's name the page shows by the headline in an element marked as such
    (`<b class="author">Minh Chiến</b>`): a short name, never a source line or a link list."""
    if headline is None:
        return None
    for candidate in headline.xpath("following::*[position() <= 80]"):
        label = " ".join(candidate.get(name) or "" for name in ("class", "id", "itemprop"))
        if not _AUTHOR_CLASS.search(label) or any(a.tag in ("li", "ul", "ol") for a in candidate.iterancestors()):
            continue
        value = _text(candidate)
        if value and len(value.split()) <= 6 and value[0].isupper() and not _SOURCE_START.match(value) \
                and not re.search(r"\d|https?:|www\.", value):
            return value
    return None


def _select(tree: Any, selector: str) -> Any:
    from cssselect import SelectorError
    from lxml.cssselect import CSSSelector

    try:
        found = CSSSelector(selector)(tree)
    except SelectorError:
        return None
    return found[0] if found else None


def _paragraphs(xml: str) -> list[str]:
    """Paragraphs, headings, list items and table cells of trafilatura's XML, each its own paragraph."""
    import lxml.etree

    try:
        root = lxml.etree.fromstring(xml.encode("utf-8"), lxml.etree.XMLParser(resolve_entities=False,
                                                                                huge_tree=False))
    except lxml.etree.XMLSyntaxError:
        return []
    main = root.find("main")
    if main is None:
        return []
    paragraphs = []
    for element in main.iter("p", "head", "item", "cell", "quote", "code"):
        if any(child.tag in ("p", "item", "cell", "list", "head", "quote") for child in element):
            continue  # a container: its own children are the paragraphs
        text = _UNRESOLVED_ENTITY.sub("", " ".join("".join(element.itertext()).split()))
        if text:
            paragraphs.append(text)
    return paragraphs


def _host(url: str | None) -> str | None:
    if not url:
        return None
    from urllib.parse import urlsplit

    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.lower().removeprefix("www.") if host else None
