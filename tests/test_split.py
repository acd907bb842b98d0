"""Sentence splitting and chunking (the gold split cases run in test_normalize)."""

from __future__ import annotations

import pytest

from radio_gen.text import chunk, normalize, split_sentences


@pytest.mark.parametrize("text,expected", [
    ("Đoàn đến TP. Hà Tĩnh. Sau đó về xã.", ["Đoàn đến TP. Hà Tĩnh.", "Sau đó về xã."]),
    ("Có PGS.TS. Trần Văn A dự. Hội nghị kết thúc.", ["Có PGS.TS. Trần Văn A dự.", "Hội nghị kết thúc."]),
    ("Các loại cây, hoa, quả v.v. đều tăng giá.", ["Các loại cây, hoa, quả v.v. đều tăng giá."]),
    ("Tỷ lệ đạt 52,5%. Tổng số 5.705.840 cây.", ["Tỷ lệ đạt 52,5%.", "Tổng số 5.705.840 cây."]),
    ("Hết thời gian tới.Kết luận hội nghị, đồng chí phát biểu.",
     ["Hết thời gian tới.", "Kết luận hội nghị, đồng chí phát biểu."]),
    ("Dòng một\nDòng hai", ["Dòng một", "Dòng hai"]),
    ("Ông nói: “Tốt lắm!” Rồi ra về.", ["Ông nói: “Tốt lắm!”", "Rồi ra về."]),
    ("Vậy sao?! Đúng vậy.", ["Vậy sao?!", "Đúng vậy."]),
    ("", []),
    ("   \n  ", []),
    ("Phiên bản 4.0 ra mắt. Tốt.", ["Phiên bản 4.0 ra mắt.", "Tốt."]),
    ("Đ/c Nam (Bí thư). Sau đó.", ["Đ/c Nam (Bí thư).", "Sau đó."]),
])
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_chunk_keeps_short_sentences_whole() -> None:
    text = "Câu một ngắn. Câu hai cũng ngắn."
    assert chunk(text, 100) == ["Câu một ngắn.", "Câu hai cũng ngắn."]


def test_chunk_splits_at_clauses_first() -> None:
    text = normalize("Tham dự có đồng chí Nguyễn Văn An, Bí thư Huyện ủy; đồng chí Trần Văn Bình, "
                     "Chủ tịch UBND huyện, cùng đại diện lãnh đạo các phòng, ban, ngành.")
    pieces = chunk(text, 60)
    assert all(len(p) <= 60 for p in pieces)
    assert pieces[0].endswith(",") or pieces[0].endswith(";")
    assert " ".join(pieces).split() == text.split()


def test_chunk_does_not_cut_inside_a_number_when_it_can_avoid_it() -> None:
    text = normalize("Toàn huyện đã trồng được 5.705.840 cây giống các loại")
    pieces = chunk(text, 60)
    assert all(len(p) <= 60 for p in pieces)
    reading = "năm triệu bảy trăm linh năm nghìn tám trăm bốn mươi"
    assert any(reading in p for p in pieces)


def test_chunk_hard_cuts_a_monster_word() -> None:
    word = "a" * 250
    pieces = chunk(word, 100)
    assert pieces == ["a" * 100, "a" * 100, "a" * 50]


def test_chunk_rejects_silly_limit() -> None:
    with pytest.raises(ValueError):
        chunk("abc", 0)


def test_chunk_properties() -> None:
    # Hypothesis is imported here, not at the top: only the xdist worker that runs this test pays for it.
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.sampled_from(["một", "nghìn", "xã", "huyện,", "đã", "trồng", "cây.", "Hội",
                                     "nghị;", "ủy ban", "nhân dân", "–", "tám", "mươi", "Cẩm Bình"]),
                    max_size=80),
           st.integers(min_value=10, max_value=120))
    def chunks(words: list[str], limit: int) -> None:
        text = " ".join(words)
        pieces = chunk(text, limit)
        assert all(0 < len(p) <= limit for p in pieces)
        assert " ".join(pieces).split() == text.split()

    chunks()
