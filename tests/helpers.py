"""Helpers for API tests: act as a browser would (CSRF cookie echoed in the header)."""

from __future__ import annotations

from typing import Any

import httpx


async def prime_csrf(client: httpx.AsyncClient) -> str:
    """Fetch the session once (sets the CSRF cookie) and echo it on every later request."""
    response = await client.get("/api/auth/session")
    assert response.status_code == 200
    token = client.cookies.get("appwright_csrf")
    assert token
    client.headers["X-CSRF-Token"] = token
    return token


async def signup(
    client: httpx.AsyncClient, email: str = "ada@example.com", password: str = "correct horse 1"
) -> dict[str, Any]:
    await prime_csrf(client)
    response = await client.post(
        "/api/auth/signup", json={"email": email, "password": password, "name": "Ada"}
    )
    assert response.status_code == 201, response.text
    user: dict[str, Any] = response.json()["user"]
    return user


async def create_project(
    client: httpx.AsyncClient, name: str = "Shop", template: str = "nextjs", **extra: Any
) -> dict[str, Any]:
    response = await client.post(
        "/api/projects", json={"name": name, "template": template, **extra}
    )
    assert response.status_code == 201, response.text
    project: dict[str, Any] = response.json()
    return project
