"""The layout rules of docs/ARCHITECTURE.md §2: only a domain's ``repository.py`` runs SQL,
and the tests mirror the package.

Services and endpoints reach the database through their domain's repository (or a lower
domain's service), so a query can be found, reviewed and indexed in one place per domain.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "appwright"
# Where SQL belongs: the repositories, the ORM models, the migrations, the engine setup.
ALLOWED = ("repository.py",)
ALLOWED_DIRS = ("models", "migrations")
QUERY_BUILDERS = {"select", "update", "delete", "insert", "func", "text", "exists"}
SESSION_QUERIES = {"execute", "scalar", "scalars", "stream", "get"}


def _modules() -> list[Path]:
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name not in ALLOWED
        and not set(ALLOWED_DIRS) & set(path.relative_to(PACKAGE).parts[:1])
    ]


def _queries(path: Path) -> list[str]:
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            names = {alias.name for alias in node.names} & QUERY_BUILDERS
            found += [f"imports sqlalchemy.{name}" for name in sorted(names)]
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SESSION_QUERIES
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in {"session", "own", "db"}
        ):
            found.append(f"calls {node.func.value.id}.{node.func.attr}() on line {node.lineno}")
    return found


def test_only_repositories_run_sql() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): problems
        for path in _modules()
        if (problems := _queries(path))
    }
    assert offenders == {}, f"move these queries into the domain's repository.py: {offenders}"


def test_the_rule_sees_a_query_outside_a_repository(tmp_path: Path) -> None:
    module = tmp_path / "service.py"
    module.write_text(
        "from sqlalchemy import select\n"
        "async def f(session):\n"
        "    return await session.scalar(select(1))\n"
    )
    assert _queries(module) == ["imports sqlalchemy.select", "calls session.scalar() on line 3"]


TESTS = PACKAGE.parent / "tests"
# Besides the packages under appwright/: the test-support package beside it (testing/)
# and the product's browser E2E, which crosses every domain.
OTHER_TEST_FOLDERS = {"testing", "e2e"}


def _unmirrored(tests: Path, packages: set[str]) -> list[str]:
    folders = [p for p in sorted(tests.iterdir()) if p.is_dir() and p.name != "__pycache__"]
    return [
        *(f"{p.name}/" for p in folders if p.name not in packages | OTHER_TEST_FOLDERS),
        *(p.name for p in sorted(tests.glob("test_*.py"))),
    ]


def test_tests_mirror_the_package() -> None:
    packages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert {"core", "workspace", "runtime"} <= packages
    unmirrored = _unmirrored(TESTS, packages)
    assert unmirrored == [], (
        f"tests/ holds a folder per package of appwright/ (its API tests included): {unmirrored}"
    )


def test_a_folder_that_names_no_package_is_reported(tmp_path: Path) -> None:
    for folder in ("workspace", "workspace_api", "e2e", "__pycache__"):
        (tmp_path / folder).mkdir()
    (tmp_path / "test_loose.py").write_text("")
    assert _unmirrored(tmp_path, {"workspace"}) == ["workspace_api/", "test_loose.py"]
