"""The platform-facing helpers: iframe URL and the supervisor-wired gateway."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from appwright.preview.wiring import gateway_for_supervisor, preview_auth_url, preview_origin

pytestmark = pytest.mark.anyio
KEY = "wiring-key-0123456789abcdef0123456789abcdef"


class FakeSupervisor:
    def __init__(self) -> None:
        self.touched: list[str] = []
        self.woken: list[str] = []

    def upstream(self, project_id: str) -> str | None:
        return None  # hibernated

    def touch(self, project_id: str) -> None:
        self.touched.append(project_id)

    async def ensure_running(self, project_id: str, *, wait: bool = True) -> Any:
        self.woken.append(project_id)


def test_preview_origin_follows_platform_scheme_and_port() -> None:
    assert preview_origin("http://localhost:8000", "preview.localhost", "abc") == (
        "http://abc.preview.localhost:8000"
    )
    assert preview_origin("https://app.example.com", "preview.example.com", "abc") == (
        "https://abc.preview.example.com"
    )


async def test_link_opens_hibernated_preview_and_wakes_it() -> None:
    supervisor = FakeSupervisor()
    gateway = gateway_for_supervisor(
        supervisor,
        key=KEY,
        platform_url="http://localhost:8000",
        preview_domain="preview.localhost",
        fallback_upstream="http://127.0.0.1:9",
    )
    port = await gateway.start("127.0.0.1", 0)
    try:
        url = preview_auth_url(KEY, "http://localhost:8000", "preview.localhost", "p9", "u1")
        path = url.split(":8000", 1)[1]
        host = {"Host": f"p9.preview.localhost:{port}"}
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            auth = await client.get(path, headers=host)
            assert auth.status_code == 302
            cookie = auth.headers["set-cookie"].split(";", 1)[0]
            page = await client.get("/", headers={**host, "Cookie": cookie})
        assert page.status_code == 503
        await asyncio.sleep(0.05)
        assert supervisor.woken == ["p9"]
        assert supervisor.touched == ["p9"]
    finally:
        await gateway.stop()
