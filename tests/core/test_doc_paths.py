"""Every test path the project names exists: docs, README, Makefile, CI and code comments.

docs/SECURITY.md holds each boundary to its tests by path, as
``tests/<folder>/test_<x>.py`` or ``tests/<folder>/test_<x>.py::test_<name>``; the other
docs, the Makefile and comments in code name test folders and files too. A moved or
renamed test must take those references along.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A path under tests/, not part of a longer one, with an optional test name after `::`.
_REFERENCE = re.compile(r"(?<![\w/.-])(tests/[\w/]*\w(?:\.py)?)(?:::(\w+))?")
_TEXTS = ("README.md", "web/README.md", "Makefile", "pyproject.toml", ".ci/run", "scripts")
_CODE = ("appwright", "testing", "tests", "bench")


def _sources() -> list[Path]:
    found: list[Path] = []
    for name in _TEXTS:
        path = ROOT / name
        found += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    found += sorted((ROOT / "docs").glob("*.md"))
    for name in _CODE:
        found += sorted((ROOT / name).rglob("*.py"))
    return found


def missing_references(text: str, root: Path) -> list[str]:
    """The references in ``text`` to a path under ``root`` or a test that is not there."""
    missing: list[str] = []
    for path, name in _REFERENCE.findall(text):
        target = root / path
        if not target.exists():
            missing.append(path)
        elif name and not re.search(rf"^(async )?def {name}\(", target.read_text(), re.MULTILINE):
            missing.append(f"{path}::{name}")
    return missing


def test_every_named_test_path_exists() -> None:
    sources = _sources()
    assert ROOT / "docs" / "SECURITY.md" in sources
    missing = {
        str(path.relative_to(ROOT)): found
        for path in sources
        if (found := missing_references(path.read_text(), ROOT))
    }
    assert missing == {}, f"these name a test path or test that does not exist: {missing}"


def test_a_moved_file_or_a_renamed_test_is_reported(tmp_path: Path) -> None:
    top = "tests"  # spelt apart: this file's own text is scanned too
    (tmp_path / top / "a").mkdir(parents=True)
    (tmp_path / top / "a" / "test_b.py").write_text("async def test_c() -> None: ...\n")
    here, gone = f"{top}/a/test_b.py", f"{top}/a_api/test_b.py"
    text = f"`{here}::test_c`, `{here}::test_d`, ({gone}), see {here} and {top}/a/."
    assert missing_references(text, tmp_path) == [f"{here}::test_d", gone]
