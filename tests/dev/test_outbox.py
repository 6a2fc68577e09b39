"""The development mail outbox: signed-in only, and only the mails sent to one's own address
(SQLite and PostgreSQL)."""

from __future__ import annotations

import httpx
import pytest

from appwright.app import create_app
from appwright.context import AppContext
from appwright.core.config import Settings
from tests.conftest import empty_database
from tests.helpers import prime_csrf, signup

pytestmark = pytest.mark.anyio


async def test_outbox_without_sign_in_is_401_and_shows_nothing(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient
) -> None:
    await signup(client, "ada@example.com")  # a verification mail is in the outbox now
    await prime_csrf(other_client)
    asked = await other_client.post("/api/auth/reset-password", json={"email": "ada@example.com"})
    assert asked.status_code == 202

    anonymous = await other_client.get("/api/dev/outbox")
    assert anonymous.status_code == 401
    assert anonymous.json()["error"] == "NotAuthenticated"
    assert "outbox/" in anonymous.json()["detail"]  # where a signed-out person finds the link
    assert "token=" not in anonymous.text


async def test_outbox_shows_only_the_signed_in_users_mail(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient
) -> None:
    await signup(client, "Ada@Example.com")
    await signup(other_client, "bob@example.com")
    # A reset for Ada asked by someone else: a mail to Ada, never shown to Bob.
    asked = await other_client.post("/api/auth/reset-password", json={"email": "ada@example.com"})
    assert asked.status_code == 202

    ada = await client.get("/api/dev/outbox")
    assert ada.status_code == 200
    assert {m["to"] for m in ada.json()} == {"ada@example.com"}
    assert sorted(m["subject"].split()[0] for m in ada.json()) == ["Reset", "Verify"]

    bob = await other_client.get("/api/dev/outbox")
    assert bob.status_code == 200
    assert [(m["to"], m["subject"].split()[0]) for m in bob.json()] == [
        ("bob@example.com", "Verify")
    ]
    assert "ada@example.com" not in bob.text


async def test_outbox_with_an_api_key_shows_the_keys_owner_mail(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient
) -> None:
    await signup(client, "ada@example.com")
    await signup(other_client, "bob@example.com")
    key = (await client.post("/api/auth/api-keys", json={"name": "cli"})).json()["key"]
    plain = httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url))
    async with plain:
        mails = await plain.get("/api/dev/outbox", headers={"Authorization": f"Bearer {key}"})
    assert mails.status_code == 200
    assert {m["to"] for m in mails.json()} == {"ada@example.com"}


async def test_outbox_is_off_outside_development(settings: Settings) -> None:
    context = AppContext.build(settings.model_copy(update={"env": "test"}))
    try:
        transport = httpx.ASGITransport(app=create_app(context.settings, context))
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost:8000") as c:
            await signup(c, "ada@example.com")
            response = await c.get("/api/dev/outbox")
        assert response.status_code == 404
    finally:
        await empty_database(context)
        await context.close()
