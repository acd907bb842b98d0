"""The one writer of station files for the tests and the benchmarks.

A station file is given as tables (dicts) and written in the house style of docs/ and the demo:
`[table]`, `[[programs]]`, `[[articles.sources]]`, one `key = value` a line, short arrays on one
line. Tests that edit a file by its lines (tests/data/bad_station_files.tsv) rely on that style,
which is why this is not tomli-w (it writes arrays of tables inline and arrays over several lines).
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from helpers.cli import ARTICLE_MTIME

#: The station of most tests: a district station with one morning program.
STATION = {"name": "Đài Truyền thanh huyện Thử Nghiệm", "district": "huyện Thử Nghiệm", "province": "tỉnh Kiểm Tra"}
PROGRAM = {"id": "sang", "title": "Chương trình thời sự buổi sáng", "broadcast": "05:30"}
ARTICLES = {"folders": ["articles"]}
SPEECH = {"engines": ["espeak-ng"]}
OUTPUT = {"dir": "out"}

SHORT_ARTICLES = {
    "a.txt": "Huyện ra quân làm thủy lợi\n\nSáng nay, các xã ra quân nạo vét kênh mương.",
    "b.txt": "Xã hỗ trợ hộ nghèo\n\nXã đã trao quà cho các hộ nghèo trong thôn.",
}

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_DEFAULT = object()


def _key(name: str) -> str:
    return name if _BARE_KEY.fullmatch(name) else json.dumps(name, ensure_ascii=False)


def toml_value(value: Any) -> str:
    """One TOML value on one line (JSON string escapes are TOML basic-string escapes)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str | Path):
        return json.dumps(str(value), ensure_ascii=False)
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, Sequence):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML for {value!r}")


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _table(lines: list[str], name: str, table: Mapping[str, Any]) -> None:
    """`table`'s plain keys, then its sub-tables and arrays of tables, under `name`."""
    for key, value in table.items():
        if not isinstance(value, Mapping) and not _is_table_array(value):
            lines.append(f"{_key(key)} = {toml_value(value)}")
    for key, value in table.items():
        if isinstance(value, Mapping):
            lines.extend(["", f"[{name}.{_key(key)}]"])
            _table(lines, f"{name}.{_key(key)}", value)
        elif _is_table_array(value):
            for item in value:
                lines.extend(["", f"[[{name}.{_key(key)}]]"])
                _table(lines, f"{name}.{_key(key)}", item)


def station_toml(*, station: Mapping[str, Any] | None = STATION, programs: Sequence[Mapping[str, Any]] = (PROGRAM,),
                 articles: Mapping[str, Any] | None = ARTICLES, speech: Mapping[str, Any] | None = SPEECH,
                 output: Mapping[str, Any] | None = OUTPUT, extra: str = "", **tables: Mapping[str, Any]) -> str:
    """A station file: the test station unless a table is given (None leaves a table out); more tables
    by name (`audio={...}`, `voices={"A": {...}}`), then `extra`, raw text for files a test breaks on purpose."""
    lines: list[str] = []
    if station is not None:
        lines.append("[station]")
        _table(lines, "station", station)
    for program in programs:
        lines.extend(["", "[[programs]]"])
        _table(lines, "programs", program)
    for name, table in {"articles": articles, "speech": speech, "output": output, **tables}.items():
        if table is not None:
            lines.extend(["", f"[{name}]"])
            _table(lines, name, table)
    text = "\n".join(lines).lstrip("\n") + "\n" + extra
    return text


def toml_table(text: str) -> dict[str, Any]:
    """A table's keys given as TOML text (the older helpers' `approval="required = true"` arguments)."""
    return tomllib.loads(text)


def write_articles(folder: Path, articles: Mapping[str, str | bytes], mtime: float = ARTICLE_MTIME) -> None:
    """Article files dated by their modification time (the day before the test clock's day)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in articles.items():
        path = folder / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        os.utime(path, (mtime, mtime))


def make_station(root: Path, *, engines: str | Sequence[str] = ("espeak-ng",),
                 articles: Mapping[str, str | bytes] | None = None, extra: str = "", **tables: Any) -> Path:
    """A station folder with a config, a small articles folder and an output folder.

    `engines` may be TOML text (`'["gtts", "espeak-ng"]\\ngtts_timeout = 60'`): its keys go in [speech]."""
    write_articles(root / "articles", SHORT_ARTICLES if articles is None else articles)
    speech = toml_table(f"engines = {engines}") if isinstance(engines, str) else {"engines": list(engines)}
    config = root / "station.toml"
    config.write_text(station_toml(speech=speech, extra=extra, **tables), encoding="utf-8")
    return config
