"""Article intake: read every configured source into the station's store, then select.

Each source is read on its own: one that fails (network down, site changed, bad feed)
is reported with the reason and the others go on; with no network the build still has
the folders and everything the store remembers.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from radio_gen.rundown import SourceLine
from radio_gen.intake.cleaning import RulesError, load_rules
from radio_gen.config import StationConfig
from radio_gen.programs import ProgramConfig
from radio_gen.intake.sources.settings import SourceConfig
from radio_gen.intake.selection import Policy, Selection, select_articles
from radio_gen.intake.store import Store
from radio_gen.intake.sources import Skipped, Source, SourceError
from radio_gen.intake.sources.feed import FeedSource
from radio_gen.intake.sources.fetch import DEFAULT_USER_AGENT, Budget, FetchSettings
from radio_gen.intake.sources.folder import FolderSource
from radio_gen.intake.sources.names import shown_path
from radio_gen.intake.sources.web import ListingSource, PageSource, WebContext

log = logging.getLogger(__name__)


@dataclass
class SourceReport:
    """How reading one source went, for the console and the rundown."""

    name: str
    kind: str
    error: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None

    def summary(self) -> str:
        if self.error:
            return f"{self.name}: failed: {self.error}"
        parts = [f"{n} {k}" for k, n in sorted(self.counts.items()) if n]
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        return f"{self.name}: " + (", ".join(parts) or "nothing new")

    def line(self) -> SourceLine:
        """How the rundown records this source."""
        return SourceLine(self.name, self.kind, self.ok, self.error, dict(self.counts), [str(s) for s in self.skipped])


@dataclass
class Intake:
    reports: list[SourceReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[SourceReport]:
        return [r for r in self.reports if not r.ok]


def web_context(config: StationConfig, store: Store, today: dt.date) -> tuple[WebContext, list[str]]:
    """Fetch limits and cleaning rules; a broken station rules file falls back to the built-in ones."""
    intake = config.articles
    settings = FetchSettings(timeout=intake.timeout, max_bytes=intake.max_page_bytes,
                             user_agent=intake.user_agent or f"{DEFAULT_USER_AGENT}; {config.name}",
                             allow_hosts=frozenset(intake.allow_hosts), budget=Budget(intake.budget_seconds))
    warnings = []
    try:
        rules = load_rules(intake.cleaning_rules)
    except RulesError as exc:
        rules = load_rules(None)
        warnings.append(f"station cleaning rules not used: {exc}")
    return WebContext(settings=settings, rules=rules, today=today, is_known=store.knows_url, tz=config.tz), warnings


def make_source(spec: SourceConfig, context: WebContext, *, stable_seconds: float = 0.0) -> Source:
    if spec.kind == "folder":
        assert spec.path is not None
        return FolderSource(spec.path, rules=context.rules, today=context.today, name=spec.name,
                            stable_seconds=stable_seconds)
    if spec.kind == "feed":
        return FeedSource(spec.url or "", context, full_text=spec.full_text, name=spec.name)
    if spec.kind == "listing":
        return ListingSource(spec.url or "", spec.link_pattern or "", context, max_links=spec.max_links,
                             name=spec.name)
    return PageSource(list(spec.urls), context, name=spec.name)


def collect(config: StationConfig, store: Store, *, today: dt.date, web: bool = True,
            sources: tuple[SourceConfig, ...] | None = None, stable_seconds: float | None = None) -> Intake:
    """Read the sources (all, or only the folders when `web` is False) into the store.

    `sources` and `stable_seconds` replace the station's for a build from folders named
    on the command line (see `folder_sources`).
    """
    context, warnings = web_context(config, store, today)
    result = Intake(warnings=warnings)
    settle = config.articles.stable_seconds if stable_seconds is None else stable_seconds
    everything_read: set[str] = set()
    for spec in config.articles.sources if sources is None else sources:
        if spec.kind != "folder" and not web:
            continue
        report = SourceReport(spec.name, spec.kind)
        result.reports.append(report)
        budget = context.settings.budget
        if spec.kind != "folder" and budget is not None and budget.spent():
            report.error = f"not read: the intake budget of {budget.seconds:g} s ([articles] budget_seconds) is spent"
            continue
        try:
            collected = make_source(spec, context, stable_seconds=settle).collect()
        except SourceError as exc:
            report.error = str(exc)
            continue
        except Exception as exc:  # a bug in one source's parser must not stop the program
            log.debug("source %s crashed", spec.name, exc_info=True)
            report.error = f"unexpected error ({exc.__class__.__name__}: {exc})"
            continue
        report.skipped = collected.skipped
        present = set()
        for article in collected.articles:
            status, stored_id = store.remember(article)
            report.counts[status] = report.counts.get(status, 0) + 1
            present.add(stored_id)
        everything_read |= present
        if spec.kind == "folder":
            withdrawn = store.withdraw_missing(spec.name, present)
            if withdrawn:
                report.counts["withdrawn"] = withdrawn
    if sources is None:
        folders = {p for s in config.articles.sources if s.path is not None for p in (s.path, s.path.resolve())}
        orphans = store.withdraw_orphans(folders, everything_read)
        if orphans:
            log.info("%d article(s) of folders the station no longer reads were withdrawn (their files are gone)",
                     orphans)
    for report in result.reports:
        if report.error:
            result.warnings.append(f"source {report.name} failed: {report.error}")
        result.warnings.extend(str(s) for s in report.skipped)
    return result


def folder_sources(folders: tuple[Path, ...]) -> tuple[SourceConfig, ...]:
    """Folders named on the command line (`build --articles`), as sources named like the folder source names them."""
    return tuple(SourceConfig(kind="folder", name=f"folder:{shown_path(folder)}", path=folder) for folder in folders)


def policy(config: StationConfig, program: ProgramConfig, date: dt.date) -> Policy:
    minutes = program.news_minutes or config.articles.news_minutes
    return Policy(program=program.id, date=date, max_items=program.max_items,
                  max_age_days=config.articles.max_age_days, budget_seconds=minutes * 60,
                  syllables_per_minute=config.articles.syllables_per_minute,
                  repeat_sources=frozenset(s.name for s in config.articles.sources if s.repeat), tz=config.tz)


def select_for(config: StationConfig, store: Store, program: ProgramConfig, date: dt.date) -> Selection:
    return select_articles(store.articles(), policy(config, program, date))

