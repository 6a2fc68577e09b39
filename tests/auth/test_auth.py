"""Accounts through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import httpx
import pytest

from appwright.context import AppContext
from appwright.core.mail import OutboxMailer
from tests.helpers import prime_csrf, signup

pytestmark = pytest.mark.anyio


async def _mail_link(ctx: AppContext, kind: str) -> str:
    assert isinstance(ctx.mailer, OutboxMailer)
    for mail in await ctx.mailer.list():
        for link in mail["links"]:
            if f"/{kind}?token=" in link:
                return str(link)
    raise AssertionError(f"no {kind} link in the outbox")


def _token(link: str) -> str:
    match = re.search(r"token=([\w-]+)", link)
    assert match
    return match.group(1)


async def test_signup_signs_in_and_session_shows_user(client: httpx.AsyncClient) -> None:
    user = await signup(client, "Ada@Example.com")
    assert user["email"] == "ada@example.com"
    assert user["email_verified"] is False
    session = await client.get("/api/auth/session")
    assert session.json()["user"]["id"] == user["id"]
    assert "password" not in session.text
    cookies = client.cookies
    assert cookies.get("appwright_access") and cookies.get("appwright_refresh")


async def test_session_cookies_are_httponly_and_csrf_cookie_is_readable(
    client: httpx.AsyncClient,
) -> None:
    first = await client.get("/api/auth/session")
    assert first.json() == {"user": None}
    csrf_header = first.headers["set-cookie"]
    assert "appwright_csrf=" in csrf_header and "HttpOnly" not in csrf_header
    client.headers["X-CSRF-Token"] = client.cookies["appwright_csrf"]
    response = await client.post(
        "/api/auth/signup", json={"email": "b@example.com", "password": "12345678", "name": "B"}
    )
    set_cookies = response.headers.get_list("set-cookie")
    for name in ("appwright_access", "appwright_refresh"):
        header = next(c for c in set_cookies if c.startswith(name + "="))
        assert "HttpOnly" in header and "SameSite=lax" in header


async def test_duplicate_signup_is_refused(client: httpx.AsyncClient) -> None:
    await signup(client)
    response = await client.post(
        "/api/auth/signup", json={"email": "ADA@example.com", "password": "12345678", "name": "A"}
    )
    assert response.status_code == 409
    assert response.json()["error"] == "AlreadyExists"


async def test_weak_or_malformed_signup_gets_clear_422(client: httpx.AsyncClient) -> None:
    await prime_csrf(client)
    response = await client.post(
        "/api/auth/signup", json={"email": "not-an-email", "password": "short", "name": ""}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "ValidationError"
    assert "email" in body["detail"] and "password" in body["detail"]


async def test_signin_signout_and_wrong_password(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient
) -> None:
    await signup(client, password="right password")
    await prime_csrf(other_client)
    wrong = await other_client.post(
        "/api/auth/signin", json={"email": "ada@example.com", "password": "wrong password"}
    )
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "InvalidCredentials"
    unknown = await other_client.post(
        "/api/auth/signin", json={"email": "nobody@example.com", "password": "whatever1"}
    )
    assert unknown.status_code == 401
    assert unknown.json()["detail"] == wrong.json()["detail"]
    ok = await other_client.post(
        "/api/auth/signin", json={"email": "ada@example.com", "password": "right password"}
    )
    assert ok.status_code == 200
    assert (await other_client.get("/api/projects")).status_code == 200
    out = await other_client.post("/api/auth/signout")
    assert out.status_code == 204
    assert (await other_client.get("/api/auth/session")).json() == {"user": None}
    assert (await other_client.get("/api/projects")).status_code == 401


async def test_signout_revokes_the_access_token_server_side(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient
) -> None:
    await signup(client)
    thief = other_client
    thief.cookies.set("appwright_access", client.cookies["appwright_access"])
    assert (await thief.get("/api/projects")).status_code == 200
    await client.post("/api/auth/signout")
    replay = await thief.get("/api/projects")
    assert replay.status_code == 401


async def test_refresh_rotates_and_reuse_revokes_the_family(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient
) -> None:
    await signup(client)
    old_refresh = client.cookies["appwright_refresh"]
    rotated = await client.post("/api/auth/refresh")
    assert rotated.status_code == 200
    new_refresh = client.cookies["appwright_refresh"]
    assert new_refresh != old_refresh
    assert (await client.get("/api/projects")).status_code == 200

    # An attacker replays the old refresh token after rotation: the whole family dies.
    await prime_csrf(other_client)
    other_client.cookies.set("appwright_refresh", old_refresh)
    attacker = await other_client.post("/api/auth/refresh")
    assert attacker.status_code == 401
    assert "used twice" in attacker.json()["detail"]
    # The legitimate holder's newer tokens are revoked too.
    again = await client.post("/api/auth/refresh")
    assert again.status_code == 401
    assert "session has ended" in again.json()["detail"]
    assert (await client.get("/api/projects")).status_code == 401


async def test_csrf_is_required_for_cookie_requests(client: httpx.AsyncClient) -> None:
    await signup(client)
    del client.headers["X-CSRF-Token"]
    missing = await client.post("/api/projects", json={"name": "X", "template": "static"})
    assert missing.status_code == 403
    assert missing.json()["error"] == "CSRFError"
    forged = await client.post(
        "/api/projects",
        json={"name": "X", "template": "static"},
        headers={"X-CSRF-Token": "guessed-value"},
    )
    assert forged.status_code == 403
    listing = await client.get("/api/projects")
    assert listing.json()["total"] == 0  # nothing was created by the refused requests


async def test_signin_is_throttled_per_account(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await signup(client, password="right password")
    limit = ctx.settings.signin_max_failures_per_account
    for _ in range(limit):
        r = await client.post(
            "/api/auth/signin", json={"email": "ada@example.com", "password": "nope nope"}
        )
        assert r.status_code == 401
    blocked = await client.post(
        "/api/auth/signin", json={"email": "ada@example.com", "password": "right password"}
    )
    assert blocked.status_code == 429
    assert blocked.json()["error"] == "TooManyAttempts"
    assert int(blocked.headers["Retry-After"]) > 0


async def test_signin_is_throttled_per_ip(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await prime_csrf(client)
    statuses = []
    for i in range(ctx.settings.signin_max_attempts_per_ip + 1):
        r = await client.post(
            "/api/auth/signin", json={"email": f"user{i}@example.com", "password": "whatever1"}
        )
        statuses.append(r.status_code)
    assert statuses[:-1] == [401] * ctx.settings.signin_max_attempts_per_ip
    assert statuses[-1] == 429


async def test_verify_email_through_the_outbox(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await signup(client)
    outbox = await client.get("/api/dev/outbox")
    assert outbox.status_code == 200
    assert outbox.json()[0]["subject"].startswith("Verify")
    token = _token(await _mail_link(ctx, "verify-email"))
    verified = await client.post("/api/auth/verify-email", json={"token": token})
    assert verified.status_code == 200
    assert verified.json()["user"]["email_verified"] is True
    reused = await client.post("/api/auth/verify-email", json={"token": token})
    assert reused.status_code == 400
    assert reused.json()["error"] == "InvalidToken"


async def test_password_reset_changes_password_and_ends_sessions(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await signup(client, password="old password")
    await prime_csrf(other_client)
    unknown = await other_client.post("/api/auth/reset-password", json={"email": "no@example.com"})
    assert unknown.status_code == 202
    asked = await other_client.post("/api/auth/reset-password", json={"email": "ada@example.com"})
    assert asked.status_code == 202
    token = _token(await _mail_link(ctx, "reset-password"))
    done = await other_client.post(
        "/api/auth/reset-password/confirm", json={"token": token, "password": "new password"}
    )
    assert done.status_code == 204
    assert (await client.get("/api/projects")).status_code == 401  # old session ended
    old = await other_client.post(
        "/api/auth/signin", json={"email": "ada@example.com", "password": "old password"}
    )
    assert old.status_code == 401
    new = await other_client.post(
        "/api/auth/signin", json={"email": "ada@example.com", "password": "new password"}
    )
    assert new.status_code == 200
    assert new.json()["user"]["email_verified"] is True


async def test_api_keys_are_shown_once_work_as_bearer_and_can_be_revoked(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient
) -> None:
    await signup(client)
    created = await client.post("/api/auth/api-keys", json={"name": "CLI"})
    assert created.status_code == 201
    key = created.json()["key"]
    assert key.startswith("aw_")
    listed = (await client.get("/api/auth/api-keys")).json()
    assert [k["name"] for k in listed] == ["CLI"]
    assert key not in str(listed)

    bearer = {"Authorization": f"Bearer {key}"}
    # No cookies, no CSRF header: the key alone authorises, and unsafe methods work.
    made = await other_client.post(
        "/api/projects", json={"name": "Via key", "template": "static"}, headers=bearer
    )
    assert made.status_code == 201
    revoke = await client.delete(f"/api/auth/api-keys/{created.json()['id']}")
    assert revoke.status_code == 204
    after = await other_client.get("/api/projects", headers=bearer)
    assert after.status_code == 401


async def test_profile_and_theme_persist(client: httpx.AsyncClient) -> None:
    await signup(client)
    r = await client.patch("/api/users/me", json={"theme": "dark", "name": "Ada L."})
    assert r.status_code == 200
    session = (await client.get("/api/auth/session")).json()["user"]
    assert session["theme"] == "dark" and session["name"] == "Ada L."
    bad = await client.patch("/api/users/me", json={"theme": "purple"})
    assert bad.status_code == 422
