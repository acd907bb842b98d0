"""Editing the coming programs: the reading queue, an article's spoken form, edits, drops, moves, additions.

The newsroom and `radio-gen articles edit/drop/move/add` both call these functions,
so nothing is web-only. The source's text is never overwritten: an editor's version
is kept beside it (store columns `edited_*`) and is what the next build reads. A save
names the version it started from; if someone saved in between, it is refused
(`VersionConflict`) rather than silently overwriting. Every change goes to the
station's journal (who, when, what).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath

from radio_gen.config import StationConfig
from radio_gen.programs import ProgramConfig
from radio_gen.errors import CodedError
from radio_gen.intake.articles import Article, clean_text, content_id
from radio_gen.intake.pipeline import policy, select_for, web_context
from radio_gen.intake.store import Store, StoredArticle
from radio_gen.intake.sources.decode import NotText
from radio_gen.intake.sources.fetch import FetchError
from radio_gen.intake.sources.folder import MAX_FILE_BYTES, article_from_bytes
from radio_gen.intake.sources.names import upload_name
from radio_gen.intake.sources.web import fetch_article
from radio_gen.text import normalize
from radio_gen.users import Users

#: Where articles pasted in the newsroom (or `articles add`) come from.
NEWSROOM_SOURCE = "bien-tap"
MAX_TITLE_CHARS = 300
MAX_BODY_CHARS = 60_000
_WORD = re.compile(r"\S+")
_EDGE_PUNCT = ".,;:!?…\"'“”‘’()[]{}–-"


class EditError(CodedError):
    """An edit, move or addition that cannot be made (empty text, unknown article, wrong place)."""

    DEFAULT_CODE = "edit.failed"


@dataclass(frozen=True)
class QueueItem:
    article: Article
    seconds: float
    pinned: bool
    edited: bool
    version: int


@dataclass(frozen=True)
class LeftOut:
    article: Article
    reason: str
    #: `selection.REASONS` code and particulars, for the newsroom's language.
    code: str = "other"
    values: dict[str, object] = field(default_factory=dict)


@dataclass
class Queue:
    """What the next program of a slot reads, in order, against its budget, and what is left out."""

    program: ProgramConfig
    date: dt.date
    budget_seconds: float
    items: list[QueueItem] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)

    @property
    def total_seconds(self) -> float:
        return sum(i.seconds for i in self.items)

    @property
    def over_budget(self) -> bool:
        return self.total_seconds > self.budget_seconds


def queue(config: StationConfig, store: Store, program: ProgramConfig, date: dt.date) -> Queue:
    """The selection the next build of `program` on `date` makes, with each item's reading time."""
    stored = {s.id: s for s in store.articles()}
    selection = select_for(config, store, program, date)
    result = Queue(program, date, policy(config, program, date).budget_seconds)
    for article in selection.chosen:
        item = stored[article.id]
        result.items.append(QueueItem(article, selection.seconds[article.id], item.pinned, item.edited, item.version))
    result.left_out = [LeftOut(e.article, e.reason, e.code, e.values) for e in selection.excluded]
    return result


# -- the spoken form ----------------------------------------------------------------------
@dataclass(frozen=True)
class Span:
    """A run of the written text and what the announcer says for it; `changed` when they differ."""

    written: str
    spoken: str
    changed: bool


@dataclass(frozen=True)
class Paragraph:
    text: str
    spoken: str
    spans: tuple[Span, ...]


def _key(word: str) -> str:
    return word.strip(_EDGE_PUNCT).casefold()


def spans(written: str, spoken: str, say: Callable[[str], str] | None = None) -> tuple[Span, ...]:
    """Align the written and spoken words so every rewrite ("UBND" → "ủy ban nhân dân") is one span.

    `say` (the normalizer) splits a run of neighbouring rewrites ("24/4, UBND") into one
    span per written word when each word alone reads as its part of the run.
    """
    a, b = _WORD.findall(written), _WORD.findall(spoken)
    matcher = difflib.SequenceMatcher(None, [_key(w) for w in a], [_key(w) for w in b], autojunk=False)
    out: list[Span] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        left, right = " ".join(a[i1:i2]), " ".join(b[j1:j2])
        if op == "equal" or _key(left) == _key(right):      # the same words (maybe punctuation moved)
            out.append(Span(left, right, False))
        elif say is not None and i2 - i1 > 1:
            out.extend(_split_run(a[i1:i2], b[j1:j2], say))
        else:
            out.append(Span(left, right, True))
    return tuple(out)


def _split_run(written: list[str], spoken: list[str], say: Callable[[str], str]) -> list[Span]:
    """One span per written word whose own reading starts the rest of the spoken run; the rest in one."""
    out: list[Span] = []
    at = 0
    for number, word in enumerate(written):
        alone = [_key(w) for w in _WORD.findall(say(word))]
        here = [_key(w) for w in spoken[at:at + len(alone)]]
        last = number == len(written) - 1
        if not alone or here != alone or (last and at + len(alone) != len(spoken)):
            out.append(Span(" ".join(written[number:]), " ".join(spoken[at:]), True))
            return out
        said = " ".join(spoken[at:at + len(alone)])
        out.append(Span(word, said, _key(word) != _key(said)))
        at += len(alone)
    return out


def sayer(config: StationConfig) -> Callable[[str], str]:
    """The build's normalizer with the station's lexicon, loaded once."""
    from radio_gen.pronunciation import load_lexicon

    lexicon, _problems = load_lexicon(config)
    return lambda text: normalize(text, dialect=config.speech.dialect, lexicon=lexicon, mung=config.speech.mung,
                                  read_addresses=config.speech.read_addresses)


def speech_text(config: StationConfig, text: str) -> str:
    """`text` as the build's normalizer reads it, with the station's lexicon."""
    return sayer(config)(text)


def spoken_spans(config: StationConfig, text: str) -> tuple[str, tuple[Span, ...]]:
    """(spoken text, spans) of `text`."""
    say = sayer(config)
    said = say(text)
    return said, spans(text, said, say)


def spoken_form(config: StationConfig, article: Article) -> list[Paragraph]:
    """The title and each paragraph, written and spoken (the title is paragraph 0)."""
    say = sayer(config)
    result = []
    for text in [article.title, *article.paragraphs]:
        said = say(text)
        result.append(Paragraph(text, said, spans(text, said, say)))
    return result


def diff(before: str, after: str) -> list[tuple[str, str]]:
    """Line diff of two texts as (mark, line): "-" removed, "+" added, " " kept."""
    out = []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line[:1] in "-+ " and not line.startswith("? "):
            out.append((line[:1], line[2:]))
    return out


@dataclass(frozen=True)
class Revision:
    """Where an article's text stands: its version, who changed it last, and how it differs from the source."""

    version: int
    edited_by: str | None
    edited_at: str | None
    #: `diff` of the source's text and the text that airs (empty while nobody edited it).
    changes: list[tuple[str, str]]


def revision(store: Store, item: StoredArticle) -> Revision:
    version, who, when = store.edit_info(item.id)
    changes: list[tuple[str, str]] = []
    if item.edited:
        title, body = store.source_text(item.id)
        changes = diff(f"{title}\n{body}", f"{item.article.title}\n{item.article.body}")
    return Revision(version, who, when, changes)


# -- changes --------------------------------------------------------------------------------
def _journal(config: StationConfig, by: str, action: str, **detail: object) -> None:
    Users(config.store_path).record(by, action, **detail)


def _clean(title: str, body: str) -> tuple[str, str]:
    title, body = clean_text(title).replace("\n", " "), clean_text(body)
    if not title or not body:
        raise EditError("an article needs a title and some text", "edit.empty")
    _check_length(title, body)
    return title, body


def _check_length(title: str, body: str) -> None:
    if len(title) > MAX_TITLE_CHARS or len(body) > MAX_BODY_CHARS:
        raise EditError(f"the article is too long (at most {MAX_TITLE_CHARS} characters of title and "
                        f"{MAX_BODY_CHARS:,} of text)", "edit.too_long", title=MAX_TITLE_CHARS, body=MAX_BODY_CHARS)


def find(store: Store, id_prefix: str) -> StoredArticle:
    article_id, _title = store.resolve(id_prefix)
    return next(s for s in store.articles() if s.id == article_id)


def edit(config: StationConfig, store: Store, id_prefix: str, title: str, body: str, *, version: int,
         by: str) -> int:
    """Save an editor's text of an article (the source's is kept); returns the new version.

    Raises `VersionConflict` when someone saved since `version`.
    """
    item = find(store, id_prefix)
    title, body = _clean(title, body)
    new_version = store.save_edit(item.id, title, body, version, by)
    _journal(config, by, "article.edit", id=item.id, title=title, version=new_version,
             diff=[f"{m} {line}" for m, line in diff(item.article.body, body) if m != " "][:40])
    return new_version


def set_flag(config: StationConfig, store: Store, id_prefix: str, flag: str, on: bool, *, by: str) -> StoredArticle:
    """Drop (or bring back), pin (or unpin), let repeat; journaled."""
    article_id, title = store.set_flag(id_prefix, flag, on)
    _journal(config, by, f"article.{flag}" if on else f"article.un{flag}", id=article_id, title=title)
    return find(store, article_id)


def move(config: StationConfig, store: Store, program: ProgramConfig, date: dt.date, id_prefix: str,
         step: int, *, by: str) -> Queue:
    """Move an article `step` places (-1 up, +1 down) in the queue of `program` on `date`.

    The new order is kept as ranks, so it holds for the next build. Pinned articles
    always read first: an unpinned one cannot go above them.
    """
    article_id, title = store.resolve(id_prefix)
    current = queue(config, store, program, date)
    order = [i.article.id for i in current.items]
    if article_id not in order:
        raise EditError(f"{title}: not in the queue of {program.id} on {date.isoformat()}, so it cannot move",
                        "move.not_queued", title=title)
    at = order.index(article_id)
    to = at + step
    if not 0 <= to < len(order):
        raise EditError(f"{title}: already {'first' if step < 0 else 'last'} in the queue",
                        "move.first" if step < 0 else "move.last", title=title)
    if current.items[at].pinned != current.items[to].pinned:
        raise EditError(f"{title}: pinned articles read first; pin or unpin it to move it past "
                        f"'{current.items[to].article.title}'", "move.pinned", title=title,
                        other=current.items[to].article.title)
    order[at], order[to] = order[to], order[at]
    for position, other in enumerate(order):
        store.set_rank(other, len(order) - position)
    _journal(config, by, "article.move", id=article_id, title=title, program=program.id,
             date=date.isoformat(), position=to + 1)
    return queue(config, store, program, date)


def add(config: StationConfig, store: Store, title: str, body: str, *, by: str, day: dt.date) -> str:
    """An article pasted by an editor, dated `day`; returns its id."""
    title, body = _clean(title, body)
    article_id = content_id(title, body)
    article = Article(title=title, body=body, source=NEWSROOM_SOURCE, location=f"newsroom:{article_id}",
                      published=day, byline=None, id=article_id)
    return _remember(config, store, article, by).id


# -- additions from a file or a web page ------------------------------------------------------
#: File types an editor may upload: the folder source's readers (Markdown is for the folder only).
UPLOAD_SUFFIXES = (".txt", ".docx", ".html", ".htm")
#: An uploaded article file is bounded like a file in the articles folder.
MAX_UPLOAD_BYTES = MAX_FILE_BYTES
MAX_URL_CHARS = 2000


@dataclass(frozen=True)
class Added:
    id: str
    title: str
    #: "new", "known" (the same text was there already) or "updated" (the same address, new text).
    status: str


def _remember(config: StationConfig, store: Store, article: Article, by: str, **detail: object) -> Added:
    _check_length(article.title, article.body)
    status, stored_id = store.remember(article)
    _journal(config, by, "article.add", id=stored_id, title=article.title, status=status, **detail)
    return Added(stored_id, article.title, status)


def add_file(config: StationConfig, store: Store, filename: str, data: bytes, *, by: str,
             day: dt.date) -> Added:
    """An uploaded .txt/.docx/.html file, read and cleaned exactly as the folder source reads it.

    Undated text is dated `day`. Nothing is written to disk: the article goes to the store.
    """
    name = upload_name(filename)
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise EditError(f"{name or 'the file'}: only {', '.join(UPLOAD_SUFFIXES)} files can be added",
                        "add.type", name=name, types=", ".join(UPLOAD_SUFFIXES))
    if len(data) > MAX_UPLOAD_BYTES:
        raise EditError(f"{name}: too large ({len(data):,} bytes, limit {MAX_UPLOAD_BYTES:,})", "add.too_large",
                        name=name, limit=MAX_UPLOAD_BYTES)
    context, _warnings = web_context(config, store, day)
    try:
        article = article_from_bytes(data, suffix, NEWSROOM_SOURCE, "", context.rules, today=day, undated=day)
    except NotText as exc:
        raise EditError(f"{name}: cannot be read ({exc})", "add.unreadable", name=name, detail=str(exc)) from None
    article = replace(article, location=f"newsroom:{article.id}")
    return _remember(config, store, article, by, file=name)


def add_url(config: StationConfig, store: Store, url: str, *, by: str, day: dt.date) -> Added:
    """The article on a web page, fetched and cleaned exactly as a page source is.

    The fetch obeys the station's limits and network policy (`[articles] timeout,
    max_page_bytes, allow_hosts`): an editor's address cannot reach the station's own
    network unless the operator listed the host.
    """
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")) or len(url) > MAX_URL_CHARS or any(
            c.isspace() or ord(c) < 32 for c in url):
        raise EditError(f"{url[:100]!r} is not a web address (http:// or https://)", "url.scheme", url=url[:100])
    context, _warnings = web_context(config, store, day)
    try:
        article = fetch_article(url, NEWSROOM_SOURCE, context, fallback_date=day)
    except FetchError as exc:
        raise EditError(str(exc), f"url.{exc.kind}", url=url, detail=str(exc)) from None
    except NotText as exc:
        raise EditError(f"{url}: no article on the page ({exc})", "url.no_article", url=url,
                        detail=str(exc)) from None
    if article.published is None:
        article = replace(article, published=day)
    return _remember(config, store, article, by, url=url)
