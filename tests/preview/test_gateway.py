"""The preview gateway in front of a real upstream (Starlette under uvicorn)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import httpx
import pytest
import websockets

from appwright.preview.inject import MARKER

from .conftest import PAGE, PLATFORM, Stack

pytestmark = pytest.mark.anyio


def _socket(stack: Stack) -> socket.socket:
    # *.localhost may not resolve outside browsers: connect by IP, keep the Host name.
    return socket.create_connection(("127.0.0.1", stack.port))


async def test_html_gets_the_script_once_and_frame_policy(stack: Stack) -> None:
    async with httpx.AsyncClient(base_url=stack.base) as client:
        resp = await client.get(
            "/", headers={"Host": stack.host(), "Accept": "text/html", **stack.cookie()}
        )
    assert resp.status_code == 200
    assert resp.text.count(MARKER) == 1
    assert resp.text.index(MARKER) < resp.text.index("<title>")
    assert f"frame-ancestors 'self' {PLATFORM}" in resp.headers["content-security-policy"]
    assert int(resp.headers["content-length"]) == len(resp.content)
    assert '"http://localhost:9"' in resp.text  # posts only to the platform origin


async def test_gzip_html_is_decoded_and_instrumented(stack: Stack) -> None:
    async with httpx.AsyncClient(base_url=stack.base) as client:
        resp = await client.get("/gz", headers={"Host": stack.host(), **stack.cookie()})
    assert resp.status_code == 200
    assert "content-encoding" not in resp.headers
    assert resp.text.count(MARKER) == 1
    assert "<h1>hello</h1>" in resp.text


async def test_js_and_json_untouched(stack: Stack) -> None:
    async with httpx.AsyncClient(base_url=stack.base) as client:
        js = await client.get("/app.js", headers={"Host": stack.host(), **stack.cookie()})
        data = await client.get("/data.json", headers={"Host": stack.host(), **stack.cookie()})
    assert js.text == "console.log('<head>')"
    assert data.json() == {"html": "<head>"}


async def test_post_body_keepalive_and_cookie_stripped(stack: Stack) -> None:
    async with httpx.AsyncClient(base_url=stack.base) as client:
        for i in range(3):  # one connection, several requests
            resp = await client.post(
                "/echo",
                content=f"payload-{i}" * 1000,
                headers={"Host": stack.host(), "X-Forwarded-For": "6.6.6.6", **stack.cookie()},
            )
            body = resp.json()
            assert body["method"] == "POST"
            assert body["body"] == f"payload-{i}" * 1000
            assert body["cookie"] == "theme=dark"  # the preview cookie never reaches the app
            assert body["host"] == stack.host()
            assert body["forwarded_for"] == "127.0.0.1"


async def test_chunked_request_and_streamed_response(stack: Stack) -> None:
    async def gen() -> AsyncIterator[bytes]:
        yield b"a" * 10
        yield b"b" * 10

    async with httpx.AsyncClient(base_url=stack.base) as client:
        resp = await client.put(
            "/echo", content=gen(), headers={"Host": stack.host(), **stack.cookie()}
        )
        assert resp.json()["body"] == "a" * 10 + "b" * 10
        async with client.stream(
            "GET", "/chunks", headers={"Host": stack.host(), **stack.cookie()}
        ) as streamed:
            assert streamed.headers["transfer-encoding"] == "chunked"
            parts = [chunk async for chunk in streamed.aiter_text()]
    assert "".join(parts) == "part0;part1;part2;part3;part4;"


async def test_websocket_echo_through_gateway(stack: Stack) -> None:
    async with websockets.connect(
        f"ws://{stack.host()}/ws", sock=_socket(stack), additional_headers=stack.cookie()
    ) as ws:
        for text in ("one", "two"):
            await ws.send(text)
            assert await asyncio.wait_for(ws.recv(), 5) == f"echo:{text}"


async def test_websocket_refused_without_cookie(stack: Stack) -> None:
    with pytest.raises(websockets.InvalidStatus) as info:
        async with websockets.connect(f"ws://{stack.host()}/ws", sock=_socket(stack)):
            pass
    assert info.value.response.status_code == 401


async def test_other_hosts_go_to_the_platform(stack: Stack) -> None:
    async with httpx.AsyncClient(base_url=stack.base) as client:
        resp = await client.get("/api/health", headers={"Host": f"localhost:{stack.port}"})
        other = await client.get("/x", headers={"Host": f"a.b.preview.localhost:{stack.port}"})
    assert resp.text == "platform:/api/health"
    assert MARKER not in resp.text
    assert other.text == "platform:/x"  # not a single-label project: not a preview


async def test_stopped_project_gets_starting_page_and_wake(stack: Stack) -> None:
    async with httpx.AsyncClient(base_url=stack.base) as client:
        resp = await client.get("/", headers={"Host": stack.host("p2"), **stack.cookie("p2")})
    assert resp.status_code == 503
    assert 'http-equiv="refresh"' in resp.text
    await asyncio.sleep(0.05)  # the wake-up runs in the background
    assert stack.woken == ["p2"]


async def test_starting_page_shows_the_dev_server_log_escaped(stack: Stack) -> None:
    stack.logs["p2"] = ["> next dev", "Compiling / ...", "<script>alert(1)</script> & more"]
    async with httpx.AsyncClient(base_url=stack.base) as client:
        resp = await client.get("/", headers={"Host": stack.host("p2"), **stack.cookie("p2")})
        other = await client.get("/", headers={"Host": stack.host("p3"), **stack.cookie("p3")})
    assert resp.status_code == 503
    assert "Dev-server log" in resp.text
    assert "Compiling / ...\n&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in resp.text
    assert "<script>alert" not in resp.text
    # A project with nothing logged yet gets the plain page.
    assert other.status_code == 503 and "Dev-server log" not in other.text


async def test_dead_upstream_gets_starting_page(stack: Stack) -> None:
    from .conftest import free_port

    stack.upstream["p1"] = f"http://127.0.0.1:{free_port()}"
    async with httpx.AsyncClient(base_url=stack.base) as client:
        resp = await client.get("/", headers={"Host": stack.host(), **stack.cookie()})
    assert resp.status_code == 503
    await asyncio.sleep(0.05)
    assert stack.woken == ["p1"]


async def test_page_body_matches_upstream_apart_from_script(stack: Stack) -> None:
    async with httpx.AsyncClient(base_url=stack.base) as client:
        resp = await client.get("/", headers={"Host": stack.host(), **stack.cookie()})
    start = resp.text.index("<script " + MARKER)
    end = resp.text.index("</script>", start) + len("</script>")
    assert resp.text[:start] + resp.text[end:] == PAGE


async def test_ambiguous_framing_refused(stack: Stack) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", stack.port)
    cookie = stack.cookie()["Cookie"]
    writer.write(
        (
            f"POST /echo HTTP/1.1\r\nHost: {stack.host()}\r\nCookie: {cookie}\r\n"
            "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        ).encode()
    )
    await writer.drain()
    status_line = await asyncio.wait_for(reader.readline(), 5)
    writer.close()
    assert status_line.startswith(b"HTTP/1.1 400")
