"""The sandbox API on a real project: dev server, commands, logs, preview links, events."""

from __future__ import annotations

import json
import time

import anyio
import httpx
import pytest

from appwright.context import AppContext
from appwright.core.events import project_topic
from appwright.preview.links import preview_key
from appwright.preview.token import verify_preview_token
from tests.helpers import create_project, signup

pytestmark = [pytest.mark.anyio, pytest.mark.sandbox]


async def _wait_status(client: httpx.AsyncClient, pid: str, wanted: str) -> dict[str, object]:
    deadline = time.monotonic() + 60
    while True:
        status: dict[str, object] = (await client.get(f"/api/sandbox/{pid}/status")).json()
        if status["status"] == wanted or time.monotonic() > deadline:
            return status
        await anyio.sleep(0.1)


def _events(body: str) -> list[tuple[str, dict[str, object]]]:
    events = []
    for block in body.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


async def test_dev_server_lifecycle_logs_and_commands(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await signup(client)
    project = await create_project(client, "Site", "static")
    pid = project["id"]
    assert (await client.get(f"/api/sandbox/{pid}/status")).json()["status"] == "not_started"

    started = await client.post("/api/sandbox/create", json={"project_id": pid})
    assert started.status_code == 200
    status = await _wait_status(client, pid, "running")
    assert status["status"] == "running"
    assert status["isolation"] in ("bubblewrap", "unsafe-local")
    stats = status["stats"]
    assert isinstance(stats, dict)
    assert stats["process_count"] >= 1

    logs = (await client.get(f"/api/sandbox/{pid}/logs")).json()
    assert any("ready" in line["text"] for line in logs)

    # The dev server really serves the template's page.
    upstream = ctx.runtime.supervisor.upstream(pid)
    assert upstream
    async with httpx.AsyncClient() as direct:
        page = await direct.get(upstream + "/")
    assert page.status_code == 200
    assert "<html" in page.text.lower()

    run = await client.post(
        f"/api/sandbox/{pid}/execute", json={"command": "ls && echo done >&2", "timeout": 20}
    )
    assert run.status_code == 200
    events = _events(run.text)
    out = "".join(str(d["data"]) for kind, d in events if kind == "stdout")
    err = "".join(str(d["data"]) for kind, d in events if kind == "stderr")
    assert "index.html" in out
    assert "done" in err
    assert events[-1][0] == "exit"
    assert events[-1][1]["exit_code"] == 0

    slow = await client.post(
        f"/api/sandbox/{pid}/execute", json={"command": "sleep 30", "timeout": 1}
    )
    last = _events(slow.text)[-1]
    assert last[0] == "exit"
    assert last[1]["timed_out"] is True

    restarted = await client.post(f"/api/sandbox/{pid}/restart")
    assert restarted.status_code == 200
    assert (await _wait_status(client, pid, "running"))["status"] == "running"

    stopped = await client.delete(f"/api/sandbox/{pid}")
    assert stopped.json()["status"] == "stopped"


async def test_status_changes_are_published_to_the_project_topic(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await signup(client)
    pid = (await create_project(client, "Site", "static"))["id"]
    seen: list[str] = []

    async def listen() -> None:
        async for event in ctx.events.subscribe(project_topic(pid)):
            if event.type == "sandbox:status":
                seen.append(str(event.data["status"]))
            elif event.type == "preview:refresh":
                seen.append("preview:refresh")
                return

    async with anyio.create_task_group() as tg:
        tg.start_soon(listen)
        await anyio.sleep(0.05)
        await client.post("/api/sandbox/create", json={"project_id": pid})
        with anyio.fail_after(60):
            while "preview:refresh" not in seen:
                await anyio.sleep(0.05)
    assert seen[0] == "starting"
    assert seen[-2:] == ["running", "preview:refresh"]
    await client.delete(f"/api/sandbox/{pid}")


async def test_preview_link_is_signed_for_owner_and_project(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    user = await signup(client)
    pid = (await create_project(client, "Site", "static"))["id"]
    link = (await client.post(f"/api/sandbox/{pid}/preview-link")).json()
    assert link["origin"] == f"http://{pid}.preview.localhost:8000"
    assert link["url"].startswith(link["origin"] + "/__appwright/auth?token=")
    token = link["url"].split("token=")[1].split("&")[0]
    claims = verify_preview_token(preview_key(ctx.settings), token, pid)
    assert claims.user_id == user["id"]
    await client.delete(f"/api/sandbox/{pid}")


async def test_another_person_cannot_touch_the_sandbox(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient
) -> None:
    await signup(client, "owner@example.com")
    pid = (await create_project(client, "Mine", "static"))["id"]
    await signup(other_client, "other@example.com")
    for method, url, body in [
        ("POST", "/api/sandbox/create", {"project_id": pid}),
        ("GET", f"/api/sandbox/{pid}/status", None),
        ("GET", f"/api/sandbox/{pid}/logs", None),
        ("POST", f"/api/sandbox/{pid}/restart", None),
        ("POST", f"/api/sandbox/{pid}/execute", {"command": "cat /etc/passwd"}),
        ("POST", f"/api/sandbox/{pid}/preview-link", None),
        ("DELETE", f"/api/sandbox/{pid}", None),
    ]:
        r = await other_client.request(method, url, json=body)
        assert r.status_code == 404, (method, url)
    assert (await client.get(f"/api/sandbox/{pid}/status")).json()["status"] == "not_started"


async def test_execute_refuses_a_cwd_outside_the_project(client: httpx.AsyncClient) -> None:
    await signup(client)
    pid = (await create_project(client, "Site", "static"))["id"]
    for cwd in ("/etc", "../..", "src/../../x"):
        r = await client.post(f"/api/sandbox/{pid}/execute", json={"command": "pwd", "cwd": cwd})
        assert r.status_code == 400, cwd
