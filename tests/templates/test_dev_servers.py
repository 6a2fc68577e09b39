"""Templates' dev servers behind the preview gateway (plain subprocesses, no sandbox).

``static`` needs no install and starts in ~0.1 s, so it always runs. The Node templates
need the package cache (a cold ``npm ci``) and start in 1–8 s: marked ``sandbox``.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import websockets

from appwright.preview import GatewayConfig, PreviewAuth, PreviewGateway, sign_preview_token
from appwright.preview.inject import MARKER
from appwright.templates import get_template, link_dependencies, materialise

pytestmark = pytest.mark.anyio
KEY = "dev-server-test-key-0123456789abcdef01234567"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def _start(template_id: str, workspace: Path) -> tuple[subprocess.Popen[bytes], int]:
    template = get_template(template_id)
    port = _free_port()
    process = subprocess.Popen(
        ["sh", "-c", template.dev_command_for(port)],  # as the supervisor runs it
        cwd=workspace,
        env={**os.environ, **template.process_env(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    async with httpx.AsyncClient() as client:
        for _ in range(int(template.readiness.timeout_s * 10)):
            try:
                resp = await client.get(f"http://127.0.0.1:{port}{template.readiness_path}")
                if resp.status_code < 500:
                    return process, port
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    os.killpg(process.pid, signal.SIGTERM)
    raise AssertionError(f"{template_id} dev server did not become ready")


async def _gateway(upstream_port: int) -> tuple[PreviewGateway, int]:
    async def resolve(_: str) -> str:
        return f"http://127.0.0.1:{upstream_port}"

    gateway = PreviewGateway(GatewayConfig(), PreviewAuth(KEY), resolve)
    return gateway, await gateway.start("127.0.0.1", 0)


def _cookie() -> dict[str, str]:
    return {"Cookie": "__appwright_preview=" + sign_preview_token(KEY, "p1", "u", typ="cookie")}


@pytest.fixture
async def running(
    request: pytest.FixtureRequest, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[str, int, int]]:
    template_id: str = request.param
    workspace = tmp_path / "ws"
    await materialise(template_id, workspace)
    # The cache is content-addressed (template + lock hash), so it is kept across runs
    # next to pytest's temporary dirs (same filesystem: hard links work); only the first
    # run pays for ``npm ci``. APPWRIGHT_TEST_CACHE points elsewhere.
    default = tmp_path_factory.getbasetemp().parent / "appwright-package-cache"
    cache = Path(os.environ.get("APPWRIGHT_TEST_CACHE", default))
    await link_dependencies(template_id, workspace, cache)
    process, port = await _start(template_id, workspace)
    gateway, gateway_port = await _gateway(port)
    try:
        yield template_id, port, gateway_port
        # (the workspace is tmp_path / "ws")
    finally:
        await gateway.stop()
        os.killpg(process.pid, signal.SIGTERM)
        process.wait()


@pytest.mark.parametrize("running", ["static"], indirect=True)
async def test_static_served_through_gateway_with_live_reload(
    running: tuple[str, int, int], tmp_path: Path
) -> None:
    _, _, gateway_port = running
    host = {"Host": f"p1.preview.localhost:{gateway_port}", **_cookie()}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway_port}") as client:
        page = await client.get("/", headers={**host, "Accept": "text/html"})
        css = await client.get("/styles.css", headers=host)
        assert page.status_code == 200
        assert page.text.count(MARKER) == 1
        assert "__livereload" in page.text
        assert css.headers["content-type"].startswith("text/css")
        async with client.stream("GET", "/__livereload", headers=host) as events:
            first = await anext(events.aiter_text())  # streamed, not buffered
        assert ": connected" in first
        # A file change pushes a reload event through the gateway.
        async with client.stream("GET", "/__livereload", headers=host) as events:
            chunks = events.aiter_text()
            await anext(chunks)
            (tmp_path / "ws" / "script.js").write_text("// changed\n")
            assert "event: change" in await asyncio.wait_for(anext(chunks), 5)


@pytest.mark.sandbox
@pytest.mark.parametrize("running", ["react-vite", "vue-vite", "nextjs"], indirect=True)
async def test_node_template_page_and_hmr_through_gateway(running: tuple[str, int, int]) -> None:
    template_id, _, gateway_port = running
    host = f"p1.preview.localhost:{gateway_port}"
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway_port}", timeout=60) as client:
        page = await client.get("/", headers={"Host": host, "Accept": "text/html", **_cookie()})
        assert page.status_code == 200
        assert page.text.count(MARKER) == 1
        if template_id != "nextjs":
            vite_client = await client.get("/@vite/client", headers={"Host": host, **_cookie()})
            match = re.search(r'const wsToken = "([^"]+)"', vite_client.text)
            assert match, "Vite client without a websocket token"
            path, subprotocols = f"/?token={match.group(1)}", ["vite-hmr"]
        else:
            path, subprotocols = "/_next/webpack-hmr", None
    sock = socket.create_connection(("127.0.0.1", gateway_port))
    async with websockets.connect(
        f"ws://{host}{path}",
        sock=sock,
        additional_headers={**_cookie(), "Origin": f"http://{host}"},
        subprotocols=subprotocols,  # type: ignore[arg-type]
    ) as ws:
        assert await asyncio.wait_for(ws.recv(), 30)  # the dev server's first HMR message


@pytest.mark.sandbox
@pytest.mark.e2e
@pytest.mark.parametrize("running", ["react-vite", "nextjs"], indirect=True)
async def test_hot_reload_visible_in_chromium_through_gateway(
    running: tuple[str, int, int], tmp_path: Path
) -> None:
    from playwright.async_api import TimeoutError as PlaywrightTimeout
    from playwright.async_api import async_playwright

    template_id, _, gateway_port = running
    origin = f"http://p1.preview.localhost:{gateway_port}"
    token = sign_preview_token(KEY, "p1", "u")
    source = tmp_path / "ws" / ("src/App.tsx" if template_id == "react-vite" else "pages/index.tsx")
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            page = await browser.new_page()
            await page.goto(f"{origin}/__appwright/auth?token={token}&next=/", timeout=60_000)
            await page.wait_for_selector("text=Your app starts here", timeout=60_000)
            # Let the first load settle (a dev server may reload once after pre-bundling).
            await page.wait_for_load_state("networkidle", timeout=60_000)
            await page.evaluate("window.__notReloaded = true")
            # The HMR client subscribes to the page's modules shortly after load; an edit
            # before that is missed (Turbopack), so the edit is repeated until it shows.
            original = source.read_text()
            for attempt in range(4):
                await asyncio.sleep(1.5)
                edited = original.replace("Your app starts here", "Edited live")
                source.write_text(edited + "\n" * attempt)
                try:
                    await page.wait_for_selector("text=Edited live", timeout=10_000)
                    break
                except PlaywrightTimeout:
                    continue
            else:
                raise AssertionError("the edit never appeared in the preview")
            # Hot module replacement, not a full reload: the page's state survived.
            assert await page.evaluate("window.__notReloaded === true")
        finally:
            await browser.close()
