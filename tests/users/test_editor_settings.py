"""The code editor's settings are kept per person (docs/PRODUCT.md §9)."""

from __future__ import annotations

import httpx
import pytest

from tests.helpers import prime_csrf, signup

pytestmark = pytest.mark.anyio

DEFAULTS = {
    "theme": "auto",
    "font_size": 14,
    "tab_size": 2,
    "auto_save": True,
    "auto_save_delay_ms": 1000,
    "format_on_save": False,
    "minimap": True,
    "word_wrap": False,
}


async def test_defaults_then_saved_settings_survive_a_new_session(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient
) -> None:
    user = await signup(client)
    assert user["editor_settings"] == DEFAULTS

    wanted = {**DEFAULTS, "theme": "vs-dark", "font_size": 16, "tab_size": 4}
    wanted |= {"auto_save": False, "format_on_save": True, "minimap": False}
    r = await client.patch("/api/users/me", json={"editor_settings": wanted})
    assert r.status_code == 200, r.text
    assert r.json()["editor_settings"] == wanted

    # Another browser signing in as the same person sees the same settings.
    await prime_csrf(other_client)
    r = await other_client.post(
        "/api/auth/signin", json={"email": "ada@example.com", "password": "correct horse 1"}
    )
    assert r.status_code == 200, r.text
    assert r.json()["user"]["editor_settings"] == wanted
    session = (await other_client.get("/api/auth/session")).json()["user"]
    assert session["editor_settings"] == wanted

    # Changing something else leaves them alone.
    r = await client.patch("/api/users/me", json={"theme": "dark"})
    assert r.json()["editor_settings"] == wanted


@pytest.mark.parametrize(
    "bad",
    [
        {"font_size": 2},
        {"font_size": 400},
        {"tab_size": 0},
        {"tab_size": 17},
        {"theme": "solarized"},
        {"auto_save_delay_ms": 10},
        {"unknown": True},
    ],
)
async def test_out_of_bounds_settings_are_refused(
    client: httpx.AsyncClient, bad: dict[str, object]
) -> None:
    await signup(client)
    r = await client.patch("/api/users/me", json={"editor_settings": {**DEFAULTS, **bad}})
    assert r.status_code == 422, r.text
    me = (await client.get("/api/users/me")).json()
    assert me["editor_settings"] == DEFAULTS
