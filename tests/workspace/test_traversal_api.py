"""Path traversal through every file endpoint: refused, nothing outside the workspace touched.

Clients normalise ``..`` out of URLs, so the literal forms are sent as raw ASGI requests
(the way uvicorn hands a hostile request line to the app).
"""

from __future__ import annotations

import json
import os
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from fastapi import FastAPI

from appwright.app import create_app
from appwright.context import AppContext
from tests.helpers import create_project, signup

pytestmark = pytest.mark.anyio

# (raw path segment as sent on the wire, what it means)
BAD_PATHS = [
    "../outside/secret.txt",
    "a/../../outside/secret.txt",
    "..%2Foutside%2Fsecret.txt",
    "%2e%2e/outside/secret.txt",
    "%252e%252e/outside/secret.txt",
    "..%5Coutside%5Csecret.txt",
    "/etc/passwd",
    "%2Fetc%2Fpasswd",
    "link/secret.txt",
    "link",
    ".git/config",
    ".GIT/config",
]


async def _raw(
    app: FastAPI,
    client: httpx.AsyncClient,
    method: str,
    raw_path: str,
    body: Any = None,
    *,
    query: str = "",
) -> int:
    """Send one request with ``raw_path`` exactly as given; returns the status."""
    payload = json.dumps(body).encode() if body is not None else b""
    headers = [
        (b"host", b"localhost:8000"),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
        (b"x-csrf-token", client.headers["X-CSRF-Token"].encode()),
        (b"cookie", "; ".join(f"{k}={v}" for k, v in client.cookies.items()).encode()),
    ]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": unquote(raw_path),
        "raw_path": raw_path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": headers,
        "server": ("localhost", 8000),
        "client": ("127.0.0.1", 50000),
    }
    sent = False
    status: list[int] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": payload, "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await app(scope, receive, send)
    return status[0]


def _snapshot(root: Path) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = Path(dirpath) / name
            if "objects" in path.relative_to(root).parts:
                continue  # diffs against "working" add loose objects; refs never move
            found[str(path.relative_to(root))] = path.read_bytes()
    return found


async def test_traversal_refused_everywhere(ctx: AppContext, tmp_path: Path) -> None:
    app = create_app(ctx.settings, ctx)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost:8000") as client:
        await signup(client)
        pid = str((await create_project(client, "Site", "static"))["id"])
        workspace = ctx.runtime.workspace_dir(pid)
        outside = workspace.parent / "outside"
        outside.mkdir()
        (outside / "secret.txt").write_text("top secret\n")
        (workspace / "link").symlink_to(outside, target_is_directory=True)
        before = _snapshot(workspace.parent)
        git_before = _snapshot(ctx.settings.repos_dir)

        base = f"/api/files/{pid}/"
        for bad in BAD_PATHS:
            decoded = unquote(bad)
            checks = [
                await _raw(app, client, "GET", base + bad),
                await _raw(app, client, "GET", base + bad, query="raw=1"),
                await _raw(app, client, "PUT", base + bad, {"content": "pwned"}),
                await _raw(app, client, "DELETE", base + bad),
                await _raw(app, client, "GET", f"/api/files/{pid}", query=f"path={bad}"),
                await _raw(app, client, "POST", base + "rename", {"from": decoded, "to": "x.txt"}),
                await _raw(
                    app, client, "POST", base + "rename", {"from": "index.html", "to": decoded}
                ),
                await _raw(app, client, "POST", base + "mkdir", {"path": decoded + "/d"}),
                await _raw(
                    app,
                    client,
                    "GET",
                    f"/api/version-history/{pid}/file",
                    query=f"rev=HEAD&path={bad}",
                ),
            ]
            if not bad.startswith("link"):
                # A diff's path is a git pathspec (inside the repository by construction);
                # the symlink is just a name to git, so only syntax is refused there.
                diff = f"/api/version-history/{pid}/diff"
                checks.append(await _raw(app, client, "GET", diff, query=f"from=HEAD&path={bad}"))
            assert all(400 <= s < 500 for s in checks), (bad, checks)
            # Uploads into a hostile folder, or with a hostile file name.
            up = await client.post(
                f"/api/files/{pid}/upload",
                data={"directory": decoded},
                files=[("files", ("evil.png", b"\x89PNG", "image/png"))],
            )
            assert up.status_code == 400, (bad, up.text)
        named = await client.post(
            f"/api/files/{pid}/upload",
            files=[("files", ("../../outside/evil.png", b"\x89PNG", "image/png"))],
        )
        assert named.status_code == 201 and named.json()["files"][0]["path"] == "evil.png"
        (workspace / "evil.png").unlink()

        assert (outside / "secret.txt").read_text() == "top secret\n"
        assert _snapshot(workspace.parent) == before
        assert _snapshot(ctx.settings.repos_dir) == git_before
        # The tree lists the link as a link and never walks into it.
        tree = (await client.get(f"/api/files/{pid}/tree")).json()
        link = next(c for c in tree["root"]["children"] if c["name"] == "link")
        assert link["type"] == "symlink" and link["children"] == []
        hits = (await client.post(f"/api/files/{pid}/search", json={"query": "top secret"})).json()
        assert hits["hits"] == []
