"""The import-layer check (scripts/check_layers.py): the package's imports only go down a layer."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "check_layers.py"


def _check(src: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), str(src)], capture_output=True, text=True, timeout=60)


def test_the_package_has_no_wrong_way_import() -> None:
    done = _check(REPO / "src")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no import goes up a layer" in done.stdout
    # The graph is printed by layer: the speech stage and its imports are visible.
    assert "== 1 stages" in done.stdout and "== 5 entry" in done.stdout
    tts_line = next(line for line in done.stdout.splitlines() if line.strip().startswith("tts.roles "))
    assert "config" not in tts_line.split("->")[1]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of src/radio_gen to break on purpose."""
    shutil.copytree(REPO / "src" / "radio_gen", tmp_path / "radio_gen",
                    ignore=shutil.ignore_patterns("__pycache__", "*.mp3", "*.wav", "*.onnx"))
    return tmp_path


#: Wrong-way imports added to one copy of the package: (module, line, what the check reports).
WRONG_WAY = [
    # a speech module reaching for the whole station file
    ("tts/chain.py", "from radio_gen.config import StationConfig", "tts.chain (stages) imports config (config)"),
    # a stage importing the build, lazily inside a function: still a dependency
    ("script.py", "def _late():\n    from radio_gen import build", "script (station) imports build (orchestration)"),
    # the audio stage importing the CLI
    ("audio/encode.py", "import radio_gen.cli", "audio.encode (stages) imports cli (entry)"),
]


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n\n{line}\n", encoding="utf-8")


def test_wrong_way_imports_fail_the_check_and_type_checking_imports_do_not(tree: Path) -> None:
    """One broken copy (each check parses the whole package): every wrong-way import is reported,
    and nothing else is, though tts/roles.py also imports the config under `if TYPE_CHECKING:`."""
    for module, line, _ in WRONG_WAY:
        _append(tree / "radio_gen" / module, line)
    _append(tree / "radio_gen" / "tts" / "roles.py",
            "if TYPE_CHECKING:\n    from radio_gen.config import StationConfig")
    done = _check(tree)
    assert done.returncode == 1
    reported = sorted(line for line in done.stderr.splitlines() if line.startswith("wrong-way import: "))
    assert reported == sorted(f"wrong-way import: {wrong}" for _, _, wrong in WRONG_WAY), done.stderr


def test_a_module_in_no_layer_fails_the_check(tree: Path) -> None:
    (tree / "radio_gen" / "newthing.py").write_text("from radio_gen import errors\n", encoding="utf-8")
    done = _check(tree)
    assert done.returncode == 1 and "unlisted module newthing" in done.stderr
