"""``unsafe-local`` runs project code unisolated: such a server serves its first account only."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from appwright.app import create_app
from appwright.context import AppContext
from appwright.core.config import Settings
from tests.conftest import empty_database
from tests.helpers import prime_csrf, signup

pytestmark = pytest.mark.anyio


@pytest.fixture
async def unsafe_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    context = AppContext.build(settings.model_copy(update={"sandbox_isolation": "unsafe-local"}))
    transport = httpx.ASGITransport(app=create_app(context.settings, context))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost:8000") as c:
            yield c
    finally:
        await context.autosave.close()
        await empty_database(context)
        await context.close()


async def test_sign_up_closes_after_the_first_account(unsafe_client: httpx.AsyncClient) -> None:
    await signup(unsafe_client, "first@example.com")
    unsafe_client.cookies.clear()
    await prime_csrf(unsafe_client)
    second = await unsafe_client.post(
        "/api/auth/signup",
        json={"email": "second@example.com", "password": "correct horse 2", "name": "Bo"},
    )
    assert second.status_code == 403
    assert "serves its first account only" in second.json()["detail"]
    assert "unsafe-local" in second.json()["detail"]


async def test_an_isolated_server_keeps_sign_up_open(client: httpx.AsyncClient) -> None:
    await signup(client, "first@example.com")
    client.cookies.clear()
    await signup(client, "second@example.com")
