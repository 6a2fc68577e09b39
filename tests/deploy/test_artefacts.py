"""A build's output is copied out as file contents only, never through a link."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from appwright.deploy.artefacts import ArtefactRejected, copy_site


def test_links_planted_by_a_build_are_left_out(tmp_path: Path) -> None:
    src = tmp_path / "dist"
    (src / "assets").mkdir(parents=True)
    (src / "index.html").write_text("<h1>app</h1>")
    (src / "assets" / "app.js").write_text("console.log(1)")
    secret = tmp_path / "host-secret"
    secret.write_text("root only")
    os.symlink(secret, src / "leak.txt")
    os.symlink(tmp_path, src / "assets" / "up")
    os.link(src / "index.html", src / "copy.html")
    dest = tmp_path / "site"

    assert copy_site(src, dest) == 3
    assert sorted(str(p.relative_to(dest)) for p in dest.rglob("*")) == [
        "assets", "assets/app.js", "copy.html", "index.html"
    ]  # fmt: skip
    assert not any(p.is_symlink() for p in dest.rglob("*"))
    # Contents, not inodes: the artefact shares nothing with the build's files.
    assert os.stat(dest / "index.html").st_ino != os.stat(src / "index.html").st_ino


def test_an_output_folder_that_is_a_link_is_refused(tmp_path: Path) -> None:
    os.symlink("/etc", tmp_path / "dist")
    with pytest.raises(ArtefactRejected, match="no dist/ folder"):
        copy_site(tmp_path / "dist", tmp_path / "site")
    assert not (tmp_path / "site").exists()
