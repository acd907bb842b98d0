"""Every command is documented: in --help with examples, and in the README (or docs/)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.cli import cli_env, run_cli
from helpers.paths import REPO
from radio_gen.cli import make_parser


def _commands() -> list[str]:
    parser = make_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return sorted(sub.choices)


@pytest.mark.parametrize("command", _commands())
def test_command_help_has_examples_and_readme_mentions_it(command: str) -> None:
    done = run_cli(command, "--help")
    assert done.returncode == 0
    assert "examples:" in done.stdout and f"radio-gen {command}" in done.stdout
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"`radio-gen {command}" in readme, "the operator's README lists every command"


def test_readme_opens_with_exactly_two_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```sh\n(.*?)```", readme, re.S).group(1)
    commands = [line for line in first_block.splitlines() if line.strip()]
    assert len(commands) == 2
    assert "radio-gen build" in commands[0] and "pytest" in commands[1]
    ci = (REPO / ".ci" / "run").read_text().splitlines()  # the README's steps, in order (linters between)
    steps = [step.strip() for step in commands[1].split("#")[0].split("&&")]
    assert [ci.index(step) for step in steps] == sorted(ci.index(step) for step in steps)


def test_console_script_points_at_main() -> None:
    from importlib.metadata import entry_points

    [script] = [e for e in entry_points(group="console_scripts") if e.name == "radio-gen"]
    assert script.value == "radio_gen.cli:main"


@pytest.mark.process
def test_the_console_script_and_python_m_run_the_same_main(tmp_path: Path) -> None:
    """The other CLI tests call main() in-process: this one goes through the real entry points
    (stdin, stdout, stderr, exit statuses of a new process)."""
    script = Path(sys.executable).with_name("radio-gen")
    assert script.is_file(), "pip install -e . writes the radio-gen console script beside python"
    for command in ([str(script)], [sys.executable, "-m", "radio_gen"]):
        spoken = subprocess.run([*command, "normalize"], input="Sáng 24/4, UBND huyện họp.\n", capture_output=True,
                                text=True, env=cli_env(), timeout=120)
        in_process = run_cli("normalize", input="Sáng 24/4, UBND huyện họp.\n")
        assert (spoken.returncode, spoken.stdout) == (0, in_process.stdout)
        assert "hai mươi tư tháng tư" in spoken.stdout
        missing = subprocess.run([*command, "build", "--config", str(tmp_path / "none.toml")], capture_output=True,
                                 text=True, env=cli_env(), timeout=120)
        assert missing.returncode == 1 and missing.stderr.startswith("radio-gen: error:"), missing.stderr
        assert "Traceback" not in missing.stderr
        usage = subprocess.run([*command, "build", "--date", "hôm nay"], capture_output=True, text=True,
                               env=cli_env(), timeout=120)
        assert usage.returncode == 2 and "expected a date like 2026-11-26" in usage.stderr


def _sh_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", text, re.S)


def test_readme_says_every_command_the_same_way() -> None:
    """`.venv/bin/radio-gen` throughout: never a bare `radio-gen` that needs an activated venv."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = "|".join(_commands())
    bare = [line for block in _sh_blocks(readme) for line in block.splitlines()
            if re.search(rf"(?<![\w/.-])radio-gen ({commands})\b", line)]
    assert bare == []
    assert sum(block.count(".venv/bin/radio-gen ") for block in _sh_blocks(readme)) >= 15


def test_readme_walkthrough_creates_the_articles_folder_it_configures() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    walkthrough = next(b for b in _sh_blocks(readme) if "cp src/radio_gen/demo/station.toml" in b)
    assert "mkdir -p /srv/radio/articles" in walkthrough and "> /srv/radio/articles/" in walkthrough
    assert ".venv/bin/radio-gen build --config /srv/radio/station.toml" in walkthrough


def test_the_service_unit_readme_and_scheduling_doc_agree() -> None:
    unit = dict(line.split("=", 1) for line in (REPO / "deploy" / "radio-gen.service").read_text().splitlines()
                if "=" in line and not line.startswith("#"))
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    doc = (REPO / "docs" / "scheduling.md").read_text(encoding="utf-8")
    [readme_steps] = [b for b in _sh_blocks(readme) if "systemctl enable" in b]
    [doc_steps] = [b for b in _sh_blocks(doc) if "systemctl enable" in b]
    assert readme_steps == doc_steps
    assert f"--home-dir {unit['WorkingDirectory']} " in readme_steps and f"chown -R {unit['User']}:" in readme_steps
    program, config = unit["ExecStart"].split(" schedule --config ")
    assert program == "/opt/radio-gen/.venv/bin/radio-gen" and "`/opt/radio-gen`" in readme
    assert config == f"{unit['WorkingDirectory']}/station.toml"
    assert f"--config {config}" in readme and f"--config {config}" in doc
