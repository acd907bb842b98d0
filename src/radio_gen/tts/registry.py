"""The speech engines radio-gen knows, derived from their classes.

Each class in `radio_gen.tts.engines` says its name, what an announcer may set for it
(voice, rate, pitch), whether it is online, where it ranks and how it is made from an
announcer's settings (`from_voicing`); station file checks, announcers' chains,
`create_engine` and `doctor` all read this one table. Adding an engine is one new module
in that package: nothing here names an engine.
"""

from __future__ import annotations

import importlib
import pkgutil

from radio_gen.tts import engines as engine_package
from radio_gen.tts.base import Engine


def _engine_classes() -> list[type[Engine]]:
    """The concrete Engine classes defined in the modules of `radio_gen.tts.engines`."""
    found: list[type[Engine]] = []
    for info in sorted(pkgutil.iter_modules(engine_package.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{engine_package.__name__}.{info.name}")
        found += [value for value in vars(module).values()
                  if isinstance(value, type) and issubclass(value, Engine) and value.__module__ == module.__name__
                  and not getattr(value, "__abstractmethods__", None)]
    return sorted(found, key=lambda cls: (cls.rank, cls.name))


def _one_last_resort(classes: list[type[Engine]]) -> str:
    names = [cls.name for cls in classes if cls.last_resort]
    if len(names) != 1:
        raise RuntimeError(f"exactly one engine must be the last resort, found {names or 'none'}")
    return names[0]


#: Every engine by name, best voice first; the last resort (espeak-ng, which always speaks) comes last.
ENGINES: dict[str, type[Engine]] = {cls.name: cls for cls in _engine_classes()}
#: Engines that speak without a voice of their own: what a chain or a fallback may name.
CHAIN_ENGINES: tuple[str, ...] = tuple(name for name, cls in ENGINES.items() if not cls.needs_voice)
#: The engine every announcer's chain ends with: offline, on every machine.
LAST_RESORT = _one_last_resort(list(ENGINES.values()))


def accepting(setting: str) -> tuple[str, ...]:
    """The engines an announcer may give `setting` ("voice", "rate", "pitch")."""
    return tuple(name for name, cls in ENGINES.items() if setting in cls.accepts)
