"""Web and e-mail addresses: what an announcer says, or nothing.

"https://baodaknong.org.vn/tin-tuc" -> "baodaknong chấm org chấm vn": the
protocol, "www." and the path are dropped (a listener cannot use a path heard
once); "vp@minhson.gov.vn" -> "vp a còng minhson chấm gov chấm vn".  The words
for the separators are ``data/web_words.tsv``.  A station that prefers not to
air addresses at all (``[speech] read_addresses = false``) gets them removed.
"""

from __future__ import annotations

import re

from radio_gen.text import _data
from radio_gen.text.numbers import read_digits

_TLD = r"(?:vn|com|net|org|gov|edu|info|int|io|me|biz|asia|online|site|tv|us|uk|fr|cn|jp|kr|de)"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = rf"(?:{_LABEL}\.)+{_TLD}(?![\w-])"
_EMAIL = re.compile(rf"(?<![\w.@])[A-Za-z0-9](?:[A-Za-z0-9._-]{{0,63}})@(?P<host>{_HOST})")
_URL = re.compile(
    rf"(?<![\w@./])(?:(?P<proto>https?://)(?:www\d?\.)?|www\d?\.)?(?P<host>{_HOST})"
    r"(?::\d{1,5})?(?P<path>/[^\s\"'<>()\[\]]*[^\s\"'<>()\[\].,;:!?])?/?"
    r"|(?<![\w@./])https?://\S+")
_HINT = re.compile(r"[A-Za-z0-9]\.[a-z]|@|://")
_PART = re.compile(r"[A-Za-z]+|\d+|[^A-Za-z\d]")


def _say(address: str) -> str:
    words = _data.table("web_words.tsv")
    out = []
    for part in _PART.findall(address):
        if part[0].isdigit():
            out.append(read_digits(part))
        elif part.isalpha():
            out.append(part.lower())
        elif part in words:
            out.append(words[part])
    return " ".join(out)


def addresses(text: str, read: bool = True) -> str:
    """Read (or, with ``read=False``, remove) web and e-mail addresses."""
    if "." not in text or not _HINT.search(text):
        return text
    if "@" in text:
        text = _EMAIL.sub(lambda m: _say(m.group(0)) if read else "", text)

    def url(m: re.Match[str]) -> str:
        host = m.group("host")
        if host is None:  # a bare protocol with no domain we know: never read as garbage
            return ""
        if not read:
            return ""
        if m.group("proto") is None and m.group(0).count(".") == 1 and not m.group(0).startswith("www"):
            # "abc.vn" alone: a domain only if it looks like one (no capitals: "TP.HCM" is not)
            if host != host.lower():
                return m.group(0)
        return _say(host)

    return _URL.sub(url, text)
