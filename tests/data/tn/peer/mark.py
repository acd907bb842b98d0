"""Write the scope columns of the peer files from the rules below (run by hand).

``python tests/data/tn/peer/mark.py`` rewrites columns 5-7 (scope, reason,
newscast) of every ``*.tsv`` here.  A rule is (scope, sources, written regex,
spoken regex, reason); the first rule that matches a case decides, cases no
rule matches are ``in``.  For ``wrong`` cases the newscast column holds the
reading radio-gen gives, reviewed by hand when the rule was written; for ``in``
cases a newscast column, when given, is one more acceptable reading (style).
A ``wrong`` rule only judges a case whose peer reading differs from radio-gen's
(a rule that fits a case read the same way leaves it ``in``).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[3] / "src"))
sys.path.insert(0, str(HERE.parents[2]))

from helpers.peer_suite import canon  # noqa: E402
from radio_gen.text import normalize  # noqa: E402

ANY = None
R = re.compile

#: Colloquial short forms that an ITN grammar accepts as input but a newscast does
#: not say: "hai mốt" (21), "bẩy", "rưỡi", "kém", "trừ" for minus, "kí", years
#: digit by digit, "một triệu hai" (1.2 million), "thứ nhì/bốn", "lẻ tư".
COLLOQUIAL = R(r"(?<!mươi )\b(?:mốt|tư|lăm)\b(?! mươi)|\bbẩy\b|\brưỡi\b|\bkém\b|\btrừ\b|\bkí\b|"
               r"\b(?:hai|một) (?:không|chín) \w+ \w+$|\b(?:triệu|tỷ|tỉ|nghìn|ngàn) (?:hai|ba|bốn|năm|sáu|bảy|tám|chín|mốt|tư|rưỡi)$|"  # noqa: E501
               r"\btrăm (?:hai|ba|bốn|năm|sáu|bảy|tám|chín|mốt|tư)(?: (?:triệu|nghìn|tỷ))?$|"
               r"^(?:hai|ba|bốn|năm|sáu|bảy|tám|chín) (?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín) phút|"
               r"\bthứ (?:nhì|bốn)\b|\blẻ tư\b|\blinh lăm\b|\bđô\b(?! la)|\b(?:hai|ba|bốn|năm|sáu|bảy|tám|chín) (?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mốt|tư|lăm)\b(?! (?:tháng|giờ|phút|mươi|trăm|nghìn|triệu|tỷ))")  # noqa: E501

RULES: list[tuple[str, object, object, object, str]] = [
    ("out", ANY, ANY, R(r"<en>"), "bilingual G2P markup: the peer hands English words to an English voice; "
                                  "a newscast has one Vietnamese voice"),
    ("out", ANY, ANY, R(r"\d"), "a one-module unit test: the peer's expectation leaves other classes "
                                "written (digits)"),
    ("out", ANY, R(r"^$"), ANY, "empty case"),
    ("out", ANY, R(r"\b(?:ko|bik|bit)\b"), ANY, "teencode (chat spelling), not news text"),
    ("out", ANY, R(r"[=^≈±→]|\blim\(|\d[eE][-+]?\d|×10|\b[xy] [<>≤≥]|\+0\b|\+99\b|^\d+ ?[-x] ?\d+$|^#"), ANY,
     "mathematical notation"),
    ("out", ANY, R(r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b|[A-Z]:\\|/home/|\w_\w|\.(?:txt|log|zip|gz)\b|"
                   r"localhost|IPv6|SELECT|ftp://|\d{4} \d{4} \d{4}|\bISO \d"), ANY,
     "code, file paths, IP addresses, card numbers: not news text"),
    ("in", ANY, R(r"\d\.\d"), R(r"\btháng\b|\bquý\b"), "dates written with dots (27.02, 04.2021)"),
    ("out", ANY, R(r"\d,\d{3}\.\d|\$\d+,\d{3}|\d\.(?!\d{3}(?!\d))\d"), ANY,
     "English decimal point: Vietnamese writes a decimal comma (the point groups thousands)"),
    ("out", ANY, R(r"\d\.\d{3}(?!\d)"), R(r"\b(?:phẩy|chấm)\b"),
     "English decimal point: in Vietnamese text the point groups thousands (60.240 is sixty thousand)"),
    ("out", ANY, R(r"\d{16,}|(?:\d\.){5,}"), ANY, "16+ digit strings in news are account or card numbers"),
    ("out", ANY, R(r"(?i:thứ|phần|thế k[ỷỉ]|mục|chương|đoạn|khoản|phụ lục|khóa|số)\s+[ivxlcdm]+$|"
                   r"(?:đoạn|khoản|phụ lục)\s+[ivxlcdm]+\b"), ANY,
     "lowercase letters after mục/khoản/điểm are list letters in Vietnamese legal text, not Roman numerals"),
    ("out", ANY, R(r"\bnăm [MDCLXVI]{2,}|\bnăm mmxx"), ANY, "Roman-numeral years do not occur in Vietnamese news"),
    ("out", "pyvinorm", R(r"^\d+$"), R(r"^[IVXLCDM]+$"), "the reverse conversion (number to Roman numeral)"),
    ("out", ANY, R(r"^[IVXLCDM]+$"), ANY, "a Roman numeral with no word before it: a name or a size (XL) in news"),
    ("out", ANY, R(r"(?i:chữ|ký tự|kí tự|chữ cái|vitamin)\s+'?[A-Za-z]'?|^[A-Z] là|Anh [A-Z]\.|Anh Đ\."), ANY,
     "spelling single letters aloud is dictation, not news reading"),
    ("out", ANY, R(r"\b(?:am|pm)\b|\d ?h\d+ ?am"), ANY, "English am/pm times"),
    ("out", ANY, R(r"^\d+(?:[.,]\d+)?t(?:\d)?(?:-\d+t)?$|^1tw$"), ANY,
     "'t' after a number is tấn (tonnes) in news; 't' for tỷ and 'tw' are chat shorthand"),
    ("out", ANY, R(r"^-?\d+ \d/\d|^-\d+/\d+$"), ANY, "mixed and signed fractions are not written in Vietnamese news"),
    ("out", ANY, R(r"^\+\d{1,2}[ .]\d{3}|^\+1\.|^0 24 24"), ANY, "foreign phone formats"),
    ("out", ANY, R(r"^[A-Z]{2,}(?:, [A-Z]{2,})+$"), R(r"\b[A-Z] [A-Z]\b"),
     "letter-by-letter spelling of English acronyms, left to the engine"),
    ("out", ANY, R(r"[₩]|\bRM\b|μm|mbps|kbps|Gbps|\bgmt\b|\bsqm\b|\bcum\b|\blb\b|\bdpi\b|\bin\.?$|\binch\b|gallon"),
     ANY, "currencies and units that do not occur in Vietnamese district news"),
    ("out", ANY, R(r"cskh@"), ANY, "segmenting and expanding words inside an e-mail address"),
    ("out", ANY, R(r"SĐT:|^(?:A|B) [&+=] |\w'|^\d+(?:,\d+){2}|,\d+,\d|\b\d+\.\d+\.\d+$|\bUAE\b"), ANY,
     "not news text (letters as symbols, primes, garbled numbers, codes, acronyms spelled letter by letter)"),
    ("out", ANY, R(r"^3[2-9]/\d\d$|\d:\d\d:\d\d giây"), ANY, "an impossible date or time"),
    ("out", ANY, R(r"\+1\.|RM\b|sqm\b|cum\b"), ANY, "foreign phone formats, currencies and units"),
    ("out", ANY, ANY, R(r"\.[a-z]"), "a one-module unit test: the peer's expectation leaves a '.' of an address"),
    ("wrong", ANY, R(r"^\d{1,2}/\d{1,2}$"), R(r"phần|trên|chia"),
     "a bare a/b with no context is a date in Vietnamese news text (1/2 is mùng một tháng hai)"),
    ("wrong", ANY, ANY, R(r"\bxu\b"),
     "a dollar amount's decimals are read 'phẩy' in Vietnamese news (mười phẩy năm đô la), not in cents"),
    ("wrong", ANY, R(r"thứ I\b|thứ IV\b"), R(r"thứ (?:một|bốn)$"), "after 'thứ' 1 and 4 are 'nhất' and 'tư'"),
    ("wrong", ANY, ANY, R(r"không phút|không giây|giờ không \w+ phút|giờ linh"),
     "an announcer does not say 'không phút', 'không một phút' or 'giờ linh năm': 'mười hai giờ', "
     "'không giờ một phút', 'năm giờ năm phút'"),
    ("wrong", ANY, R(r"^\d\.\d5$"), ANY, "'hai lăm' without 'mươi' after a decimal point is casual speech"),
    ("wrong", ANY, R(r"\+84"), R(r"\bkhông chín"), "the peer rewrites +84 to 0; an announcer reads the number as written"),  # noqa: E501
    ("wrong", ANY, R(r"(?i:covid|camera)"), R(r"(?i:covid|camera)"),
     "a foreign word is respelled so that the Vietnamese voice says it (cô vít, ca mê ra)"),
    ("wrong", ANY, R(r"^\d+/\d{3}$"), ANY, "a ratio with a denominator above ten is read 'trên'"),
    ("wrong", ANY, R(r"(?i:đ/c)"), R(r"địa chỉ"), "in news 'đ/c' is 'đồng chí' (comrade), not 'địa chỉ'"),
    ("wrong", ANY, R(r"\d+(?:k|tr)\b|\d+,\d triệu|^1 tỷ$"), R(r"đồng"),
     "the text does not say 'đồng': an announcer reads the amount written (and 1,5 triệu as một phẩy năm triệu)"),
    ("wrong", ANY, R(r"https?://|www\.|\.org|\.vn|\.ai"), R(r"\b(?:hát tê|h t t p|w w w|vê kép|o rờ gờ|vi en|v n|a i)\b"),  # noqa: E501
     "protocols and www are not said, and a domain's labels are read as words (org, vn)"),
    ("wrong", ANY, R(r"@"), R(r"\b(?:a móc|a vòng)\b|(?:^| )(?:[a-z] ){2,}"),
     "address parts are read as words, with 'a còng' for @"),
    ("wrong", ANY, R(r"^24g$"), ANY, "'g' after a bare number is gram in news; only 7g30 is a time"),
    ("wrong", ANY, R(r"\d{2}:\d{2}$"), R(r"lúc"), "the peer inserts a word (lúc) the text does not have"),
    ("wrong", ANY, R(r"^\d{9,}$"), ANY, "a number in running text is a quantity; only phone-shaped numbers "
                                         "(0…, +84…, 1900…) are read digit by digit"),
    ("wrong", ANY, R(r"^11[2-5]$|^1905$"), ANY, "alone, 113 is a number; radio-gen reads service numbers digit "
                                                 "by digit after 'gọi', 'đường dây nóng'"),
    ("wrong", "nemo-itn", ANY, COLLOQUIAL,
     "colloquial short form that the ITN grammar accepts as input; a newscast says the full form"),
    ("wrong", ANY, ANY, R(r"\blinh lăm\b|không nghìn|\blẻ mười\b|^một tỷ lẻ"),
     "'linh lăm', 'không nghìn', 'lẻ mười' are not how a number is read"),
    ("wrong", ANY, R(r"^\d{7,}$"), R(r"^(?:một|hai) (?:triệu|tỷ) một nghìn"),
     "an inner group below 100 is read with 'không trăm linh' (radio-gen's formal reading)"),
    ("wrong", ANY, R(r"^5-2$"), ANY, "'5-2' in news is a score, not a subtraction"),
]


def decide(source: str, written: str, spoken: str) -> tuple[str, str]:
    for scope, sources, w_re, s_re, reason in RULES:
        if sources is not None and sources != source:
            continue
        if w_re is not None and not w_re.search(written):
            continue
        if s_re is not None and not s_re.search(spoken):
            continue
        return scope, reason
    return "in", ""


def main() -> None:
    for path in sorted(HERE.glob("*.tsv")):
        lines = path.read_text(encoding="utf-8").splitlines()
        out = ["# ref\tcategory\twritten\tspoken (the peer's expectation)\tscope\treason\tnewscast"]
        for line in lines:
            if not line.strip() or line.startswith("#"):
                continue
            ref, category, written, spoken = (line.split("\t") + [""] * 4)[:4]
            scope, reason = decide(path.stem, written, spoken)
            newscast = ""
            if scope == "wrong":
                newscast = normalize(written, dialect="south" if "south" in category else "north")
                if canon(newscast) == canon(spoken):  # the rule fits, but the peer's reading is ours
                    scope, reason, newscast = "in", "", ""
            if scope == "in":
                reason = f"news text ({category})"
            out.append("\t".join((ref, category, written, spoken, scope, reason, newscast)))
        path.write_text("\n".join(out) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
