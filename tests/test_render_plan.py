"""How a program is cut for rendering: pieces at item boundaries, speech in bounded chunks."""

from __future__ import annotations

from dataclasses import replace

from radio_gen.render import CHUNK_CHARS, plan_pieces, speech_chunks
from radio_gen.script import Clip, Pause, Speech


def test_pieces_start_where_the_item_changes_and_keep_music_with_the_item_before() -> None:
    segments = [Clip("nhac-hieu"), Speech("Xin chào."), Pause(1.0), Speech("Tin một.", article_id="a"),
                Speech("Đoạn hai.", article_id="a"), Clip("stinger"), Speech("Tin hai.", article_id="b"),
                Speech("Xin chào và hẹn gặp lại."), Clip("nhac-hieu")]
    segments = [replace(s, spoken=s.text) if isinstance(s, Speech) else s for s in segments]
    pieces = plan_pieces(segments, piece_chars=0)
    assert [[i for i, _ in p.segments] for p in pieces] == [[0, 1, 2], [3, 4, 5], [6], [7, 8]]
    assert [p.article_ids for p in pieces] == [(), ("a",), ("b",), ()]
    # Short items share a piece (one encoder start instead of two); opening and closing stay apart.
    pieces = plan_pieces(segments)
    assert [[i for i, _ in p.segments] for p in pieces] == [[0, 1, 2], [3, 4, 5, 6], [7, 8]]
    assert [p.article_ids for p in pieces] == [(), ("a", "b"), ()]


def test_long_speech_is_cut_into_whole_sentences_of_bounded_length() -> None:
    text = " ".join(f"Câu thứ {n} nói về công việc đồng áng của bà con trong xã." for n in range(200))
    chunks = speech_chunks(text)
    assert all(len(c) <= CHUNK_CHARS for c in chunks)
    assert " ".join(chunks).split() == text.split(), "no word lost or added"
    assert all(c.endswith(".") for c in chunks), "cuts fall between sentences"
    assert speech_chunks("Ngắn.") == ["Ngắn."]
