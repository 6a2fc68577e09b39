"""Request bodies are limited before anything parses them (in-process app, SQLite and
PostgreSQL): a declared Content-Length over the limit is refused unread, a streamed body
is cut at the limit, and the routes that take large bodies keep their own limits."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import httpx
import pytest

from appwright.context import AppContext
from tests.core.rss import PeakRss
from tests.helpers import create_project, prime_csrf, signup

pytestmark = pytest.mark.anyio

MIB = 1024 * 1024
CHUNK = bytes(64 * 1024)
TOOLARGE = {"error": "PayloadTooLarge", "detail": "The request body is larger than 1 MiB."}


class Stream:
    """``total`` bytes streamed from one 64 KiB buffer (nothing allocated), counting what
    the server pulled."""

    def __init__(self, total: int = 200 * MIB) -> None:
        self.total = total
        self.sent = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.sent < self.total:
            self.sent += len(CHUNK)
            yield CHUNK


async def test_declared_200_mib_signin_body_is_refused_unread(
    client: httpx.AsyncClient,
) -> None:
    await prime_csrf(client)
    body = Stream()
    started = time.monotonic()
    with PeakRss() as rss:
        response = await client.post(
            "/api/auth/signin",
            content=body,
            headers={"Content-Type": "application/json", "Content-Length": str(body.total)},
        )
    assert response.status_code == 413
    assert response.json() == TOOLARGE
    assert body.sent == 0  # not one byte read
    assert time.monotonic() - started < 2
    assert rss.growth_mib < 8


async def test_streamed_200_mib_signin_body_is_cut_at_the_limit(
    client: httpx.AsyncClient,
) -> None:
    await prime_csrf(client)  # CSRF passes: the app really reads the body
    body = Stream()
    with PeakRss() as rss:
        response = await client.post(
            "/api/auth/signin", content=body, headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 413
    assert response.json() == TOOLARGE
    assert body.sent <= MIB + 2 * len(CHUNK)
    assert rss.growth_mib < 8


async def test_a_body_under_the_limit_reaches_the_endpoint(client: httpx.AsyncClient) -> None:
    await prime_csrf(client)
    padded = {"email": "a@example.com", "password": "x" * (MIB - 1024)}
    response = await client.post("/api/auth/signin", json=padded)
    assert response.status_code == 422  # validated (password too long), not refused unread


async def test_uploads_and_file_writes_keep_their_larger_limits(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await signup(client)
    pid = (await create_project(client, "Site", "static"))["id"]
    png = b"\x89PNG\r\n\x1a\n" + bytes(2 * MIB)
    uploaded = await client.post(
        f"/api/files/{pid}/upload", files=[("files", ("big.png", png, "image/png"))]
    )
    assert uploaded.status_code == 201, uploaded.text
    text = "x" * (2 * MIB)
    written = await client.put(f"/api/files/{pid}/data.txt", json={"content": text})
    assert written.status_code == 201, written.text

    upload_limit = ctx.settings.file_upload_max_bytes + MIB
    refused = await client.post(
        f"/api/files/{pid}/upload",
        content=Stream(upload_limit + 1),
        headers={
            "Content-Type": "multipart/form-data; boundary=x",
            "Content-Length": str(upload_limit + 1),
        },
    )
    assert refused.status_code == 413
    assert refused.json()["detail"] == "The request body is larger than 11 MiB."
    # Only the upload route takes that much: the same body elsewhere gets the default.
    other = await client.post(
        f"/api/files/{pid}/mkdir",
        content=Stream(2 * MIB),
        headers={"Content-Type": "application/json", "Content-Length": str(2 * MIB)},
    )
    assert other.status_code == 413
    assert other.json() == TOOLARGE
