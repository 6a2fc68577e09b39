"""Connecting Vercel: a person's token, checked with Vercel (the fake) before it is kept,
shown as the account and team it deploys into, never answered back."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from appwright.core.config import Settings
from testing.fakes.vercel import FakeVercelServer, serve
from tests.helpers import signup

pytestmark = pytest.mark.anyio

TOKEN = "vercel_ada_conn_0123456789"
OTHER_TOKEN = "vercel_ada_second_987654321"
TEAM = "team_adaworks"


@pytest.fixture(scope="module")
def fake_vercel() -> Iterator[FakeVercelServer]:
    with serve(step_seconds=0.02) as vercel:
        vercel.state.add_token(TOKEN, "ada", teams=(TEAM,))
        vercel.state.add_token(OTHER_TOKEN, "ada-two")
        yield vercel


@pytest.fixture
def settings(settings: Settings, fake_vercel: FakeVercelServer) -> Settings:
    return settings.model_copy(update={"vercel_api_url": fake_vercel.url})


async def test_connect_show_replace_and_disconnect(client: httpx.AsyncClient) -> None:
    await signup(client, "vercel-conn@example.com")
    assert (await client.get("/api/integrations/vercel")).json()["connected"] is False

    put = await client.put("/api/integrations/vercel", json={"token": TOKEN})
    assert put.status_code == 200, put.text
    shown = put.json()
    assert shown["connected"] is True
    assert shown["username"] == "ada"
    assert shown["team_id"] is None
    assert shown["connected_at"]
    got = await client.get("/api/integrations/vercel")
    assert got.json() == shown
    assert TOKEN not in put.text + got.text

    # Into a team: the team's name is shown; a new token replaces the old one.
    team = await client.put("/api/integrations/vercel", json={"token": TOKEN, "team_id": TEAM})
    assert team.status_code == 200, team.text
    assert team.json()["team_id"] == TEAM
    assert team.json()["team_name"] == f"Team {TEAM}"
    other = await client.put("/api/integrations/vercel", json={"token": OTHER_TOKEN})
    assert other.json()["username"] == "ada-two"
    assert other.json()["team_id"] is None
    assert (await client.get("/api/integrations/vercel")).json()["username"] == "ada-two"

    gone = await client.delete("/api/integrations/vercel")
    assert gone.status_code == 204
    assert (await client.get("/api/integrations/vercel")).json() == {
        "connected": False,
        "username": None,
        "team_id": None,
        "team_name": None,
        "connected_at": None,
    }
    again = await client.delete("/api/integrations/vercel")
    assert again.status_code == 404
    assert "not connected" in again.json()["detail"]


async def test_a_token_vercel_refuses_is_not_kept(client: httpx.AsyncClient) -> None:
    await signup(client, "vercel-bad@example.com")
    bad = await client.put("/api/integrations/vercel", json={"token": "vercel_wrong_token_1"})
    assert bad.status_code == 400, bad.text
    assert bad.json()["error"] == "VercelTokenRefused"
    assert "Vercel refused the token" in bad.json()["detail"]
    assert "vercel_wrong_token_1" not in bad.text
    assert (await client.get("/api/integrations/vercel")).json()["connected"] is False

    # A team the token's account is not in: refused, nothing kept either.
    team = await client.put(
        "/api/integrations/vercel", json={"token": TOKEN, "team_id": "team_strangers"}
    )
    assert team.status_code == 400, team.text
    assert "team_strangers" in team.json()["detail"]
    assert (await client.get("/api/integrations/vercel")).json()["connected"] is False

    blank = await client.put("/api/integrations/vercel", json={"token": "has space"})
    assert blank.status_code == 422


async def test_connections_are_per_person(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient
) -> None:
    await signup(client, "vercel-one@example.com")
    await signup(other_client, "vercel-two@example.com")
    assert (await client.put("/api/integrations/vercel", json={"token": TOKEN})).status_code == 200
    assert (await other_client.get("/api/integrations/vercel")).json()["connected"] is False
    assert (await other_client.delete("/api/integrations/vercel")).status_code == 404
    assert (await client.get("/api/integrations/vercel")).json()["connected"] is True
    client.cookies.clear()
    assert (await client.get("/api/integrations/vercel")).status_code == 401
