"""The benchmark scripts still load against today's library: a module moved or a name no
longer exported breaks them long before anyone runs a benchmark (mypy checks src/ only)."""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
SCRIPTS = sorted(BENCH.glob("bench_*.py"))


def test_every_benchmark_is_checked() -> None:
    assert len(SCRIPTS) >= 5


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_benchmark_loads_and_names_what_it_uses(script: Path) -> None:
    spec = importlib.util.spec_from_file_location(f"bench_check_{script.stem}", script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)   # its imports run; its work is under `if __name__ == "__main__"`
    assert callable(getattr(module, "main", None)), f"{script.name} has no main()"


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_every_radio_gen_name_a_benchmark_imports_exists(script: Path) -> None:
    """Imports inside functions too: they run only when the benchmark does."""
    missing = []
    for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "radio_gen":
            module = importlib.import_module(node.module)
            for alias in node.names:
                submodule = hasattr(module, "__path__") and \
                    importlib.util.find_spec(f"{node.module}.{alias.name}") is not None
                if not hasattr(module, alias.name) and not submodule:
                    missing.append(f"line {node.lineno}: {node.module}.{alias.name}")
    assert not missing, missing
