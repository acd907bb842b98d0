"""Which remembered articles a program reads, and why the others are left out.

Not yet broadcast (unless marked to repeat), within the maximum age, pinned then newest
first, at most N items, and within a reading-time budget estimated from the text
(syllables × speaking rate) so the program fits its broadcast slot.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from radio_gen.intake.articles import Article
from radio_gen.intake.store import StoredArticle

#: Stinger, read title and the pause after an item, in seconds.
ITEM_OVERHEAD_SECONDS = 8.0
_TOKEN = re.compile(r"[^\W\d_]+|\d+")


def syllables(text: str) -> int:
    """Spoken syllables, roughly: a Vietnamese word is one syllable; a number about two per digit."""
    count = 0
    for token in _TOKEN.findall(text):
        count += min(2 * len(token), 12) if token.isdigit() else 1
    return count


def reading_seconds(article: Article, syllables_per_minute: int) -> float:
    return ITEM_OVERHEAD_SECONDS + 60.0 * syllables(f"{article.title} {article.body}") / syllables_per_minute


#: Why an article is left out (`Excluded.code`).
REASONS = ("withdrawn", "dropped", "broadcast", "future", "too_old", "too_long", "max_items", "no_room")


@dataclass(frozen=True)
class Excluded:
    article: Article
    reason: str
    #: The article can never air as it is (an editor should know), not just "not this time".
    warn: bool = False
    #: The reason as one of `REASONS` with its particulars, for the newsroom's own language.
    code: str = "other"
    values: dict[str, object] = field(default_factory=dict)


@dataclass
class Selection:
    chosen: list[Article] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    pinned: set[str] = field(default_factory=set)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds[a.id] for a in self.chosen)


@dataclass(frozen=True)
class Policy:
    program: str
    date: dt.date
    max_items: int
    max_age_days: int
    budget_seconds: float
    syllables_per_minute: int
    #: Sources whose articles may air again (standing notices).
    repeat_sources: frozenset[str] = frozenset()
    tz: dt.tzinfo = dt.timezone.utc
    #: False for folders named on the command line (`build --articles`): the operator chose those
    #: articles for this program, so none is too old or dated after it.
    check_dates: bool = True


def article_date(item: StoredArticle, tz: dt.tzinfo) -> dt.date:
    """The article's own date, else the day the station first saw it."""
    return item.article.published or item.first_seen.astimezone(tz).date()


def select_articles(items: list[StoredArticle], policy: Policy) -> Selection:
    selection = Selection()
    candidates = []
    for item in items:
        article = item.article
        if item.withdrawn:
            selection.excluded.append(Excluded(article, "withdrawn: its file is no longer in the folder",
                                               code="withdrawn"))
            continue
        if item.dropped:
            selection.excluded.append(Excluded(article, "dropped by an editor", code="dropped"))
            continue
        earlier = [(p, d) for p, d in item.broadcasts if (p, d) != (policy.program, policy.date)]
        repeat = item.repeat or article.source in policy.repeat_sources
        if earlier and not repeat:
            program, date = earlier[-1]
            selection.excluded.append(Excluded(article, f"already broadcast ({program}, {date.isoformat()})",
                                               code="broadcast",
                                               values={"program": program, "date": f"{date:%d/%m/%Y}"}))
            continue
        date = article_date(item, policy.tz)
        if not policy.check_dates:
            candidates.append(item)
            continue
        # A day of slack: a file saved after midnight for the evening's program is not "future".
        if article.published and article.published > policy.date + dt.timedelta(days=1):
            selection.excluded.append(Excluded(article, f"dated {article.published.isoformat()}, after the program",
                                               code="future", values={"date": f"{article.published:%d/%m/%Y}"}))
            continue
        age = (policy.date - date).days
        if policy.max_age_days and age > policy.max_age_days and not item.pinned and not repeat:
            selection.excluded.append(Excluded(article, f"too old ({date.isoformat()}, {age} days; "
                                                        f"max_age_days = {policy.max_age_days})", code="too_old",
                                               values={"date": f"{date:%d/%m/%Y}", "days": age,
                                                       "limit": policy.max_age_days}))
            continue
        candidates.append(item)

    candidates.sort(key=lambda i: (i.pinned, i.rank, article_date(i, policy.tz), i.first_seen, i.article.title),
                    reverse=True)
    used = 0.0
    for item in candidates:
        article = item.article
        seconds = reading_seconds(article, policy.syllables_per_minute)
        selection.seconds[article.id] = seconds
        if seconds > policy.budget_seconds:
            selection.excluded.append(Excluded(
                article, f"too long for the program (about {seconds / 60:.0f} min to read; "
                         f"the news slot is {policy.budget_seconds / 60:g} min)", warn=True, code="too_long",
                values={"minutes": f"{seconds / 60:.0f}", "slot": f"{policy.budget_seconds / 60:g}"}))
        elif len(selection.chosen) >= policy.max_items:
            selection.excluded.append(Excluded(article, f"over the limit of {policy.max_items} items",
                                               code="max_items", values={"limit": policy.max_items}))
        elif used + seconds > policy.budget_seconds:
            selection.excluded.append(Excluded(
                article, f"does not fit the reading time (about {seconds / 60:.1f} min; "
                         f"{max(policy.budget_seconds - used, 0) / 60:.1f} of {policy.budget_seconds / 60:g} min left)",
                code="no_room", values={"minutes": f"{seconds / 60:.1f}",
                                        "left": f"{max(policy.budget_seconds - used, 0) / 60:.1f}",
                                        "slot": f"{policy.budget_seconds / 60:g}"}))
        else:
            selection.chosen.append(article)
            used += seconds
            if item.pinned:
                selection.pinned.add(article.id)
    return selection
