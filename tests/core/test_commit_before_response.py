"""What a request writes is committed before its answer leaves the server.

A client acts on an answer at once (a sign-up is followed by its first call, possibly on
another connection): the data it was just told about must already be visible to every
other database session. A commit that ran after the response was sent answered such a
follow-up 401 on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from appwright.app import create_app
from appwright.context import AppContext
from appwright.models import AuthSession, Project

pytestmark = pytest.mark.anyio

Message = MutableMapping[str, Any]


async def test_writes_are_visible_elsewhere_when_the_answer_is_sent(ctx: AppContext) -> None:
    app = create_app(ctx.settings, ctx)
    seen_at_answer: dict[str, int] = {}

    async def count(model: type[AuthSession] | type[Project]) -> int:
        async with ctx.sessions() as other:  # a session of its own, as a next request has
            return int(await other.scalar(select(func.count()).select_from(model)) or 0)

    async def watched(scope: Message, receive: Any, send: Any) -> None:
        async def send_and_look(message: Message) -> None:
            if message["type"] == "http.response.start" and scope["method"] == "POST":
                seen_at_answer[scope["path"]] = await count(
                    AuthSession if scope["path"] == "/api/auth/signup" else Project
                )
            await send(message)

        await app(scope, receive, send_and_look)

    transport = httpx.ASGITransport(app=watched)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost:8000") as c:
        await c.get("/api/auth/session")
        c.headers["X-CSRF-Token"] = c.cookies["appwright_csrf"]
        r = await c.post(
            "/api/auth/signup",
            json={"email": "quick@example.com", "password": "quick-pass-1", "name": "Q"},
        )
        assert r.status_code == 201, r.text
        r = await c.post("/api/projects", json={"name": "At once", "template": "static"})
        assert r.status_code == 201, r.text
    assert seen_at_answer == {"/api/auth/signup": 1, "/api/projects": 1}
