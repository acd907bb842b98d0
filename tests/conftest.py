"""Shared test helpers: run the real CLI from this checkout's sources."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src"
DATA = Path(__file__).resolve().parent / "data"

if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))


def cli_env(**extra: str) -> dict[str, str]:
    """Environment for a CLI subprocess that imports this checkout's sources."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def run_cli(*args: str, input: str | None = None, env: dict[str, str] | None = None,
            timeout: float = 300, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `radio-gen ARGS` through the real entry point (python -m radio_gen)."""
    return subprocess.run(
        [sys.executable, "-m", "radio_gen", *args],
        input=input, capture_output=True, text=True, timeout=timeout,
        env=env if env is not None else cli_env(), cwd=cwd,
    )


@pytest.fixture
def cli():
    return run_cli
