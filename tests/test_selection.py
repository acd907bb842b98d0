"""Selection for one program: broadcast history, age, pins, repeats, item limit, reading-time budget."""

from __future__ import annotations

import datetime as dt

from radio_gen.intake.articles import Article
from radio_gen.intake.selection import ITEM_OVERHEAD_SECONDS, Policy, reading_seconds, select_articles, syllables
from radio_gen.intake.store import StoredArticle

DAY = dt.date(2026, 11, 26)
SEEN = dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.timezone.utc)


def item(title: str, published: dt.date | None = DAY, words: int = 50, *, pinned: bool = False,
         repeat: bool = False, aired: tuple = (), source: str = "feed:x", seen: dt.datetime = SEEN) -> StoredArticle:
    body = " ".join(["tin"] * (words - 1)) + " cuối."
    return StoredArticle(Article(title=title, body=body, source=source, location=f"http://h/{title}",
                                 published=published), seen, pinned, repeat, False, aired)


def policy(**overrides: object) -> Policy:
    values = dict(program="sang", date=DAY, max_items=8, max_age_days=7, budget_seconds=20 * 60,
                  syllables_per_minute=240)
    values.update(overrides)
    return Policy(**values)


def titles(articles: list[Article]) -> list[str]:
    return [a.title for a in articles]


def reasons(selection) -> dict[str, str]:
    return {e.article.title: e.reason for e in selection.excluded}


def test_newest_first_pinned_before_all() -> None:
    chosen = select_articles([item("cu", DAY - dt.timedelta(days=3)), item("moi", DAY),
                              item("ghim", DAY - dt.timedelta(days=5), pinned=True)], policy()).chosen
    assert titles(chosen) == ["ghim", "moi", "cu"]


def test_broadcast_articles_do_not_air_again_unless_marked_to_repeat() -> None:
    yesterday = DAY - dt.timedelta(days=1)
    selection = select_articles([item("da phat", aired=(("sang", yesterday),)),
                                 item("phat lai", aired=(("sang", yesterday),), repeat=True),
                                 item("thong bao", aired=(("chieu", yesterday),), source="folder:thong-bao"),
                                 item("moi")], policy(repeat_sources=frozenset({"folder:thong-bao"})))
    assert sorted(titles(selection.chosen)) == ["moi", "phat lai", "thong bao"]
    assert reasons(selection) == {"da phat": f"already broadcast (sang, {yesterday})"}


def test_a_rebuild_of_the_same_program_and_date_keeps_its_articles() -> None:
    selection = select_articles([item("hom nay", aired=(("sang", DAY),))], policy())
    assert titles(selection.chosen) == ["hom nay"]
    other = select_articles([item("hom nay", aired=(("sang", DAY),))], policy(program="chieu"))
    assert other.chosen == [] and "already broadcast (sang" in reasons(other)["hom nay"]


def test_too_old_and_future_articles_are_left_out_with_the_reason() -> None:
    selection = select_articles([item("cu", DAY - dt.timedelta(days=8)), item("vua", DAY - dt.timedelta(days=7)),
                                 item("ngay kia", DAY + dt.timedelta(days=2)),
                                 item("sau nua dem", DAY + dt.timedelta(days=1)),
                                 item("ghim cu", DAY - dt.timedelta(days=30), pinned=True),
                                 item("khong ngay", None, seen=dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc))],
                                policy())
    assert sorted(titles(selection.chosen)) == ["ghim cu", "sau nua dem", "vua"]
    why = reasons(selection)
    assert why["cu"] == "too old (2026-11-18, 8 days; max_age_days = 7)"
    assert why["khong ngay"].startswith("too old (2026-11-01"), "undated: the day it was first seen"
    assert why["ngay kia"] == "dated 2026-11-28, after the program"
    assert titles(select_articles([item("cu", DAY - dt.timedelta(days=400))], policy(max_age_days=0)).chosen) == ["cu"]


def test_at_most_n_items() -> None:
    selection = select_articles([item(f"tin {i}", DAY - dt.timedelta(days=i)) for i in range(5)], policy(max_items=3))
    assert titles(selection.chosen) == ["tin 0", "tin 1", "tin 2"]
    assert reasons(selection)["tin 4"] == "over the limit of 3 items"


def test_reading_time_budget_keeps_the_program_in_its_slot() -> None:
    # 240 syllables a minute: 960 words ≈ 4 min; 240 words ≈ 1 min (plus the item's stinger and title).
    long_one = item("dai", DAY, words=958)
    selection = select_articles([item("moi", DAY, words=238), long_one,
                                 item("ngan", DAY - dt.timedelta(days=1), words=238)],
                                policy(budget_seconds=5 * 60))
    assert titles(selection.chosen) == ["moi", "ngan"], "a shorter, older item still fits after a long one"
    assert reasons(selection)["dai"].startswith("does not fit the reading time (about 4.")
    assert abs(selection.total_seconds - 2 * (60 + ITEM_OVERHEAD_SECONDS)) < 1
    assert selection.total_seconds <= 5 * 60


def test_an_article_longer_than_the_whole_slot_is_flagged_for_the_editor() -> None:
    selection = select_articles([item("qua dai", words=2000), item("ngan", words=100)], policy(budget_seconds=5 * 60))
    assert titles(selection.chosen) == ["ngan"]
    [excluded] = selection.excluded
    assert excluded.warn and excluded.reason == "too long for the program (about 8 min to read; the news slot is 5 min)"


def test_syllable_estimate() -> None:
    assert syllables("Sáng nay, các xã ra quân nạo vét kênh mương.") == 10
    assert syllables("Tổng truy cập 5.705.840") == 3 + 2 + 6 + 6
    seconds = reading_seconds(Article(title="Tin", body="một hai ba", source="s", location="l"), 240)
    assert seconds == ITEM_OVERHEAD_SECONDS + 1.0
