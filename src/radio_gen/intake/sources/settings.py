"""The intake's settings: `[articles]` and its `[[articles.sources]]`, read from their tables."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from radio_gen.settings_reader import TableReader, keys_of, resolve_path, setting, show

SOURCE_KINDS = ("folder", "feed", "listing", "page")
#: The keys each kind of source has, besides kind, name and repeat.
_KIND_KEYS = {"folder": {"path"}, "feed": {"url", "full_text"}, "listing": {"url", "link_pattern", "max_links"},
              "page": {"url", "urls"}}


@dataclass(frozen=True)
class SourceConfig:
    """One `[[articles.sources]]` table: where articles come from."""

    TABLE: ClassVar[str] = "articles.sources"

    kind: str
    name: str
    path: Path | None = None
    url: str | None = None
    urls: tuple[str, ...] = ()
    link_pattern: str | None = None
    max_links: int = setting(20, low=1, high=200)
    full_text: bool = setting(True)
    #: Its articles may air again and again (standing notices), not just once.
    repeat: bool = setting(False)

    @classmethod
    def from_table(cls, r: TableReader, base: Path) -> SourceConfig:
        kind = r.get("kind", str, required=True)
        if kind not in _KIND_KEYS:
            raise r.fail("kind", f"must be one of {', '.join(SOURCE_KINDS)}, got {show(kind)}")
        unknown = sorted(set(r.table) - _KIND_KEYS[kind] - {"kind", "name", "repeat"})
        if unknown:
            raise r.fail(unknown[0], f"is not a setting of a {kind} source (it has: "
                         f"{', '.join(sorted(_KIND_KEYS[kind] | {'name', 'repeat'}))})")
        repeat = r.value(cls, "repeat")
        if kind == "folder":
            path = r.path("path", base, ...)
            return cls(kind, r.get("name", str, f"folder:{path}"), path=path, repeat=repeat)
        urls: list[str] = []
        if "url" in r.table:
            urls.append(r.get("url", str))
        if "urls" in r.table:
            more = r.get("urls", list)
            if not all(isinstance(u, str) for u in more):
                raise r.fail("urls", "must be a list of addresses in quotes")
            urls.extend(more)
        if not urls:
            raise r.fail("url", "is required (the address to fetch)")
        for url in urls:
            if not url.startswith(("http://", "https://")):
                raise r.fail("url", f"must start with http:// or https://, got {show(url)}")
        name = r.get("name", str, f"{kind}:{urls[0]}")
        if kind == "feed":
            return cls(kind, name, url=urls[0], full_text=r.value(cls, "full_text"), repeat=repeat)
        if kind == "page":
            return cls(kind, name, urls=tuple(urls), repeat=repeat)
        pattern = r.get("link_pattern", str, required=True)
        try:
            re.compile(pattern)
        except re.error as exc:
            raise r.fail("link_pattern", f"is not a valid regular expression ({exc})") from None
        return cls(kind, name, url=urls[0], link_pattern=pattern, max_links=r.value(cls, "max_links"), repeat=repeat)


#: `news_minutes` of `[articles]` and of a `[[programs]]` table: the same check.
NEWS_MINUTES = {"low": 0, "high": 240, "unit": "minutes", "above": True}


@dataclass(frozen=True)
class ArticlesConfig:
    """`[articles]`: sources, fetch limits and how news is selected for a program."""

    TABLE: ClassVar[str] = "articles"

    sources: tuple[SourceConfig, ...] = ()
    max_age_days: int = setting(7, low=0, high=3650, says="must be between 0 (no limit) and 3650")
    news_minutes: float = setting(20.0, **NEWS_MINUTES)
    syllables_per_minute: int = setting(220, low=60, high=600)
    cleaning_rules: Path | None = setting(None, kind=str)
    timeout: float = setting(15.0, low=0, high=300, unit="seconds", above=True)
    max_page_bytes: int = setting(5_000_000, low=10_000, high=200_000_000)
    user_agent: str | None = setting(None, kind=str)
    #: Hosts fetched even though they are internal addresses (e.g. a portal on the LAN).
    allow_hosts: tuple[str, ...] = setting((), kind=list)
    #: Wall-clock allowance for reading all web sources; then the build goes on with what it has.
    budget_seconds: float = setting(600.0, low=1, high=7200, unit="seconds")
    #: A folder file changed less than this long ago may still be being written: read next time.
    stable_seconds: float = setting(5.0, low=0, high=3600, unit="seconds")

    @property
    def folder_paths(self) -> tuple[Path, ...]:
        """The folders of its folder sources (`folders` and `kind = "folder"` alike)."""
        return tuple(s.path for s in self.sources if s.path is not None)

    @classmethod
    def from_table(cls, articles: TableReader, base: Path) -> ArticlesConfig:
        """`[articles]` with its `[[articles.sources]]`; the older `folders` list still works."""
        sources = [SourceConfig.from_table(r, base) for r in articles.items("sources")]
        folders = articles.get("folders", list, [] if sources else ["articles"])
        if not all(isinstance(f, str) and f.strip() for f in folders):
            raise articles.fail("folders", "must be a list of folder paths in quotes")
        paths = [resolve_path(base, f, lambda problem: articles.fail("folders", problem)) for f in folders]
        sources[:0] = [SourceConfig("folder", f"folder:{path}", path=path) for path in paths]
        names = [s.name for s in sources]
        if len(set(names)) != len(names):
            raise articles.fail("sources", f"two sources have the same name: give each a different name ({names})")
        allow_hosts = articles.get("allow_hosts", list, [])
        if not all(isinstance(h, str) and h.strip() and not any(c in h for c in "/: ") for h in allow_hosts):
            raise articles.fail("allow_hosts", "must be a list of host names or addresses, e.g. [\"192.168.1.10\"]")
        return cls(sources=tuple(sources), cleaning_rules=articles.path("cleaning_rules", base),
                   allow_hosts=tuple(h.strip() for h in allow_hosts),
                   **articles.fill(cls, skip=("cleaning_rules", "allow_hosts")))


#: The tables the intake owns, and their keys.
TABLES: dict[str, frozenset[str]] = {
    ArticlesConfig.TABLE: keys_of(ArticlesConfig, "folders"),
    SourceConfig.TABLE: keys_of(SourceConfig, "kind", "name", "path", "url", "urls", "link_pattern"),
}
