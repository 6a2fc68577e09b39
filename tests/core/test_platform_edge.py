"""The platform's edge as `appwright run` serves it (gateway → uvicorn on a unix socket):
names it does not serve are refused on every path, the platform's answers carry the CSP
and preview answers do not, and a 200 MiB body costs the server no memory.

These tests do not depend on the database: they run on SQLite only."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from appwright.migrations import upgrade_sync
from appwright.preview.inject import MARKER
from tests.core.conftest import PREVIEW_PAGE, SPA_INDEX, Platform, raw_request
from tests.core.rss import PeakRss

pytestmark = pytest.mark.anyio

MIB = 1024 * 1024
CHUNK = bytes(64 * 1024)


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('sqlite') / 'appwright.db'}"
    upgrade_sync(url)
    return url


async def _get(platform: Platform, path: str, host: str, **headers: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=platform.url) as client:
        return await client.get(path, headers={"Host": host, **headers})


def _upgrade(host: str, path: str = "/ws/projects/00000000-0000-0000-0000-000000000000") -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    ).encode()


# --- Host ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "localhost.evil.example:{port}",
        "a.b.preview.localhost:{port}",  # under the preview domain, but no project name
        "preview.localhost:{port}",
        "10.0.0.1:{port}",
    ],
)
async def test_foreign_host_is_refused_on_api_spa_and_websocket(
    platform: Platform, host: str
) -> None:
    host = host.format(port=platform.port)
    for path in ("/api/health", "/api/auth/session", "/", "/signin"):
        response = await _get(platform, path, host)
        assert response.status_code == 421, (path, response.text)
        assert response.json()["error"] == "MisdirectedRequest"
        assert "APPWRIGHT_ALLOWED_HOSTS" in response.json()["detail"]
    head = await raw_request(platform, _upgrade(host))
    assert head.startswith(b"HTTP/1.1 421 "), head


@pytest.mark.parametrize("host", ["localhost:{port}", "127.0.0.1:{port}", "[::1]:{port}"])
async def test_the_platforms_own_names_are_served(platform: Platform, host: str) -> None:
    host = host.format(port=platform.port)
    assert (await _get(platform, "/api/health", host)).json() == {"status": "ok"}
    assert (await _get(platform, "/", host)).text == SPA_INDEX
    # The socket itself answers (4403: no session), it is not refused by name.
    head = await raw_request(platform, _upgrade(host))
    assert not head.startswith(b"HTTP/1.1 421 "), head


async def test_missing_host_is_a_400(platform: Platform) -> None:
    head = await raw_request(platform, b"GET /api/health HTTP/1.0\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 "), head


# --- CSP -------------------------------------------------------------------------------


async def test_csp_on_the_spa_and_the_api(platform: Platform) -> None:
    preview_origins = f"http://*.preview.localhost:{platform.port}"
    for path in ("/", "/projects/x", "/assets/app.js", "/api/health", "/api/projects"):
        response = await _get(platform, path, platform.host)
        csp = response.headers.get("content-security-policy", "")
        directives = {d.split()[0]: d.split()[1:] for d in csp.split("; ") if d}
        assert directives["default-src"] == ["'self'"], path
        assert directives["img-src"] == ["'self'", "data:", "blob:"]
        assert directives["frame-src"] == [preview_origins]
        assert directives["connect-src"] == ["'self'", f"ws://localhost:{platform.port}"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["object-src"] == ["'none'"]
        assert directives["base-uri"] == ["'self'"]
        assert directives["form-action"] == ["'self'"]
        assert "'unsafe-eval'" not in csp
        assert "'unsafe-inline'" not in directives["script-src"]


async def test_no_platform_csp_on_preview_answers(platform: Platform) -> None:
    page = await _get(
        platform, "/", platform.preview_host(), Accept="text/html", **platform.preview_cookie()
    )
    assert page.status_code == 200
    assert PREVIEW_PAGE.split("<body>")[1] in page.text and MARKER in page.text
    private = await _get(platform, "/", platform.preview_host())  # no cookie: 401 page
    assert private.status_code == 401
    for response in (page, private):
        csp = response.headers.get("content-security-policy", "")
        assert "default-src" not in csp and "img-src" not in csp
        assert csp.startswith("frame-ancestors 'self' http://localhost:")


# --- Body limits -----------------------------------------------------------------------


class Stream:
    def __init__(self, total: int = 200 * MIB) -> None:
        self.total = total
        self.sent = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.sent < self.total:
            self.sent += len(CHUNK)
            yield CHUNK


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
async def test_200_mib_signin_body_is_413_without_memory_growth(
    platform: Platform, declared: bool, tmp_path: Path
) -> None:
    body = Stream()
    headers = {"Host": platform.host, "Content-Type": "application/json"}
    if declared:
        headers["Content-Length"] = str(body.total)
    async with httpx.AsyncClient(base_url=platform.url, timeout=60) as client:
        # Signed out, with the CSRF token: the chunked body really reaches the sign-in.
        await client.get("/api/auth/session", headers={"Host": platform.host})
        headers["X-CSRF-Token"] = client.cookies["appwright_csrf"]
        started = time.monotonic()
        with PeakRss() as rss:
            response = await client.post("/api/auth/signin", content=body, headers=headers)
    assert response.status_code == 413
    assert response.json() == {
        "error": "PayloadTooLarge",
        "detail": "The request body is larger than 1 MiB.",
    }
    # The client sends its whole body before it reads the answer; the server drops it.
    assert time.monotonic() - started < 30
    assert rss.growth_mib < 8, f"the process grew by {rss.growth_mib:.1f} MiB"


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
async def test_a_refused_preview_request_drops_its_body_unbuffered(
    platform: Platform, declared: bool
) -> None:
    body = Stream(15 * MIB)  # under the gateway's 16 MiB cap for a body it drops
    headers = {"Host": platform.preview_host(), "Content-Type": "application/octet-stream"}
    if declared:
        headers["Content-Length"] = str(body.total)
    async with httpx.AsyncClient(base_url=platform.url, timeout=60) as client:
        with PeakRss() as rss:
            response = await client.post("/upload", content=body, headers=headers)
    assert response.status_code == 401  # no preview cookie
    assert body.sent >= body.total
    assert rss.growth_mib < 8, f"the process grew by {rss.growth_mib:.1f} MiB"
