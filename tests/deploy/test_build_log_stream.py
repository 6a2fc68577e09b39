"""A build's log as Server-Sent Events: followed while the build runs, replayed after,
ending with the finished deployment; the plain log for other clients."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest

from appwright.context import AppContext
from tests.deploy.test_local_publish import _page, _save, _verified
from tests.helpers import create_project, signup

pytestmark = pytest.mark.anyio

STREAM = {"Accept": "text/event-stream"}


async def _events(client: httpx.AsyncClient, url: str) -> list[tuple[str, Any]]:
    events: list[tuple[str, Any]] = []
    async with client.stream("GET", url, headers=STREAM) as answer:
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/event-stream")
        name = ""
        async for line in answer.aiter_lines():
            if line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: "):
                events.append((name, json.loads(line.removeprefix("data: "))))
    return events


async def test_the_log_streams_while_building_and_ends_with_the_deployment(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await _verified(client, ctx, "log@example.com")
    pid = (await create_project(client, "Logged", "static"))["id"]
    await _save(client, pid, {"index.html": _page("Logged")})
    queued = (await client.post(f"/api/deploy/{pid}/local", json={})).json()
    url = f"/api/deploy/{pid}/logs?deployment_id={queued['id']}"

    events = await _events(client, url)  # opened while queued: follows to the end
    names = [name for name, _ in events]
    assert names[-1] == "done" and set(names[:-1]) == {"log"}, names
    text = "".join(data["text"] for name, data in events if name == "log")
    assert "files ready" in text
    done = events[-1][1]
    assert done["id"] == queued["id"] and done["status"] == "ready"

    # After the end: the same log replayed at once (in one piece or in several), then the
    # same done; plain text for others.
    replay = await _events(client, url)
    assert "".join(data["text"] for name, data in replay if name == "log") == text
    assert replay[-1] == ("done", done)
    plain = await client.get(url)
    assert plain.headers["content-type"].startswith("text/plain")
    assert plain.text == text


async def test_another_persons_log_is_not_found(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await _verified(client, ctx, "mine@example.com")
    pid = (await create_project(client, "Mine", "static"))["id"]
    dep = (await client.post(f"/api/deploy/{pid}/local", json={})).json()
    await ctx.publisher.wait(uuid.UUID(dep["id"]))
    await signup(other_client, "eve@example.com")
    url = f"/api/deploy/{pid}/logs?deployment_id={dep['id']}"
    for headers in (STREAM, {}):
        assert (await other_client.get(url, headers=headers)).status_code == 404
    unknown = f"/api/deploy/{pid}/logs?deployment_id={uuid.uuid4()}"
    assert (await client.get(unknown, headers=STREAM)).status_code == 404
