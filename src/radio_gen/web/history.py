"""The newsroom's "Lịch sử" page: every change editors made, from the station's one journal.

The journal (users.Users.record) is written by editing.py (articles), the Phát âm page
(lexicon), template_versions.py (templates), the clips page and the program actions;
this page reads it newest first, filtered by kind, with local times.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from radio_gen.users import Entry
from radio_gen.web import i18n

PAGE = 100
#: Filter name in the address -> the journal's action kinds it shows.
KINDS: dict[str, tuple[str, ...]] = {
    "article": ("article",),
    "lexicon": ("lexicon",),
    "template": ("template",),
    "clip": ("clip",),
    "program": ("rebuild", "approve", "hold"),
    "user": ("user",),
}
#: Not changes: left out of the history.
NOT_CHANGES = ("login", "logout")


@dataclass(frozen=True)
class Line:
    when: str
    user: str
    kind: str
    what: str
    details: list[str]


def describe(t: Any, entry: Entry) -> str:
    """The entry in words ('Sửa tin «…» (phiên bản 2)'); an action without words shows its fields."""
    values = {k: "" if v is None else v for k, v in entry.detail.items() if not isinstance(v, list | dict)}
    key = f"j.{entry.action}"
    text = t(key)
    if text != key:
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):
            pass
    fields = " ".join(f"{k}={v}" for k, v in values.items())
    return f"{entry.action} {fields}".strip()


def kind_of(action: str) -> str:
    for name, kinds in KINDS.items():
        if any(action == k or action.startswith(k + ".") for k in kinds):
            return name
    return "other"


async def history_page(request: Request) -> Response:
    newsroom = request.app.state.newsroom
    kind = request.query_params.get("loai", "")
    if kind not in KINDS:
        kind = ""
    try:
        page = max(0, int(request.query_params.get("trang", "0")))
    except ValueError:
        page = 0
    entries = await run_in_threadpool(lambda: newsroom.users.journal(PAGE + 1, kinds=KINDS.get(kind, ()),
                                                                    exclude=NOT_CHANGES, offset=page * PAGE))
    t = newsroom.translator(request)
    tz = newsroom.config.tz
    lines = [Line(i18n.local_time(e.at, tz), e.user, kind_of(e.action), describe(t, e),
                  [str(d) for d in e.detail.get("diff", []) if isinstance(e.detail.get("diff"), list)])
             for e in entries[:PAGE]]
    return newsroom.render(request, "history.html", lines=lines, kind=kind, kinds=list(KINDS), page=page,
                           more=len(entries) > PAGE)
