"""The engine registry is derived from the classes in radio_gen.tts.engines: one module adds an engine."""

from __future__ import annotations

import sys

import pytest

from radio_gen.tts import engines as engine_package
from radio_gen.tts import registry
from radio_gen.tts.registry import CHAIN_ENGINES, ENGINES, LAST_RESORT, accepting

NEW_ENGINE = '''
from radio_gen.tts.base import Engine, Voicing


class TinEngine(Engine):
    name = "tin-tts"
    rank = 25
    accepts = frozenset({"rate"})

    @classmethod
    def from_voicing(cls, voicing: Voicing) -> "TinEngine":
        return cls()

    def synthesize(self, text, dest):
        raise NotImplementedError

    def check(self):
        return None
'''


def test_the_engines_are_ranked_best_voice_first_and_espeak_ends_every_chain() -> None:
    assert list(ENGINES) == ["piper", "edge-tts", "gtts", "espeak-ng"]
    assert LAST_RESORT == "espeak-ng" and CHAIN_ENGINES[-1] == LAST_RESORT
    assert "piper" not in CHAIN_ENGINES  # it speaks only with an announcer's voice
    assert accepting("pitch") == ("edge-tts", "espeak-ng")
    assert accepting("voice") == ("piper", "edge-tts")


@pytest.fixture
def engines_folder(tmp_path, monkeypatch):
    """An extra folder of the engines package, as if a module had been added to it."""
    monkeypatch.setattr(engine_package, "__path__", [*engine_package.__path__, str(tmp_path)])
    yield tmp_path
    for name in [n for n in sys.modules if n.startswith(f"{engine_package.__name__}.tin")]:
        del sys.modules[name]


def test_one_new_module_adds_an_engine_in_its_rank(engines_folder) -> None:
    (engines_folder / "tin.py").write_text(NEW_ENGINE, encoding="utf-8")
    names = [cls.name for cls in registry._engine_classes()]
    assert names == ["piper", "edge-tts", "tin-tts", "gtts", "espeak-ng"]


def test_a_second_last_resort_is_refused(engines_folder) -> None:
    (engines_folder / "tin_last.py").write_text(NEW_ENGINE.replace("rank = 25", "rank = 95\n    last_resort = True"),
                                                encoding="utf-8")
    with pytest.raises(RuntimeError, match="exactly one engine must be the last resort"):
        registry._one_last_resort(registry._engine_classes())
