"""Phone numbers, read digit by digit: 0912.345.678 -> không chín một hai …

A Vietnamese number starts with 0 (or +84) and has 10 or 11 digits (landlines
"0239 3855 123"; some old ones have 9-10); groups may be separated by ".", " "
or "-".  Short service numbers (113, 1900 1234: they start with 1) are read digit by
digit after words such as "đường dây nóng", "hotline", "điện thoại", and 11x
after "gọi" ("kêu gọi 150 hội viên" stays a quantity).
"""

from __future__ import annotations

import re

from radio_gen.text.numbers import read_digits

_PHONE = re.compile(r"(?<![\w.,/+])(?<!\d )(?:\+84\s?|0)\d{1,4}(?:[.\s-]?\d{2,4}){1,4}(?![\w]|[.,]\d)")
_CONTEXT = re.compile(
    r"(?i:(?<!\w)(?:(?:đường dây nóng|hotline|tổng đài|số máy|điện thoại|sđt|đt|fax)"
    r"(?:\s+số)?\s*:?\s*(?=1)|(?<!kêu )gọi(?:\s+số)?\s+(?=1\d{2,3}(?!\d))))"
    r"(1\d{2,4}(?:[.\s]\d{3,4})?)(?![\w]|[.,]\d)")


#: Codes read digit by digit after the words that name them.
_CODE_CONTEXT = re.compile(r"(?i:(?<!\w)(?:mã bưu chính|mã số thuế|mã số|số tài khoản|tài khoản số|số hiệu)"
                           r"\s*:?\s*)(\d{4,})(?![\w]|[.,]\d)")
#: Nationwide service numbers (1900 xxxx, 1800 xxxx xx): digit by digit anywhere.
_SERVICE = re.compile(r"(?<![\w.,])1[89]00(?:[\s.]?\d{2,4}){1,3}(?![\w]|[.,]\d)")


def _phone(m: re.Match[str]) -> str:
    s = m.group(0)
    digits = sum(c.isdigit() for c in s)
    if s.startswith("+84"):
        return "cộng " + read_digits(s) if 10 <= digits <= 13 else s
    return read_digits(s) if 9 <= digits <= 11 else s


def phones(text: str) -> str:
    """Read phone numbers digit by digit (before thousands grouping sees them)."""
    if "0" in text or "+" in text:
        text = _PHONE.sub(_phone, text)
    if "ã" in text or "ài" in text or "iệu" in text:
        text = _CODE_CONTEXT.sub(lambda m: m.group(0)[: m.start(1) - m.start()] + read_digits(m.group(1)), text)
    if "00" in text:
        text = _SERVICE.sub(lambda m: read_digits(m.group(0)) if 8 <= sum(c.isdigit() for c in m.group(0)) <= 10
                            else m.group(0), text)
    return _CONTEXT.sub(lambda m: m.group(0)[: m.start(1) - m.start()] + read_digits(m.group(1)),
                        text)
