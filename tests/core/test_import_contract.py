"""The import contracts of ``make lint`` hold, and they do fail when a layer is broken.

``lint-imports`` (pyproject.toml, ``[tool.importlinter]``) keeps ``core`` below every
domain and forbids import cycles between packages at any depth. These tests run it on
the real package, then on copies with one import added that breaks each rule.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), str(ROOT / "pyproject.toml"), "--no-cache", "--no-logo"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _copy_with(tmp_path: Path, module: str, line: str) -> Path:
    tree = tmp_path / "tree"
    shutil.copytree(
        ROOT / "appwright", tree / "appwright", ignore=shutil.ignore_patterns("__pycache__")
    )
    target = tree / "appwright" / module
    target.write_text(target.read_text() + f"\n{line}\n")
    return tree


def test_the_package_keeps_its_import_contracts() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("core/events.py", "import appwright.versions.service", "core imports no domain BROKEN"),
        ("sandbox/base.py", "import appwright.runtime.service", "no import cycles"),
        ("versions/git/types.py", "import appwright.versions.service", "no import cycles"),
    ],
)
def test_a_forbidden_import_fails_the_build(
    tmp_path: Path, module: str, line: str, broken: str
) -> None:
    result = _lint(_copy_with(tmp_path, module, line))
    assert result.returncode != 0
    assert broken in result.stdout


def test_core_is_kept_below_every_package_there_is() -> None:
    """A new domain is covered by the contract the day it is added."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    forbidden = set(
        next(c for c in contracts if c["name"] == "core imports no domain")["forbidden_modules"]
    )
    packages = {
        f"appwright.{p.stem if p.is_file() else p.name}"
        for p in (ROOT / "appwright").iterdir()
        if (p.is_dir() and (p / "__init__.py").exists())
        or (p.suffix == ".py" and p.stem != "__init__")
    }
    assert packages - {"appwright.core"} - {"appwright.__main__"} <= forbidden
