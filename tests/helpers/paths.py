"""Where the checkout, its sources and the test data are."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
SRC = REPO / "src"
DATA = REPO / "tests" / "data"
