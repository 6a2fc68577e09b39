"""Chromium: a workspace page on one origin receives the preview's reports by postMessage."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from appwright.preview import GatewayConfig, PreviewAuth, PreviewGateway, sign_preview_token

from .conftest import KEY, free_port, serve

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

APP_PAGE = """<!doctype html><html><head><title>app</title></head><body><h1>app</h1>
<script>
console.log("hello from the app", {answer: 42});
fetch("/api/data").then(r => r.json()).then(() => {
  history.pushState({}, "", "/next-page");
  setTimeout(() => { throw new Error("boom in the app"); }, 0);
});
</script></body></html>"""


def _parent_page(iframe_src: str) -> str:
    return f"""<!doctype html><html><body>
<script>
window.messages = [];
window.addEventListener("message", (event) => {{
  if (event.data && event.data.source === "appwright-preview")
    window.messages.push({{origin: event.origin, data: event.data}});
}});
</script>
<iframe id="preview" src={json.dumps(iframe_src)} width="800" height="600"></iframe>
</body></html>"""


# Next.js 15 in development: <nextjs-portal> is always on the page (it holds the dev tools
# button) and its shadow root starts with the overlay's styles, whose source-map comment
# is longer than any report. An error dialog appears inside it later.
PORTAL_PAGE = """<!doctype html><html><head><title>app</title></head><body><h1>app</h1>
<script>
const portal = document.createElement("nextjs-portal");
document.body.appendChild(portal);
const shadow = portal.attachShadow({mode: "open"});
const style = document.createElement("style");
style.textContent = ".a{color:red}/*# sourceMappingURL=data:application/json;base64,"
  + "eyJ2".repeat(3000) + " */";
shadow.appendChild(style);
const button = document.createElement("button");
button.setAttribute("aria-label", "Open Next.js Dev Tools");
shadow.appendChild(button);
setTimeout(() => {
  const dialog = document.createElement("div");
  dialog.setAttribute("data-nextjs-dialog", "");
  dialog.innerHTML = "<style>.b{color:blue}</style>"
    + "<h1>Unhandled Runtime Error</h1><p>Error: boom</p>";
  shadow.appendChild(dialog);
}, 1500);
</script></body></html>"""


async def _app_page(_: Request) -> Response:
    return HTMLResponse(APP_PAGE)


async def _portal_page(_: Request) -> Response:
    return HTMLResponse(PORTAL_PAGE)


async def _data(_: Request) -> Response:
    return JSONResponse({"ok": True})


@pytest.fixture
def app_path() -> str:
    """The upstream page the preview iframe opens."""
    return "/"


@pytest.fixture
async def browser_stack(app_path: str) -> AsyncIterator[tuple[str, str]]:
    port = free_port()
    platform_origin = f"http://localhost:{port}"
    token = sign_preview_token(KEY, "p1", "u1")
    iframe = f"http://p1.preview.localhost:{port}/__appwright/auth?token={token}&next={app_path}"

    async def parent(_: Request) -> Response:
        return HTMLResponse(_parent_page(iframe))

    routes = [Route("/", _app_page), Route("/portal", _portal_page), Route("/api/data", _data)]
    upstream = Starlette(routes=routes)
    platform = Starlette(routes=[Route("/", parent)])
    up_server, up_task, up_port = await serve(upstream)
    pf_server, pf_task, pf_port = await serve(platform)

    async def resolve(_: str) -> str:
        return f"http://127.0.0.1:{up_port}"

    gateway = PreviewGateway(
        GatewayConfig(platform_origin=platform_origin),
        PreviewAuth(KEY),
        resolve,
        fallback_upstream=f"http://127.0.0.1:{pf_port}",
    )
    await gateway.start("127.0.0.1", port)
    yield platform_origin, f"http://p1.preview.localhost:{port}"
    await gateway.stop()
    for server, task in ((up_server, up_task), (pf_server, pf_task)):
        server.should_exit = True
        await task


async def test_parent_receives_console_error_network_navigation(
    browser_stack: tuple[str, str],
) -> None:
    from playwright.async_api import async_playwright

    platform_origin, preview_origin = browser_stack
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page()
            await page.goto(platform_origin + "/")
            messages: list[dict[str, object]] = []
            for _ in range(100):
                messages = await page.evaluate("window.messages")
                if {"console", "network", "navigation", "error"} <= {
                    m["data"]["type"]  # type: ignore[index]
                    for m in messages
                }:
                    break
                await asyncio.sleep(0.1)
        finally:
            await browser.close()
    assert messages, "no message from the preview: cookie or injection failed"
    assert all(m["origin"] == preview_origin for m in messages)
    by_type: dict[str, list[dict[str, object]]] = {}
    for m in messages:
        data = m["data"]
        assert isinstance(data, dict)
        by_type.setdefault(str(data["type"]), []).append(data)
    console = by_type["console"][0]
    assert console["level"] == "log"
    assert console["args"] == ["hello from the app", {"answer": 42}]
    network = by_type["network"][0]
    assert network["method"] == "GET"
    assert network["status"] == 200
    assert str(network["requestUrl"]).endswith("/api/data")
    assert any(str(n["url"]).endswith("/next-page") for n in by_type["navigation"])
    assert "boom in the app" in str(by_type["error"][0]["message"])


async def _messages_after(platform_origin: str, seconds: float) -> list[dict[str, object]]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page()
            await page.goto(platform_origin + "/")
            await asyncio.sleep(seconds)
            messages: list[dict[str, object]] = await page.evaluate("window.messages")
        finally:
            await browser.close()
    return messages


@pytest.mark.parametrize("app_path", ["/portal"])
async def test_the_nextjs_portal_is_an_error_only_when_it_shows_an_error_dialog(
    browser_stack: tuple[str, str],
) -> None:
    platform_origin, _ = browser_stack
    messages = await _messages_after(platform_origin, 4.0)
    overlays = [
        (m["data"].get("kind"), m["data"].get("text"))
        for m in messages
        if isinstance(m["data"], dict) and m["data"].get("type") == "overlay"
    ]
    # One report, for the dialog, with the words a person sees and none of the styles.
    assert overlays == [("nextjs", "Unhandled Runtime Error Error: boom")], overlays
