"""Preview privacy: token → cookie exchange, refusals."""

from __future__ import annotations

import httpx
import pytest

from appwright.preview import sign_preview_token, verify_preview_token
from appwright.preview.token import InvalidPreviewToken

from .conftest import KEY, Stack

pytestmark = pytest.mark.anyio


async def test_without_cookie_is_401_html(stack: Stack) -> None:
    async with httpx.AsyncClient(base_url=stack.base) as client:
        resp = await client.get("/", headers={"Host": stack.host()})
    assert resp.status_code == 401
    assert resp.headers["content-type"].startswith("text/html")
    assert "private" in resp.text


async def test_token_exchanged_for_cookie_then_page_served(stack: Stack) -> None:
    token = sign_preview_token(KEY, "p1", "u1")
    async with httpx.AsyncClient(base_url=stack.base) as client:
        resp = await client.get(
            f"/__appwright/auth?token={token}&next=/echo", headers={"Host": stack.host()}
        )
        assert resp.status_code == 302
        assert resp.headers["location"] == "/echo"
        set_cookie = resp.headers["set-cookie"]
        assert "HttpOnly" in set_cookie
        assert "Domain" not in set_cookie  # host-only
        value = set_cookie.split(";", 1)[0]
        page = await client.get("/echo", headers={"Host": stack.host(), "Cookie": value})
    assert page.status_code == 200
    assert page.json()["cookie"] is None


@pytest.mark.parametrize(
    "token",
    [
        sign_preview_token(KEY, "p1", "u1", ttl_s=-1),  # expired
        sign_preview_token("another-key-0123456789abcdef0123456789", "p1", "u1"),  # forged
        sign_preview_token(KEY, "p2", "u1"),  # another project
        sign_preview_token(KEY, "p1", "u1", typ="cookie"),  # a cookie is not a link
        "garbage",
    ],
)
async def test_bad_tokens_refused(stack: Stack, token: str) -> None:
    async with httpx.AsyncClient(base_url=stack.base) as client:
        resp = await client.get(f"/__appwright/auth?token={token}", headers={"Host": stack.host()})
    assert resp.status_code == 401
    assert "set-cookie" not in resp.headers


async def test_cookie_of_another_project_refused(stack: Stack) -> None:
    async with httpx.AsyncClient(base_url=stack.base) as client:
        resp = await client.get("/", headers={"Host": stack.host("p1"), **stack.cookie("p2")})
    assert resp.status_code == 401


async def test_open_redirect_refused(stack: Stack) -> None:
    token = sign_preview_token(KEY, "p1", "u1")
    async with httpx.AsyncClient(base_url=stack.base) as client:
        resp = await client.get(
            f"/__appwright/auth?token={token}&next=//evil.example/", headers={"Host": stack.host()}
        )
    assert resp.headers["location"] == "/"


def test_token_roundtrip_and_expiry() -> None:
    token = sign_preview_token(KEY, "p1", "u1", ttl_s=60, now=1000)
    claims = verify_preview_token(KEY, token, "p1", now=1059)
    assert (claims.project_id, claims.user_id) == ("p1", "u1")
    with pytest.raises(InvalidPreviewToken):
        verify_preview_token(KEY, token, "p1", now=1060)
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    with pytest.raises(InvalidPreviewToken):
        verify_preview_token(KEY, tampered, "p1", now=1000)
