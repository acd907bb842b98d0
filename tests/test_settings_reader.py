"""The generic settings reader: a `setting()` field is a key, its default and its one check.

The station file's own messages are tested through whole files (test_config_strict.py);
here the reader is tested on a table of its own, so that a new owner can rely on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import pytest

from radio_gen.settings_reader import ConfigError, TableReader, keys_of, setting


@dataclass(frozen=True)
class Knobs:
    TABLE: ClassVar[str] = "knobs"

    name: str = setting("a")
    mode: str = setting("slow", choices=("slow", "fast"))
    runs: int = setting(3, low=1, high=5, unit="runs")
    timeout: float = setting(1.0, low=0, high=2, above=True)
    level: int = setting(0, low=-10, high=10, says="must be between -10 (quiet) and 10 (loud)")
    optional: str | None = setting(None, kind=str)
    gap: float = setting(0.5, low=0, high=60, key="gap_seconds")


def read(table: dict[str, Any]) -> Knobs:
    tables = {"knobs": keys_of(Knobs), "other": frozenset({"colour"})}
    return Knobs(**TableReader("f.toml", table, "knobs.", schema="knobs", tables=tables).fill(Knobs))


def test_missing_keys_take_the_default_written_on_the_field() -> None:
    assert read({}) == Knobs()
    assert read({"runs": 5, "timeout": 2, "gap_seconds": 0, "optional": "x"}) == \
        Knobs(runs=5, timeout=2.0, gap=0.0, optional="x")


def test_the_keys_are_the_setting_fields_under_their_toml_names() -> None:
    assert keys_of(Knobs) == {"name", "mode", "runs", "timeout", "level", "optional", "gap_seconds"}
    assert keys_of(Knobs, "extra") == keys_of(Knobs) | {"extra"}


@pytest.mark.parametrize("table, message", [
    ({"mode": "quick"}, "key 'knobs.mode': must be one of slow, fast, got 'quick'"),
    ({"runs": 9}, "key 'knobs.runs': must be between 1 and 5 runs, got 9"),
    ({"runs": 0}, "key 'knobs.runs': must be between 1 and 5 runs, got 0"),
    ({"timeout": 0}, "key 'knobs.timeout': must be between 0 and 2, got 0"),  # `above`: 0 itself excluded
    ({"level": 11}, "key 'knobs.level': must be between -10 (quiet) and 10 (loud), got 11"),
    ({"gap_seconds": 61.5}, "key 'knobs.gap_seconds': must be between 0 and 60, got 61.5"),
    ({"runs": True}, "key 'knobs.runs': must be a whole number, not true/false"),
    ({"runs": "3"}, "key 'knobs.runs': must be a whole number, got '3'"),
    ({"name": "  "}, "key 'knobs.name': must not be empty"),
    ({"mod": "fast"}, "key 'knobs.mod': unknown key in [knobs]; did you mean 'mode'?"),
    ({"gap_second": 1}, "key 'knobs.gap_second': unknown key in [knobs]; did you mean 'gap_seconds'?"),
    ({"colour": "red"}, "key 'knobs.colour': unknown key in [knobs]; 'colour' is a setting of [other]"),
    ({"zzz": 1}, "key 'knobs.zzz': unknown key in [knobs] (it has: gap_seconds, level, mode, name, optional, "
                 "runs, timeout)"),
])
def test_a_wrong_value_names_the_file_the_key_and_what_is_allowed(table: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        read(table)
    assert str(caught.value).startswith(f"f.toml: {message}")


def test_an_integer_is_a_number_where_a_number_is_asked() -> None:
    assert read({"timeout": 2}).timeout == 2.0 and isinstance(read({"timeout": 2}).timeout, float)
