"""Article intake through the real CLI: a fixture portal and feeds on 127.0.0.1, faulty sources, the store."""

from __future__ import annotations

from pathlib import Path

from helpers.cli import run_cli, rundown_of
from helpers.station import make_station
from radio_gen.text import normalize
from helpers.fixture_site import Site, serve_site

SEED_TITLE = "Ban Tuyên giáo Huyện ủy tổ chức hội nghị sơ kết công tác khoa giáo 6 tháng đầu năm 2022"
NEVER_ON_AIR = ("tin tức liên quan", "Chương trình phát thanh ngày 26/11/2011", "Đang online", "Tổng truy cập",
                "Giám đốc TT Chính trị huyện phát biểu tại hội nghị", "Ảnh minh họa", "TIN CÙNG CHUYÊN MỤC")
FAILING = ("slow page", "broken feed", "server error", "huge page", "not xml")


def sources(site: Site) -> str:
    return f"""
[[articles.sources]]
kind = "listing"
name = "portal"
url = "{site.url('/tin-tuc/')}"
link_pattern = '/tin-tuc/[\\w-]+\\.html$'

[[articles.sources]]
kind = "feed"
name = "rss"
url = "{site.url('/rss.xml')}"

[[articles.sources]]
kind = "feed"
name = "atom"
url = "{site.url('/atom.xml')}"

[[articles.sources]]
kind = "page"
name = "slow page"
url = "{site.url('/slow')}"

[[articles.sources]]
kind = "feed"
name = "server error"
url = "{site.url('/error')}"

[[articles.sources]]
kind = "page"
name = "huge page"
url = "{site.url('/huge-undeclared')}"

[[articles.sources]]
kind = "feed"
name = "not xml"
url = "{site.url('/bad.xml')}"

[[articles.sources]]
kind = "listing"
name = "broken feed"
url = "{site.url('/no-such-listing')}"
link_pattern = "tin"
"""


#: How long the station waits for a source (the slow page outlasts it): the fixture site's pages come
#: from 127.0.0.1 in milliseconds, so half a second keeps a wide margin on a loaded machine.
SOURCE_TIMEOUT = 0.5
#: espeak-ng at its fastest: the portal's long articles are read in a third of the time, and their
#: audio, which no test here listens to, costs a third of the encoding.
FAST_SPEECH = '["espeak-ng"]\nespeak_speed = 450'


def station(root: Path, site: Site) -> Path:
    config = make_station(root, engines=FAST_SPEECH, articles={
        "tcvn3.txt": "Th«ng b¸o lÞch c¾t ®iÖn\r\nX· Minh TiÕn c¾t ®iÖn ngµy mai.\r\n".encode("cp1252")})
    text = config.read_text(encoding="utf-8").replace(
        '[articles]\nfolders = ["articles"]\n',
        f'[articles]\nfolders = ["articles"]\nmax_age_days = 0\ntimeout = {SOURCE_TIMEOUT}\nmax_page_bytes = 1000000\n'
        'allow_hosts = ["127.0.0.1"]\n'
        + sources(site))
    config.write_text(text, encoding="utf-8")
    return config


def test_build_collects_cleans_dedupes_skips_failures_and_never_repeats(tmp_path: Path) -> None:
    with serve_site() as site:
        config = station(tmp_path, site)
        first = run_cli("build", "--config", str(config), "--date", "2026-11-26")
        assert first.returncode == 0, first.stderr
        rundown = rundown_of(first)
        titles = [a["title"] for a in rundown["articles"]]
        assert titles.count(SEED_TITLE) == 1, "the same article from the feed and the portal is read once"
        assert {"Nông dân xã Minh Tiến thu hoạch lúa mùa", "Tỉnh Sơn Hà ra quân tiêm chủng mở rộng",
                "Thông báo lịch cắt điện"} <= set(titles)
        assert sorted(rundown["failed_sources"]) == sorted(FAILING)
        for name in FAILING:
            assert any(w.startswith(f"source {name} failed:") for w in rundown["warnings"]), name
        assert any("timed out" in w for w in rundown["warnings"])
        assert any("HTTP 500" in w for w in rundown["warnings"])
        assert any("too large" in w for w in rundown["warnings"])
        assert any("not a valid RSS/Atom feed" in w for w in rundown["warnings"])

        script = Path(first.stdout.strip().splitlines()[-1]).with_suffix(".txt").read_text(encoding="utf-8")
        assert normalize(SEED_TITLE) in script, "the script holds the spoken form of the title"
        assert "Ban Tuyên giáo Huyện đã phối hợp với các đơn vị trong Khối Khoa giáo" in script
        assert "góp phần thực hiện thắng lợi các nhiệm vụ chính trị của huyện." in script
        for leftover in NEVER_ON_AIR:
            assert leftover not in script, leftover
        assert "Xã Minh Tiến cắt điện ngày mai." in script, "TCVN3 file read as Unicode"

        (tmp_path / "articles" / "moi.txt").write_text("Tin mới hôm sau\n\nXã họp dân bàn kế hoạch.", "utf-8")
        second = run_cli("build", "--config", str(config), "--date", "2026-11-27")
        assert second.returncode == 0, second.stderr
        assert [a["title"] for a in rundown_of(second)["articles"]] == ["Tin mới hôm sau"]

        listing = run_cli("articles", "list", "--config", str(config), "--date", "2026-11-28")
        assert listing.returncode == 0, listing.stderr
        assert "sang on 2026-11-28: 0 item(s)" in listing.stdout
        assert f"{SEED_TITLE}: already broadcast (sang, 2026-11-26)" in listing.stdout
        seed_id = rundown["articles"][titles.index(SEED_TITLE)]["id"]

        repeat = run_cli("articles", "repeat", seed_id[:8], "--config", str(config))
        assert repeat.returncode == 0 and f"{seed_id} may repeat" in repeat.stdout
        again = run_cli("articles", "list", "--config", str(config), "--date", "2026-11-28")
        assert f"1. {seed_id}" in again.stdout


def test_offline_build_uses_the_store_and_the_folder(tmp_path: Path) -> None:
    with serve_site() as site:
        config = station(tmp_path, site)
        fetched = run_cli("articles", "fetch", "--config", str(config))
        assert fetched.returncode == 0, fetched.stderr
        assert "ok portal: 2 new" in fetched.stdout
        assert "ok rss: " in fetched.stdout and "!! slow page: failed:" in fetched.stdout
        before = len(site.requests)
        again = run_cli("articles", "fetch", "--config", str(config))
        assert again.returncode == 0 and "ok portal: 1 skipped" in again.stdout
        refetched = [p for p in site.paths()[before:] if p.endswith(".html") or p.startswith("/tin/")]
        assert refetched == ["/tin-tuc/bai-da-xoa.html"], "articles the store holds are not fetched again"
    # The server is gone: every web source fails, the store and the folder still make a program.
    done = run_cli("script", "--config", str(config), "--date", "2026-11-26")
    assert done.returncode == 0, done.stderr
    assert normalize(SEED_TITLE) in done.stdout and "Xã Minh Tiến cắt điện ngày mai." in done.stdout
    assert "source portal failed" in done.stderr and "cannot connect" in done.stderr


def test_fetch_with_every_source_failing_exits_non_zero(tmp_path: Path) -> None:
    from helpers.netfaults import refused_port

    config = make_station(tmp_path, articles={})
    config.write_text(config.read_text("utf-8").replace('folders = ["articles"]\n', f"""folders = []
allow_hosts = ["127.0.0.1"]
[[articles.sources]]
kind = "feed"
url = "http://127.0.0.1:{refused_port()}/rss.xml"
"""), encoding="utf-8")
    done = run_cli("articles", "fetch", "--config", str(config))
    assert done.returncode == 1
    assert "cannot connect" in done.stdout and "every source failed" in done.stderr
    assert "Traceback" not in done.stderr


def test_pin_puts_an_article_first(tmp_path: Path) -> None:
    config = make_station(tmp_path)
    listing = run_cli("articles", "list", "--config", str(config), "--date", "2026-11-26")
    assert listing.returncode == 0, listing.stderr
    lines = [row.split() for row in listing.stdout.splitlines() if row.strip()[:2] in ("1.", "2.")]
    second_id = lines[1][1]
    pinned = run_cli("articles", "pin", second_id, "--config", str(config))
    assert pinned.returncode == 0 and "pinned" in pinned.stdout
    after = run_cli("articles", "list", "--config", str(config), "--date", "2026-11-26")
    assert f"1. {second_id}" in after.stdout and "[pinned]" in after.stdout
    bad = run_cli("articles", "pin", "abcdef12", "--config", str(config))
    assert bad.returncode == 1 and "no article with id abcdef12" in bad.stderr
