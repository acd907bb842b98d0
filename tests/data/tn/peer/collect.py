"""Rebuild the peer-suite files from local snapshots of the peers' repositories.

Run by hand (never by the tests): ``python tests/data/tn/peer/collect.py MIRRORS``
where MIRRORS holds ``owner+name/repo`` bare git snapshots (the commits named in
SOURCES).  Extracts (written, spoken) pairs from NeMo's ``input~expected`` files
(ITN files read backwards) and, with ``ast``, from the string pairs of Python test
files.  Scope marks are not written here: they live in ``scope.tsv``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def git_show(repo: Path, commit: str, path: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "show", f"{commit}:{path}"],
                          check=True, capture_output=True, text=True).stdout


def git_ls(repo: Path, commit: str, under: str) -> list[str]:
    out = subprocess.run(["git", "-C", str(repo), "ls-tree", "-r", "--name-only", commit, under],
                         check=True, capture_output=True, text=True).stdout
    return out.split()


def nemo_pairs(text: str, backwards: bool) -> list[tuple[int, str, str]]:
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        if "~" not in line:
            continue
        a, _, b = line.partition("~")
        written, spoken = (b, a) if backwards else (a, b)
        out.append((number, written.strip(), spoken.strip()))
    return out


def _const(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, int)) \
            and not isinstance(node.value, bool):
        return str(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _const(node.operand)
        return None if inner is None else "-" + inner
    return None


def python_pairs(text: str) -> list[tuple[int, str, str]]:
    """(line, written, spoken) from 2-tuples of constants and from
    ``assert f(x) == y`` / ``assertEqual(f(x), y)``."""
    tree = ast.parse(text)
    out = []
    for node in ast.walk(tree):
        pair = None
        if isinstance(node, ast.Tuple) and len(node.elts) == 2:
            a, b = (_const(e) for e in node.elts)
            if a is not None and b is not None and isinstance(node.elts[1], ast.Constant) \
                    and isinstance(node.elts[1].value, str):
                pair = (a, b)
        elif isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.Eq):
            left, right = node.left, node.comparators[0]
            if isinstance(left, ast.Call) and left.args and _const(left.args[0]) is not None \
                    and _const(right) is not None:
                pair = (_const(left.args[0]), _const(right))
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "assertEqual" \
                and len(node.args) >= 2 and isinstance(node.args[0], ast.Call) and node.args[0].args:
            a, b = _const(node.args[0].args[0]), _const(node.args[1])
            if a is not None and b is not None:
                pair = (a, b)
        if pair is not None and any(c.isalpha() for c in pair[1]) and pair[0] != pair[1]:
            out.append((node.lineno, pair[0], pair[1]))
    seen, unique = set(), []
    for item in sorted(out):
        if item[1:] not in seen:
            seen.add(item[1:])
            unique.append(item)
    return unique


def clean(s: str) -> str:
    return " ".join(s.replace("\t", " ").split())


def write(name: str, rows: list[tuple[str, str, str, str]]) -> None:
    lines = ["# ref\tcategory\twritten\tspoken (the peer's expectation)"]
    lines += ["\t".join(clean(x) for x in row) for row in rows]
    (HERE / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(name, len(rows))


SOURCES = {
    # file: (mirror, commit, [paths or prefixes])
    "nemo-tn.tsv": ("NVIDIA+NeMo-text-processing", "1f1263579fe57ba7ed783cad3dddee710fcc5064",
                    "tests/nemo_text_processing/vi/data_text_normalization/"),
    "nemo-itn.tsv": ("NVIDIA+NeMo-text-processing", "1f1263579fe57ba7ed783cad3dddee710fcc5064",
                     "tests/nemo_text_processing/vi/data_inverse_text_normalization/"),
    "sea-g2p.tsv": ("pnnbao97+sea-g2p", "90292b67845b9687cb7e71d5f5edba001ed2439c", "tests/test_normalize.py"),
    "pyvinorm.tsv": ("hoang1007+pyvinorm", "986d2698633d738c2cc7e2e724f07f1abb8020f4", "tests/"),
    "codelink.tsv": ("CodeLinkIO+Vietnamese-text-normalization", "4f7b9ea525de73b95838700abab33b68a96bfe85",
                     "tests/"),
    "num2words.tsv": ("savoirfairelinux+num2words", "07814cb114157f582c40a00119c2e9faba8dcee2",
                      "tests/test_vi.py"),
}


def main(mirrors: Path) -> None:
    for name, (mirror, commit, under) in SOURCES.items():
        repo = mirrors / mirror / "repo"
        rows = []
        for path in git_ls(repo, commit, under):
            text = git_show(repo, commit, path)
            if path.endswith(".txt"):
                category = Path(path).stem.replace("test_cases_", "")
                pairs = nemo_pairs(text, backwards="inverse" in path)
            elif path.endswith(".py"):
                category = Path(path).stem.replace("test_", "")
                pairs = python_pairs(text)
            else:
                continue
            rows += [(f"{path}:{n}", category, w, s) for n, w, s in pairs]
        write(name, rows)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
