"""Published static sites: only the artefact's own regular files, with the right headers."""

from __future__ import annotations

import os
from pathlib import Path

from appwright.preview.sites import Site, SiteFiles


def _site(tmp_path: Path, *, spa: bool = False) -> Site:
    root = tmp_path / "site"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text("<h1>home</h1>")
    (root / "about").mkdir()
    (root / "about" / "index.html").write_text("<h1>about</h1>")
    (root / "assets" / "app-1234.js").write_text("console.log(1)")
    (root / ".env").write_text("SECRET=1")
    return Site(root, "dep-1", spa=spa)


def test_files_folders_and_headers(tmp_path: Path) -> None:
    site, files = _site(tmp_path), SiteFiles()
    home = files.respond(site, "GET", "/?utm=x", None)
    assert (home.status, home.body) == (200, b"<h1>home</h1>")
    headers = dict(home.headers)
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "public, no-cache"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert files.respond(site, "GET", "/about", None).body == b"<h1>about</h1>"
    assert files.respond(site, "GET", "/about/", None).body == b"<h1>about</h1>"
    asset = files.respond(site, "GET", "/assets/app-1234.js", None)
    assert dict(asset.headers)["Cache-Control"] == "public, max-age=31536000, immutable"
    assert dict(asset.headers)["Content-Type"].startswith("text/javascript")
    head = files.respond(site, "HEAD", "/", None)
    assert head.body == b"" and dict(head.headers)["Content-Length"] == "13"
    assert files.respond(site, "GET", "/", headers["ETag"]).status == 304
    assert files.respond(site, "POST", "/", None).status == 405


def test_nothing_outside_the_artefact_or_hidden_is_served(tmp_path: Path) -> None:
    site, files = _site(tmp_path), SiteFiles()
    (tmp_path / "secret.txt").write_text("host secret")
    os.symlink(tmp_path / "secret.txt", site.root / "linked.txt")
    os.symlink(tmp_path, site.root / "up")
    for target in ("/../secret.txt", "/%2e%2e/secret.txt", "/a/../../secret.txt"):
        assert files.respond(site, "GET", target, None).status == 400, target
    for target in ("/linked.txt", "/up/secret.txt", "/.env", "/missing.js"):
        answer = files.respond(site, "GET", target, None)
        assert answer.status == 404, target
        assert b"secret" not in answer.body.lower(), target


def test_single_page_apps_answer_index_for_their_routes(tmp_path: Path) -> None:
    site, files = _site(tmp_path, spa=True), SiteFiles()
    assert files.respond(site, "GET", "/todos/42", None).body == b"<h1>home</h1>"
    # A missing file (with an extension) is still missing.
    assert files.respond(site, "GET", "/assets/gone.js", None).status == 404
