"""Every root-side action is accounted for: docs/SECURITY.md lists it with the test holding it.

The platform runs as root. The scan below finds, in the product's code, every place that
starts a process or changes, copies, walks, extracts or deletes files by tree (the actions
that touch a workspace a sandbox controls, or run a program on its behalf). Each enclosing
function must have a row in SECURITY.md's "Root-side actions" table naming a test that
exists; a row whose function no longer does any of this is stale and fails too.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.core.test_doc_paths import missing_references

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "appwright"
SECURITY = ROOT / "docs" / "SECURITY.md"

# Starting a process (any module).
_SPAWN = {
    "create_subprocess_exec", "create_subprocess_shell", "run_process", "open_process",
    "Popen", "check_output", "check_call", "posix_spawn", "posix_spawnp",
}  # fmt: skip
_OS_SPAWN = {"system", "execv", "execve", "execvp", "execvpe", "spawnv", "spawnve", "fork"}
# File-tree actions, as attributes of these modules (also when passed as a callable).
_TREE = {
    "os": {"chown", "lchown", "fchown", "chmod", "fchmod", "lchmod", "walk", "fwalk", "link"}
    | _OS_SPAWN,
    "shutil": {"copytree", "rmtree", "move", "copy", "copy2", "copyfile", "chown"},
    "subprocess": {"run", "call"},
}
_TAR = {"extractall", "extract"}

_ROW = re.compile(r"^\|\s*`(appwright\.[\w.]+:[\w.]+)`\s*\|(.*)\|\s*$")
_TEST_ID = re.compile(r"`tests/[\w/]+\.py::\w+`")


class _Scanner(ast.NodeVisitor):
    """Collects the root-side actions of one module by enclosing function."""

    def __init__(self, module: str, found: dict[str, list[str]]) -> None:
        self.module, self.found = module, found
        self.stack: list[str] = []

    def _scope(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _scope

    def visit_Attribute(self, node: ast.Attribute) -> None:
        base = node.value.id if isinstance(node.value, ast.Name) else ""
        spawn = node.attr in _SPAWN
        tree = node.attr in _TREE.get(base, set())
        extract = node.attr in _TAR and base not in _TREE
        if spawn or tree or extract:
            key = f"{self.module}:{'.'.join(self.stack) or '<module>'}"
            self.found.setdefault(key, []).append(f"{base}.{node.attr} line {node.lineno}")
        self.generic_visit(node)


def _sites() -> dict[str, list[str]]:
    """``module:qualname`` → what it does there (e.g. ``os.fchown line 96``)."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        _Scanner(module, found).visit(ast.parse(path.read_text(), str(path)))
    return found


def _documented() -> dict[str, str]:
    rows: dict[str, str] = {}
    for line in SECURITY.read_text().splitlines():
        if m := _ROW.match(line):
            rows[m.group(1)] = m.group(2)
    return rows


def test_every_root_side_action_is_listed_with_its_test() -> None:
    sites, rows = _sites(), _documented()
    assert sites, "the scan found nothing: it is broken"
    missing = {k: v for k, v in sites.items() if k not in rows}
    assert not missing, (
        "root-side actions missing from docs/SECURITY.md's 'Root-side actions' table "
        f"(add a row with what it does, why it is safe and its test): {missing}"
    )
    stale = sorted(set(rows) - set(sites))
    assert not stale, f"rows for functions that no longer act as root: {stale}"


def test_every_listed_test_exists() -> None:
    for key, text in _documented().items():
        assert _TEST_ID.search(text), f"{key}: the row names no test (`tests/...py::test_name`)"
        assert missing_references(text, ROOT) == [], f"{key}: names a test that does not exist"
