"""The newsroom's two tables of the station file: [web] (the web page) and [approval].

They sit below the config so that the station file is checked whole when it is loaded:
a port out of range or a misspelled policy is reported by every command, not first by
`radio-gen serve` or at the approval deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from radio_gen.settings_reader import TableReader, keys_of, setting

#: The newsroom's interface languages, the first one the default.
LANGUAGES = ("vi", "en")


class OnDeadline(StrEnum):
    """`[approval] policy`: what happens to a program nobody approved in time."""

    PUBLISH_ANYWAY = "publish-anyway"
    KEEP_LAST_APPROVED = "keep-last-approved"


PUBLISH_ANYWAY, KEEP_LAST_APPROVED = OnDeadline.PUBLISH_ANYWAY, OnDeadline.KEEP_LAST_APPROVED
POLICIES = tuple(OnDeadline)


@dataclass(frozen=True)
class WebSettings:
    """The [web] table."""

    TABLE: ClassVar[str] = "web"

    host: str = setting("127.0.0.1")
    port: int = setting(8080, low=1, high=65535, says="must be a TCP port, 1 to 65535")
    #: /phat/… (MP3, M3U, RSS) open to the LAN without login.
    public_delivery: bool = setting(False)
    #: Signs session cookies; None: a random one kept in the station folder (web-secret).
    secret: str | None = setting(None, kind=str)
    session_hours: int = setting(12, low=1, high=24 * 30, says="must be 1 to 720 hours")
    #: Send cookies over HTTPS only (set when a reverse proxy terminates TLS).
    secure_cookies: bool = setting(False)
    feed_days: int = setting(14, low=1, high=366, says="must be 1 to 366 days")
    language: str = setting(LANGUAGES[0], choices=LANGUAGES, says=f"must be one of {', '.join(LANGUAGES)}")
    #: Absolute address loudspeakers use (for M3U and RSS), e.g. "http://10.0.0.5:8080"; None: as requested.
    public_url: str | None = setting(None, kind=str)

    @classmethod
    def from_table(cls, r: TableReader) -> WebSettings:
        values = r.fill(cls)
        if values["secret"] is not None and len(values["secret"]) < 16:
            raise r.fail("secret", "must be at least 16 characters (or leave it out: one is generated)")
        url = values.pop("public_url")
        return cls(public_url=url.rstrip("/") if url else None, **values)


@dataclass(frozen=True)
class ApprovalSettings:
    """The [approval] table."""

    TABLE: ClassVar[str] = "approval"

    required: bool = setting(False)
    approve_by_minutes: int = setting(10, low=0, high=24 * 60, key="approve_by",
                                      says="must be minutes before broadcast, 0 to 1440")
    policy: str = setting(PUBLISH_ANYWAY, choices=POLICIES,
                          says=f"must be \"{PUBLISH_ANYWAY}\" or \"{KEEP_LAST_APPROVED}\"")

    @classmethod
    def from_table(cls, r: TableReader) -> ApprovalSettings:
        return cls(**r.fill(cls))


#: The tables this module owns, and their keys.
TABLES: dict[str, frozenset[str]] = {WebSettings.TABLE: keys_of(WebSettings),
                                     ApprovalSettings.TABLE: keys_of(ApprovalSettings)}
