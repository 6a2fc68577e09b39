"""Another person gets 404 from every file, version and GitHub endpoint of a project."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from appwright.context import AppContext
from tests.helpers import create_project, signup

pytestmark = pytest.mark.anyio


async def test_every_project_endpoint_is_404_for_another_person(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await signup(client)
    pid = str((await create_project(client, "Site", "static"))["id"])
    original = (await client.get(f"/api/files/{pid}/index.html")).json()["content"]
    head = (await client.get(f"/api/version-history/{pid}")).json()["items"][0]["hash"]
    await signup(other_client, "eve@example.com")
    await other_client.put("/api/integrations/github", json={"token": "ghp_bob_token_123456"})

    files = f"/api/files/{pid}"
    versions = f"/api/version-history/{pid}"
    calls: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", f"{files}/tree", {}),
        ("GET", f"{files}/index.html", {}),
        ("GET", files, {"params": {"path": "index.html"}}),
        ("PUT", f"{files}/index.html", {"json": {"content": "pwned"}}),
        ("DELETE", f"{files}/index.html", {}),
        ("POST", f"{files}/rename", {"json": {"from": "index.html", "to": "x.html"}}),
        ("POST", f"{files}/mkdir", {"json": {"path": "x"}}),
        ("POST", f"{files}/search", {"json": {"query": "html"}}),
        ("POST", f"{files}/search", {"json": {"query": "html", "replace": "x"}}),
        ("POST", f"{files}/upload", {"files": [("files", ("a.png", b"x", "image/png"))]}),
        ("GET", f"{files}/download", {}),
        ("GET", f"/api/projects/{pid}/download", {}),
        ("GET", versions, {}),
        ("GET", f"{versions}/status", {}),
        ("POST", f"{versions}/save", {"json": {}}),
        ("GET", f"{versions}/diff", {"params": {"from": "HEAD"}}),
        ("GET", f"{versions}/file", {"params": {"rev": "HEAD", "path": "index.html"}}),
        ("POST", f"{versions}/revert", {"json": {"commit_hash": head}}),
        ("POST", f"{versions}/restore-to-message", {"json": {"message_id": pid}}),
        ("GET", f"{versions}/branches", {}),
        ("POST", f"{versions}/branches", {"json": {"name": "b"}}),
        ("POST", f"{versions}/branches/switch", {"json": {"name": "main"}}),
        ("POST", f"{versions}/branches/merge", {"json": {"source": "main"}}),
        ("DELETE", f"{versions}/branches/main", {}),
        ("GET", f"/api/projects/{pid}/github", {}),
        ("POST", f"/api/projects/{pid}/github/repository", {"json": {"name": "stolen"}}),
        ("PUT", f"/api/projects/{pid}/github/repository", {"json": {"full_name": "a/b"}}),
        ("DELETE", f"/api/projects/{pid}/github/repository", {}),
        ("POST", f"/api/projects/{pid}/github/push", {"json": {}}),
        ("POST", f"/api/projects/{pid}/github/pull", {"json": {}}),
    ]
    for method, url, kwargs in calls:
        response = await other_client.request(method, url, **kwargs)
        assert response.status_code == 404, (method, url, response.status_code)
        assert response.json()["error"] == "ResourceNotFound", (method, url)

    assert (await client.get(f"/api/files/{pid}/index.html")).json()["content"] == original
    timeline = (await client.get(f"/api/version-history/{pid}")).json()["items"]
    assert [v["hash"] for v in timeline] == [head]
