"""The project WebSocket over a real server: owner only, platform origin only, live events."""

from __future__ import annotations

import json

import anyio
import httpx
import pytest
import websockets

from tests.conftest import LiveServer

pytestmark = [pytest.mark.anyio, pytest.mark.sandbox]


async def _signed_in(live: LiveServer, email: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=live.url)
    await client.get("/api/auth/session")
    client.headers["X-CSRF-Token"] = client.cookies["appwright_csrf"]
    r = await client.post(
        "/api/auth/signup", json={"email": email, "password": "password1", "name": "N"}
    )
    assert r.status_code == 201
    return client


def _ws_url(live: LiveServer, pid: str) -> str:
    return live.url.replace("http://", "ws://") + f"/ws/projects/{pid}"


def _cookie(client: httpx.AsyncClient) -> str:
    return f"appwright_access={client.cookies['appwright_access']}"


async def test_owner_receives_sandbox_status_events(live_server: LiveServer) -> None:
    owner = await _signed_in(live_server, "owner@example.com")
    pid = (await owner.post("/api/projects", json={"name": "S", "template": "static"})).json()["id"]
    origin = live_server.settings.base_url
    async with websockets.connect(
        _ws_url(live_server, pid), additional_headers={"Cookie": _cookie(owner), "Origin": origin}
    ) as ws:
        hello = json.loads(await ws.recv())
        assert hello["type"] == "hello"
        await owner.post("/api/sandbox/create", json={"project_id": pid})
        statuses = []
        with anyio.fail_after(60):
            while "running" not in statuses:
                event = json.loads(await ws.recv())
                if event["type"] == "sandbox:status":
                    statuses.append(event["data"]["status"])
        assert statuses[0] == "starting"
        await ws.send(json.dumps({"type": "ping"}))
        with anyio.fail_after(10):
            while json.loads(await ws.recv())["type"] != "pong":
                pass
    await owner.delete(f"/api/sandbox/{pid}")
    await owner.aclose()


async def test_strangers_and_other_sites_are_refused(live_server: LiveServer) -> None:
    owner = await _signed_in(live_server, "owner@example.com")
    pid = (await owner.post("/api/projects", json={"name": "S", "template": "static"})).json()["id"]
    stranger = await _signed_in(live_server, "stranger@example.com")
    origin = live_server.settings.base_url
    refusals = [
        {"Cookie": _cookie(stranger), "Origin": origin},  # not the owner
        {"Cookie": _cookie(owner), "Origin": "http://evil.example"},  # cross-site page
        {"Origin": origin},  # not signed in
    ]
    for headers in refusals:
        # Refused during the handshake: the socket never opens.
        with pytest.raises(websockets.InvalidStatus) as refused:
            async with websockets.connect(_ws_url(live_server, pid), additional_headers=headers):
                pass
        assert refused.value.response.status_code == 403
    await owner.aclose()
    await stranger.aclose()
