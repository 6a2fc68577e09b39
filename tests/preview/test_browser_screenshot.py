"""Chromium: the workspace asks the preview for a screenshot and receives a real PNG."""

from __future__ import annotations

import asyncio
import base64
import json
import struct
from collections.abc import AsyncIterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from appwright.preview import GatewayConfig, PreviewAuth, PreviewGateway, sign_preview_token

from .conftest import KEY, free_port, serve
from .test_browser import CHROMIUM_ARGS

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]

WIDTH, HEIGHT = 640, 480

APP_PAGE = """<!doctype html><html><head><title>app</title>
<style>body { margin: 0; background: rgb(0, 128, 255); } .box { width: 100px; height: 100px;
background: rgb(255, 0, 0); }</style></head><body><div class="box"></div><p>screenshot me</p>
</body></html>"""

# Another origin inside the workspace page: it finds the preview frame and sends it a
# command, which the preview must ignore (wrong origin, not its parent).
INTRUDER_PAGE = """<!doctype html><html><body><script>
parent.frames[0].postMessage(
  {source: "appwright-workspace", type: "screenshot", id: "intruder"}, "*");
parent.postMessage({source: "intruder", sent: true}, "*");
</script></body></html>"""


def _parent_page(iframe_src: str, intruder_src: str) -> str:
    return f"""<!doctype html><html><body style="margin:0">
<script>
window.messages = [];
window.intruderSent = false;
window.addEventListener("message", (event) => {{
  if (event.data && event.data.source === "intruder") window.intruderSent = true;
  if (event.data && event.data.source === "appwright-preview")
    window.messages.push({{origin: event.origin, data: event.data}});
}});
</script>
<iframe id="preview" src={json.dumps(iframe_src)} width="{WIDTH}" height="{HEIGHT}"
  style="border:0; display:block"></iframe>
<iframe id="intruder" src={json.dumps(intruder_src)} width="10" height="10"></iframe>
</body></html>"""


# In the parent: decode the PNG and read pixels, to check the page was really drawn.
PIXELS = """async (dataUrl) => {
  const image = new Image();
  await new Promise((resolve, reject) => {
    image.onload = resolve; image.onerror = reject; image.src = dataUrl;
  });
  const canvas = document.createElement("canvas");
  canvas.width = image.width; canvas.height = image.height;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const at = (x, y) => Array.from(context.getImageData(x, y, 1, 1).data);
  return {box: at(50, 50), background: at(400, 300)};
}"""


async def _app_page(_: Request) -> Response:
    return HTMLResponse(APP_PAGE)


async def _intruder(_: Request) -> Response:
    return HTMLResponse(INTRUDER_PAGE)


@pytest.fixture
async def screenshot_stack() -> AsyncIterator[str]:
    port = free_port()
    platform_origin = f"http://localhost:{port}"
    token = sign_preview_token(KEY, "p1", "u1")
    iframe = f"http://p1.preview.localhost:{port}/__appwright/auth?token={token}&next=/"
    upstream = Starlette(routes=[Route("/", _app_page)])
    up_server, up_task, up_port = await serve(upstream)
    intruder_server, intruder_task, intruder_port = await serve(
        Starlette(routes=[Route("/", _intruder)])
    )
    intruder = f"http://127.0.0.1:{intruder_port}/"

    async def parent(_: Request) -> Response:
        return HTMLResponse(_parent_page(iframe, intruder))

    pf_server, pf_task, pf_port = await serve(Starlette(routes=[Route("/", parent)]))

    async def resolve(_: str) -> str:
        return f"http://127.0.0.1:{up_port}"

    gateway = PreviewGateway(
        GatewayConfig(platform_origin=platform_origin),
        PreviewAuth(KEY),
        resolve,
        fallback_upstream=f"http://127.0.0.1:{pf_port}",
    )
    await gateway.start("127.0.0.1", port)
    yield platform_origin
    await gateway.stop()
    for server, task in (
        (up_server, up_task),
        (intruder_server, intruder_task),
        (pf_server, pf_task),
    ):
        server.should_exit = True
        await task


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def test_screenshot_command_returns_viewport_png(screenshot_stack: str) -> None:
    from playwright.async_api import async_playwright

    platform_origin = screenshot_stack
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page()
            await page.goto(platform_origin + "/")
            for _ in range(100):
                ready = await page.evaluate(
                    "window.intruderSent && window.messages.some(m => m.data.type === 'ready')"
                )
                if ready:
                    break
                await asyncio.sleep(0.1)
            assert ready, "the preview or the intruder frame did not load"
            await asyncio.sleep(0.5)  # time for the preview to (wrongly) answer the intruder
            preview_origin = await page.evaluate("window.messages[0].origin")
            await page.evaluate(
                """(origin) => document.getElementById("preview").contentWindow.postMessage(
                  {source: "appwright-workspace", type: "screenshot", id: "shot-1"}, origin)""",
                preview_origin,
            )
            shots: list[dict[str, object]] = []
            for _ in range(100):
                shots = await page.evaluate(
                    "window.messages.filter(m => m.data.type === 'screenshot').map(m => m.data)"
                )
                if shots:
                    break
                await asyncio.sleep(0.1)
            pixels = None
            if shots and shots[0].get("ok"):
                pixels = await page.evaluate(PIXELS, shots[0]["dataUrl"])
        finally:
            await browser.close()
    assert [s["id"] for s in shots] == ["shot-1"], "only the parent's command is answered"
    shot = shots[0]
    assert shot["ok"] is True, shot.get("error")
    assert (shot["width"], shot["height"]) == (WIDTH, HEIGHT)
    data_url = str(shot["dataUrl"])
    prefix = "data:image/png;base64,"
    assert data_url.startswith(prefix)
    assert _png_size(base64.b64decode(data_url[len(prefix) :])) == (WIDTH, HEIGHT)
    # The page itself is in the picture: the red box over the blue background.
    assert pixels == {"box": [255, 0, 0, 255], "background": [0, 128, 255, 255]}
