"""Legacy Vietnamese encodings written by the tests come out as correct Unicode (NFC).

The bytes are written out literally (the well-known look of each encoding in a Western
editor), not produced from radio-gen's own tables, so a wrong table fails here.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from radio_gen.intake.sources.decode import NotText, detect
from radio_gen.intake.sources.folder import FolderSource
from radio_gen.intake.sources.legacy import is_syllable, repair_text

MOTTO = "Cộng hòa xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc"
TCVN3_MOTTO = "Céng hßa x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc"
VNI_MOTTO = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam\nÑoäc laäp - Töï do - Haïnh phuùc"

TITLE = "Thông báo lịch cắt điện"
BODY = "Xã Minh Tiến cắt điện ngày mai, bà con chủ động sắp xếp công việc."
FILES = {
    # Windows-1258: base letters plus combining tone bytes (0xEC acute, 0xF2 dot below, 0xDE tilde).
    "cp1258.txt": (b"Th\xf4ng b\xe1o li\xf2ch c\xe3\xect \xf0i\xea\xf2n\r\n"
                   b"Xa\xde Minh Ti\xea\xecn c\xe3\xect \xf0i\xea\xf2n ng\xe0y mai, b\xe0 con chu\xd2 "
                   b"\xf0\xf4\xf2ng s\xe3\xecp x\xea\xecp c\xf4ng vi\xea\xf2c.\r\n"),
    # TCVN3 (.VnTime): one byte per letter.
    "tcvn3.txt": "Th«ng b¸o lÞch c¾t ®iÖn\r\nX· Minh TiÕn c¾t ®iÖn ngµy mai, bµ con chñ ®éng s¾p xÕp c«ng viÖc.\r\n"
                 .encode("cp1252"),
    # VNI-Windows: base letter followed by mark bytes.
    "vni.txt": "Thoâng baùo lòch caét ñieän\r\nXaõ Minh Tieán caét ñieän ngaøy mai, baø con chuû ñoäng saép xeáp "
               "coâng vieäc.\r\n".encode("cp1252"),
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_legacy_file_in_the_folder_reads_as_unicode(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(FILES[name])
    result = FolderSource(tmp_path).collect()
    assert result.skipped == []
    [article] = result.articles
    assert (article.title, article.body) == (TITLE, BODY)
    assert unicodedata.is_normalized("NFC", article.title + article.body)


@pytest.mark.parametrize("legacy,encoding", [(TCVN3_MOTTO, "tcvn3"), (VNI_MOTTO, "vni-windows")])
def test_motto_bytes_are_detected(legacy: str, encoding: str) -> None:
    assert detect(legacy.encode("cp1252")) == (MOTTO, encoding)


@pytest.mark.parametrize("legacy,encoding", [(TCVN3_MOTTO, "tcvn3"), (VNI_MOTTO, "vni-windows")])
def test_legacy_font_codes_stored_as_unicode_are_repaired(legacy: str, encoding: str) -> None:
    """What a .docx or a web page typed with .VnTime / VNI-Times fonts holds."""
    assert repair_text(legacy) == (MOTTO, encoding)
    assert detect(legacy.encode("utf-8")) == (MOTTO, f"utf-8+{encoding}")


def test_unicode_vietnamese_and_foreign_words_are_left_alone() -> None:
    text = "Đồng chí Nguyễn Văn Hùng dự hội nghị Café Sáng tại Hà Nội, naïve résumé."
    assert repair_text(text) == (text, None)
    assert detect(text.encode("utf-8")) == (text, "utf-8")


def test_western_text_that_is_not_utf8_is_refused_with_the_reason() -> None:
    with pytest.raises(NotText, match="not valid UTF-8 .* not Vietnamese"):
        detect("Café crème brûlée à la française".encode("latin-1"))


def test_declared_charset_is_used_for_non_utf8_pages() -> None:
    data = b"Th\xf4ng b\xe1o: H\xe0 N\xf4\xf2i"
    assert detect(data, "windows-1258") == ("Thông báo: Hà Nội", "windows-1258")


def test_word_document_typed_with_a_tcvn3_font(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Th«ng b¸o lÞch c¾t ®iÖn")
    document.add_paragraph("X· Minh TiÕn c¾t ®iÖn ngµy mai, bµ con chñ ®éng s¾p xÕp c«ng viÖc.")
    document.save(tmp_path / "thong-bao.docx")
    unicode_doc = docx.Document()
    unicode_doc.add_paragraph("Ra quân làm thủy lợi")
    unicode_doc.add_paragraph("Sáng nay, các xã ra quân nạo vét kênh mương.")
    unicode_doc.add_paragraph("Minh Anh")
    unicode_doc.save(tmp_path / "thuy-loi.docx")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    result = FolderSource(tmp_path).collect()
    by_title = {a.title: a for a in result.articles}
    assert by_title[TITLE].body == BODY
    assert by_title["Ra quân làm thủy lợi"].body == "Sáng nay, các xã ra quân nạo vét kênh mương."
    assert by_title["Ra quân làm thủy lợi"].byline == "Minh Anh"
    assert [(Path(s.location).name, "Word" in s.reason) for s in result.skipped] == [("broken.docx", True)]


@pytest.mark.parametrize("word,ok", [("nghiêng", True), ("người", True), ("khuỷu", True), ("quyết", True),
                                     ("gì", True), ("Vieọt", False), ("lËp", False), ("ààa", False)])
def test_syllable_check(word: str, ok: bool) -> None:
    assert is_syllable(word) is ok
