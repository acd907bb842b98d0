"""Helpers of the tests (and the benchmarks): fixtures stay in tests/conftest.py."""

import sys
from pathlib import Path

_SRC = str(Path(__file__).resolve().parent.parent.parent / "src")
if _SRC not in sys.path:  # this checkout's sources, also when a benchmark imports the helpers
    sys.path.insert(0, _SRC)
