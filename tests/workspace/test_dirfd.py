"""A folder swapped for a symbolic link between the path check and its use.

A process in the project's sandbox (and a person controls what runs there) can replace a
folder of the workspace with a link to somewhere else at any moment. These tests put the
swap exactly in the window between the check (which saw a real folder) and the use, the
worst timing a racing process could reach, and check that nothing outside the workspace
is read or changed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from appwright.workspace.dirfd import open_dir
from appwright.workspace.errors import FileNotFound, NotADirectory, PathRejected
from appwright.workspace.paths import resolve_path
from appwright.workspace.scan import DEFAULT_IGNORED, iter_files, open_file

from .conftest import Setup

pytestmark = pytest.mark.anyio


def _swap_for_link(folder: Path, to: Path) -> None:
    shutil.rmtree(folder)
    folder.symlink_to(to, target_is_directory=True)


def test_open_dir_walks_real_folders_only(setup: Setup) -> None:
    root = str(setup.root)
    fd = open_dir(root, "a/b", "a/b/x.txt", create=True)
    os.close(fd)
    assert (setup.root / "a" / "b").is_dir()
    (setup.root / "a" / "file").write_text("x")
    with pytest.raises(NotADirectory):
        open_dir(root, "a/file", "a/file/x.txt")
    with pytest.raises(FileNotFound):
        open_dir(root, "a/missing", "a/missing/x.txt")
    (setup.root / "link").symlink_to(setup.outside, target_is_directory=True)
    with pytest.raises(PathRejected, match="symbolic link"):
        open_dir(root, "link", "link/x.txt", create=True)


async def test_a_write_racing_a_folder_swap_stays_inside(setup: Setup) -> None:
    (setup.root / "sub").mkdir()
    target = resolve_path(setup.root, "sub/sentinel.txt")  # checked: a real folder
    _swap_for_link(setup.root / "sub", setup.outside)  # ... then swapped
    with pytest.raises(PathRejected):
        setup.ws._write_at("sub/sentinel.txt", target, b"pwned", None, None)
    assert setup.sentinel.read_text() == "do not touch"
    assert [p.name for p in setup.outside.iterdir()] == ["sentinel.txt"]  # no temp file


async def test_a_read_racing_a_folder_swap_stays_inside(setup: Setup) -> None:
    (setup.root / "sub").mkdir()
    (setup.root / "sub" / "sentinel.txt").write_text("the project's own")
    _swap_for_link(setup.root / "sub", setup.outside)
    # Through the public API the link is refused up front (it leaves the workspace) ...
    with pytest.raises(PathRejected):
        await setup.ws.read("sub/sentinel.txt")
    # ... and the walk refuses it too when the swap comes after the check.
    with pytest.raises(PathRejected):
        open_dir(str(setup.root), "sub", "sub/sentinel.txt")


async def test_delete_and_rename_through_a_swapped_folder_stay_inside(setup: Setup) -> None:
    for name in ("gone", "moved"):
        (setup.root / name).mkdir()
        (setup.root / name / "sentinel.txt").write_text("inside")
    _swap_for_link(setup.root / "gone", setup.outside)
    _swap_for_link(setup.root / "moved", setup.outside)
    with pytest.raises(PathRejected):
        await setup.ws.delete("gone/sentinel.txt")
    with pytest.raises(PathRejected):
        await setup.ws.rename("moved/sentinel.txt", "elsewhere.txt")
    assert setup.sentinel.read_text() == "do not touch"
    assert not (setup.root / "elsewhere.txt").exists()


def test_a_walk_racing_a_folder_swap_does_not_enter_it(setup: Setup) -> None:
    """Search and export walk the workspace: a folder listed as real and swapped for a
    link before the walk enters it is skipped, and its files are never opened."""
    (setup.root / "a.txt").write_text("first")
    (setup.root / "sub").mkdir()
    (setup.root / "sub" / "sentinel.txt").write_text("the project's own")
    walk = iter_files(str(setup.root), DEFAULT_IGNORED)
    assert next(walk)[0] == "a.txt"  # the root is listed: "sub" is a real folder
    _swap_for_link(setup.root / "sub", setup.outside)
    assert list(walk) == []  # ... and is not entered once it became a link
    assert open_file(str(setup.root), "sub/sentinel.txt") is None
    fd = open_file(str(setup.root), "a.txt")
    assert fd is not None
    os.close(fd)
