"""Publishing on push: a verified push to the linked repository's current branch
publishes it, once; a forged, replayed or stale delivery publishes nothing."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from appwright.context import AppContext
from testing.fakes.github import FakeGitHubServer
from tests.deploy.test_local_publish import _verify, site_client
from tests.helpers import create_project, signup
from tests.integrations.test_github import _linked_project, _signed, git

pytestmark = pytest.mark.anyio

__all__ = ["site_client"]  # the fixture, shared


async def _deployments(client: httpx.AsyncClient, pid: str) -> list[dict[str, Any]]:
    history: list[dict[str, Any]] = (await client.get(f"/api/deploy/{pid}/history")).json()
    return history


async def test_a_push_is_published_once_and_nothing_else_publishes(
    client: httpx.AsyncClient,
    ctx: AppContext,
    fake_github: FakeGitHubServer,
    site_client: httpx.AsyncClient,
    tmp_path: Path,
) -> None:
    name = f"onpush-{uuid.uuid4().hex[:8]}"
    pid, link = await _linked_project(client, name)
    await _verify(client, ctx, "ada@example.com")
    secret = link["webhook_secret"]
    assert (await client.post(f"/api/projects/{pid}/github/push", json={})).status_code == 200
    status = await client.put(f"/api/deploy/{pid}/settings", json={"deploy_on_push": True})
    assert status.status_code == 200, status.text
    assert status.json()["deploy_on_push"] is True

    bare = fake_github.state.bare_path(f"ada/{name}")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(bare), str(clone))

    def push(text: str) -> bytes:
        (clone / "index.html").write_text(f"<!doctype html><h1>{text}</h1>\n")
        git(clone, "commit", "-qam", text)
        git(clone, "push", "-q", "origin", "main")
        head = git(clone, "rev-parse", "HEAD").strip()
        return json.dumps({"ref": "refs/heads/main", "after": head}).encode()

    hook = f"/api/webhooks/github/{pid}"
    plain = httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url))

    async def deliver(body: bytes, signature: str | None = None) -> httpx.Response:
        headers = {
            "X-GitHub-Event": "push",
            "X-GitHub-Delivery": str(uuid.uuid4()),  # a replay may carry any delivery id
            "X-Hub-Signature-256": signature or _signed(secret, body),
        }
        return await plain.post(hook, content=body, headers=headers)

    async with plain:
        first = push("From the first push")
        # Forged: nothing pulled, nothing published.
        assert (await deliver(first, _signed("guessed", first))).status_code == 401
        assert await _deployments(client, pid) == []

        answer = (await deliver(first)).json()
        assert answer["status"] == "pulled" and answer["publish"] == "publishing", answer
        await ctx.publisher.wait(uuid.UUID(answer["deployment_id"]))
        [dep] = await _deployments(client, pid)
        assert dep["status"] == "ready", dep
        host = {"Host": f"{dep['url'].split('//')[1].split('.')[0]}.apps.localhost"}
        assert "From the first push" in (await site_client.get("/", headers=host)).text

        # The same delivery again (GitHub's redelivery, or a replay): nothing new.
        again = (await deliver(first)).json()
        assert again["publish"] == "this commit was published already"
        assert len(await _deployments(client, pid)) == 1

        second = push("From the second push")
        answer = (await deliver(second)).json()
        await ctx.publisher.wait(uuid.UUID(answer["deployment_id"]))
        assert "From the second push" in (await site_client.get("/", headers=host)).text
        # An older delivery replayed later does not bring the old version back.
        stale = (await deliver(first)).json()
        assert stale["publish"] == "the pushed commit is not the branch's newest"
        assert len(await _deployments(client, pid)) == 2
        assert "From the second push" in (await site_client.get("/", headers=host)).text

        # Turned off: a push is pulled, not published.
        off = await client.put(f"/api/deploy/{pid}/settings", json={"deploy_on_push": False})
        assert off.json()["deploy_on_push"] is False
        answer = (await deliver(push("Third"))).json()
        assert answer["status"] == "pulled"
        assert answer["publish"] == "publishing on push is off"
        assert len(await _deployments(client, pid)) == 2


async def test_settings_of_another_persons_project_are_not_found(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient
) -> None:
    await signup(client)
    pid = (await create_project(client, "Mine", "static"))["id"]
    await signup(other_client, "eve@example.com")
    theirs = await other_client.put(f"/api/deploy/{pid}/settings", json={"deploy_on_push": True})
    assert theirs.status_code == 404
    bad = await client.put(f"/api/deploy/{pid}/settings", json={"deploy_on_push": "maybe"})
    assert bad.status_code == 422
    assert (await client.get(f"/api/deploy/{pid}/status")).json()["deploy_on_push"] is False
