"""`[articles]` and `[[articles.sources]]` in station.toml: defaults, the older `folders` list, clear errors."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from helpers.station import station_toml
from radio_gen.config import ConfigError, parse_config

BASE = station_toml(station={"name": "Đài huyện"}, programs=[{"id": "sang", "broadcast": "05:30"}],
                    articles=None, speech=None, output=None)


def parse(extra: str, tmp_path: Path):
    return parse_config(tomllib.loads(BASE + extra), origin="station.toml", base=tmp_path)


def test_defaults_keep_the_articles_folder(tmp_path: Path) -> None:
    config = parse("", tmp_path)
    [folder] = config.articles.sources
    assert (folder.kind, folder.path) == ("folder", tmp_path / "articles")
    assert config.articles.folder_paths == (tmp_path / "articles",)
    assert (config.articles.max_age_days, config.articles.news_minutes, config.articles.timeout) == (7, 20.0, 15.0)


def test_every_kind_of_source(tmp_path: Path) -> None:
    config = parse("""
[articles]
max_age_days = 3
news_minutes = 12
syllables_per_minute = 200
cleaning_rules = "lam-sach.toml"
timeout = 5
max_page_bytes = 2000000
[[articles.sources]]
kind = "feed"
url = "https://baosonha.vn/rss/thoi-su.rss"
full_text = false
[[articles.sources]]
kind = "listing"
name = "cổng huyện"
url = "https://minhson.sonha.gov.vn/tin-tuc"
link_pattern = '/tin-tuc/.+\\.html$'
max_links = 10
[[articles.sources]]
kind = "page"
urls = ["https://minhson.sonha.gov.vn/thong-bao/1.html", "https://minhson.sonha.gov.vn/thong-bao/2.html"]
repeat = true
[[articles.sources]]
kind = "folder"
path = "thong-bao"
repeat = true
[[programs]]
id = "chieu"
broadcast = "17:00"
news_minutes = 8
""", tmp_path)
    feed, listing, page, folder = config.articles.sources
    assert (feed.name, feed.full_text) == ("feed:https://baosonha.vn/rss/thoi-su.rss", False)
    assert (listing.name, listing.max_links, listing.link_pattern) == ("cổng huyện", 10, r"/tin-tuc/.+\.html$")
    assert len(page.urls) == 2 and page.repeat
    assert folder.path == tmp_path / "thong-bao" and config.articles.folder_paths == (tmp_path / "thong-bao",)
    assert config.articles.cleaning_rules == tmp_path / "lam-sach.toml"
    articles = config.articles
    assert (articles.max_age_days, articles.news_minutes, articles.syllables_per_minute) == (3, 12, 200)
    assert [p.news_minutes for p in config.programs] == [None, 8]


@pytest.mark.parametrize("extra,message", [
    ('[[articles.sources]]\nkind = "twitter"\nurl = "https://x"',
     "key 'articles.sources[0].kind': must be one of folder, feed, listing, page, got 'twitter'"),
    ('[[articles.sources]]\nkind = "feed"', "key 'articles.sources[0].url': is required"),
    ('[[articles.sources]]\nkind = "feed"\nurl = "baosonha.vn/rss"', "must start with http:// or https://"),
    ('[[articles.sources]]\nkind = "listing"\nurl = "https://a.vn"',
     "key 'articles.sources[0].link_pattern': is required"),
    ('[[articles.sources]]\nkind = "listing"\nurl = "https://a.vn"\nlink_pattern = "(tin"',
     "'articles.sources[0].link_pattern': is not a valid regular expression"),
    ('[[articles.sources]]\nkind = "folder"', "key 'articles.sources[0].path': is required"),
    ('[[articles.sources]]\nkind = "feed"\nurl = "https://a.vn"\nlink_pattern = "x"',
     "key 'articles.sources[0].link_pattern': is not a setting of a feed source"),
    ('[[articles.sources]]\nkind = "feed"\nurl = "https://a.vn"\n[[articles.sources]]\nkind = "feed"\nurl = "https://a.vn"',
     "two sources have the same name"),
    ("[articles]\nmax_age_days = -1", "key 'articles.max_age_days': must be between 0 (no limit) and 3650"),
    ("[articles]\ntimeout = 0", "key 'articles.timeout': must be between 0 and 300 seconds"),
    ("[articles]\nnews_minutes = 0", "key 'articles.news_minutes': must be between 0 and 240 minutes"),
    ('[articles]\nsources = "feed"', "key 'articles.sources': must be a list"),
])
def test_bad_values_name_the_key_and_the_problem(tmp_path: Path, extra: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse(extra, tmp_path)
    assert str(caught.value).startswith("station.toml: ")
    assert message in str(caught.value)
