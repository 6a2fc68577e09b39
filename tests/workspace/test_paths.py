"""The single path validator: syntax rules and symlink containment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appwright.workspace.errors import PathRejected
from appwright.workspace.paths import (
    MAX_PATH_LENGTH,
    normalize_path,
    relative_path,
    resolve_path,
)

REJECTED = [
    "../etc/passwd",
    "a/../../b",
    "..",
    "/etc/passwd",
    "//server/share",
    "a\\..\\b",
    "..\\outside",
    "a\x00b",
    "a\nb",
    "C:/Windows",
    "c:foo",
    "~/secrets",
    "~",
    "a//b",
    "a/./b",
    ".git/config",
    "sub/.git/HEAD",
    ".GIT/config",
    ".git./config",
    "%2e%2e/outside",
    "..%2foutside",
    "a%2f..%2f..%2fb",
    "%00",
    "x" * (MAX_PATH_LENGTH + 1),
    "a/" + "b" * 256,
    "",
    ".",
    "./",
]


@pytest.mark.parametrize("path", REJECTED)
def test_rejected_paths(path: str) -> None:
    with pytest.raises(PathRejected) as info:
        normalize_path(path)
    assert info.value.reason


@pytest.mark.parametrize(
    ("path", "canonical"),
    [
        ("src/app.tsx", "src/app.tsx"),
        ("./src/app.tsx", "src/app.tsx"),
        ("src/components/", "src/components"),
        ("a b/ünïcode.txt", "a b/ünïcode.txt"),
        ("100%.txt", "100%.txt"),
        ("a%20b.txt", "a%20b.txt"),
        (".env", ".env"),
        (".github/workflows/ci.yml", ".github/workflows/ci.yml"),
        ("file~", "file~"),
        ("..foo", "..foo"),
    ],
)
def test_accepted_paths(path: str, canonical: str) -> None:
    assert normalize_path(path) == canonical


def test_root_only_when_allowed(tmp_path: Path) -> None:
    assert normalize_path("", allow_root=True) == ""
    assert resolve_path(tmp_path, ".", allow_root=True) == Path(os.path.realpath(tmp_path))


def test_symlink_escape_refused(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "src").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "out").symlink_to(outside)
    (root / "file-out").symlink_to(outside / "x.txt")
    (root / "inside").symlink_to(root / "src")
    (root / "to-git").symlink_to(root / ".git")
    for path in ["out/x.txt", "out", "file-out", "to-git/config", "out/new/deeper.txt"]:
        with pytest.raises(PathRejected):
            resolve_path(root, path)
    for path in ["file-out", "out"]:
        with pytest.raises(PathRejected):
            resolve_path(root, path, follow_final=False)
    real = resolve_path(root, "inside/a.ts")
    assert real == Path(os.path.realpath(root / "src" / "a.ts"))
    assert relative_path(root, real) == "src/a.ts"
    # Without following, a link inside the workspace names the link itself.
    assert resolve_path(root, "inside", follow_final=False).name == "inside"


@given(
    st.lists(
        st.sampled_from(["..", ".", "", "a", "b c", "%2e%2e", "%2f", "\\", "~", ".git", "C:", "é"]),
        min_size=1,
        max_size=6,
    ),
    st.booleans(),
)
def test_any_accepted_path_stays_inside(parts: list[str], leading_slash: bool) -> None:
    import tempfile

    path = ("/" if leading_slash else "") + "/".join(parts)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        try:
            resolved = resolve_path(root, path)
        except PathRejected:
            return
        real_root = os.path.realpath(root)
        assert str(resolved).startswith(real_root + os.sep)
        inner = str(resolved)[len(real_root) + 1 :].split(os.sep)
        assert ".." not in inner and ".git" not in inner
