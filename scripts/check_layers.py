#!/usr/bin/env python3
"""Print the import graph of src/radio_gen by layer; exit 1 on a wrong-way import.

A module may import modules of its own layer or of a lower one, never of a higher one:
stages never import the CLI, the scheduler or the build, and the speech, audio and text
stages never import the station config (they take their own settings). Imports inside
functions count (a lazy import is still a dependency); imports under
`if TYPE_CHECKING:` do not (they never run).

    python3 scripts/check_layers.py [SRC]     # SRC: the folder holding radio_gen/ (default: src)
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

PACKAGE = "radio_gen"

#: Layers from the bottom up: (name, module prefixes, what it is). A module belongs to the
#: layer of its longest matching prefix ("tts" matches radio_gen.tts and radio_gen.tts.*).
LAYERS: list[tuple[str, tuple[str, ...], str]] = [
    ("base", ("__init__", "errors", "clock", "settings_reader", "locks", "demo", "atomic"),
     "shared vocabulary: version, error root, the clock seam, the generic settings reader"),
    ("stages", ("text", "tts", "audio", "intake.sources", "intake.articles", "intake.cleaning", "publish",
                "programs", "timetable", "alerts", "newsroom_settings"),
     "stages that take their own settings: normalizer, speech, audio, article sources, publishing, "
     "programs and timetable, alert channels, the newsroom's settings"),
    ("config", ("config",),
     "the station file: finds it, assembles each owner's settings"),
    ("station", ("intake", "stationdb", "history", "rundown", "script", "template_check", "render", "pronunciation",
                 "listen", "users"),
     "stages that read the station config: intake, selection, script, render, station data"),
    ("orchestration", ("build", "runs", "scheduler", "status", "doctor", "approval", "retention", "editing",
                       "clip_upload", "template_versions",
                       "newsroom"),
     "one build, one unattended run, the daemon, the checks, the newsroom's library"),
    ("entry", ("cli", "cli_articles", "cli_groups", "cli_templates", "cli_voices", "cli_web", "web",
               "__main__"),
     "entry points: parse input, call the library, present results"),
]


def layer_of(module: str) -> int | None:
    """The index in LAYERS of `module` (dotted, without the package name), None when unlisted."""
    best, best_len = None, -1
    for index, (_, prefixes, _) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = index, len(prefix)
    return best


def module_name(path: Path, root: Path) -> str:
    """`radio_gen/tts/roles.py` → "tts.roles"; a package's `__init__.py` is the package itself."""
    parts = list(path.relative_to(root / PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(path: Path, module: str, is_package: bool) -> set[str]:
    """The radio_gen modules `path` imports (dotted, without the package name)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    package_parts = module.split(".") if is_package else module.split(".")[:-1]

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking_only(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == PACKAGE or alias.name.startswith(PACKAGE + "."):
                    found.add(alias.name[len(PACKAGE) + 1:] or "__init__")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module and (node.module == PACKAGE or node.module.startswith(PACKAGE + ".")):
                target = node.module[len(PACKAGE) + 1:]
            else:
                target = None
            if target is not None:
                for alias in node.names:  # `from radio_gen import config` imports the module config
                    name = f"{target}.{alias.name}".strip(".")
                    found.add(name if _is_module(name) else target)
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, ast.expr):  # imports are statements: no expression holds one
                visit(child)

    visit(tree)
    found.discard(module)
    return {name or "__init__" for name in found}


_MODULES: set[str] = set()


def _is_module(name: str) -> bool:
    return name in _MODULES


def graph(root: Path) -> dict[str, set[str]]:
    files = sorted((root / PACKAGE).rglob("*.py"))
    _MODULES.clear()
    _MODULES.update(module_name(f, root) for f in files)
    edges: dict[str, set[str]] = {}
    for path in files:
        module = module_name(path, root)
        edges[module] = {_owner(t) for t in imports_of(path, module, path.name == "__init__.py")}
    return edges


def _owner(target: str) -> str:
    """The module a dotted import names (`tts.base.Engine` → "tts.base")."""
    while target and target not in _MODULES and "." in target:
        target = target.rsplit(".", 1)[0]
    return target


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "src"
    edges = graph(root)
    unlisted = sorted(m for m in edges if layer_of(m) is None)
    wrong: list[str] = []
    by_layer: dict[int, list[str]] = defaultdict(list)
    for module in edges:
        index = layer_of(module)
        if index is not None:
            by_layer[index].append(module)
    for index, (name, _, what) in enumerate(LAYERS):
        print(f"== {index} {name}: {what}")
        for module in sorted(by_layer[index]):
            targets = sorted(edges[module])
            marks = []
            for target in targets:
                target_layer = layer_of(target)
                if target_layer is not None and target_layer > index:
                    marks.append(f"{target} (!{LAYERS[target_layer][0]})")
                    wrong.append(f"{module} ({name}) imports {target} ({LAYERS[target_layer][0]})")
                else:
                    marks.append(target)
            print(f"   {module:<24} -> {', '.join(marks) if marks else '-'}")
    for module in unlisted:
        print(f"unlisted module {module}: add it to a layer in scripts/check_layers.py", file=sys.stderr)
    for line in wrong:
        print(f"wrong-way import: {line}", file=sys.stderr)
    if wrong or unlisted:
        return 1
    print(f"ok: {len(edges)} modules, no import goes up a layer")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
