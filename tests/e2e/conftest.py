"""Browser end-to-end fixtures: the real server in a subprocess, Debian's Chromium.

The server is started once per test session with a temporary data dir (and so an empty
SQLite database); every test gets a fresh browser context, so no cookies leak between
tests. The SPA must be built first (``npm run build`` in ``web/``; ``make test`` does it).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

from testing.fake_llm import serve as serve_fake_llm

REPO_ROOT = Path(__file__).resolve().parents[2]
WEB_DIST = REPO_ROOT / "web" / "dist"
CHROMIUM = os.environ.get("APPWRIGHT_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_TIMEOUT_S = 90.0
# Playwright's default (30 s) hides hangs for too long; a loaded 2-core CI is still slow.
ACTION_TIMEOUT_MS = 15_000
expect.set_options(timeout=ACTION_TIMEOUT_MS)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class Server:
    base_url: str
    data_dir: Path
    log_path: Path

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"


def _wait_healthy(proc: subprocess.Popen[bytes], base_url: str, server: Server) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    last_error = "no response"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(
                f"appwright exited with {proc.returncode} while starting:\n{server.log_tail()}"
            )
        try:
            # 127.0.0.1: the server listens there only (localhost may resolve to ::1 first).
            health = f"{base_url.replace('localhost', '127.0.0.1')}/api/health"
            response = httpx.get(health, timeout=2.0)
            if response.status_code == 200:
                return
            last_error = f"HTTP {response.status_code}"
        except httpx.HTTPError as exc:
            last_error = repr(exc)
        time.sleep(0.25)
    pytest.fail(f"appwright did not become healthy ({last_error}):\n{server.log_tail()}")


# A catalogue model (prices, limits); the fake LLM answers under any model name.
E2E_MODEL = "claude-sonnet-4-5"


@dataclass(frozen=True)
class FakeLLM:
    url: str


@pytest.fixture(scope="session")
def fake_llm() -> Iterator[FakeLLM]:
    """The fake Anthropic/OpenAI server (testing/fake_llm): chat E2E picks replies with `tc=`."""
    with serve_fake_llm() as llm:
        yield FakeLLM(url=llm.url)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, fake_llm: FakeLLM) -> Iterator[Server]:
    """`appwright run` on a free port with an empty data dir, stopped after the session.

    Pages use `http://localhost:{port}` (the platform's own origin, `APPWRIGHT_PUBLIC_URL`):
    the project WebSocket checks the Origin against it and previews live on
    `{project}.preview.localhost:{port}`. The chat talks to the fake LLM.
    """
    if not (WEB_DIST / "index.html").is_file():
        pytest.fail(f"{WEB_DIST} has no built SPA: run `npm run build` in web/ first")
    root = tmp_path_factory.mktemp("e2e-server")
    data_dir = root / "data"
    log_path = root / "server.log"
    port = _free_port()
    base_url = f"http://localhost:{port}"
    env = {
        **os.environ,
        "APPWRIGHT_DATA_DIR": str(data_dir),
        "APPWRIGHT_ENV": "development",
        "APPWRIGHT_HOST": "127.0.0.1",
        "APPWRIGHT_PORT": str(port),
        "APPWRIGHT_PUBLIC_URL": base_url,
        "APPWRIGHT_LLM_PROVIDER": "anthropic",
        "APPWRIGHT_LLM_MODEL": E2E_MODEL,
        "APPWRIGHT_ANTHROPIC_BASE_URL": fake_llm.url,
        "APPWRIGHT_ANTHROPIC_API_KEY": "test",
        # Its sandboxes never meet those of a platform running on the same machine.
        "APPWRIGHT_SANDBOX_NAME_PREFIX": "awe",
        "APPWRIGHT_SANDBOX_UID_BASE": "190000",
        "APPWRIGHT_SANDBOX_SUBNET": "10.216.0.0/16",
        "APPWRIGHT_SANDBOX_PROXY_PORT": "3130",
    }
    # SMTP would send real mail and empty the outbox the tests read.
    for key in [k for k in env if k.startswith("APPWRIGHT_SMTP")]:
        del env[key]
    python = REPO_ROOT / ".venv" / "bin" / "python"
    cmd = [
        str(python if python.exists() else Path(sys.executable)),
        "-m",
        "appwright",
        "run",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    info = Server(base_url=base_url, data_dir=data_dir, log_path=log_path)
    try:
        _wait_healthy(proc, base_url, info)
        yield info
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    instance = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        yield instance
    finally:
        instance.close()


# Every document reports what its Content-Security-Policy refused, as a console error.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  const what = e.blockedURI || "inline";
  console.error(`CSP violation on ${location.origin}: ${e.effectiveDirective} refused ${what}`);
});
"""


class CSPWatch:
    """Console errors about the platform's Content-Security-Policy, seen in browser contexts."""

    def __init__(self, platform_origin: str) -> None:
        self.platform_origin = platform_origin
        self.violations: list[str] = []

    def watch(self, ctx: BrowserContext) -> None:
        ctx.add_init_script(_REPORT_CSP_VIOLATIONS)
        ctx.on("console", self._on_console)

    def _on_console(self, message: ConsoleMessage) -> None:
        text = message.text
        platform = text.startswith(f"CSP violation on {self.platform_origin}:")
        refused = "Content Security Policy" in text and message.type == "error"
        on_platform = message.location.get("url", "").startswith(self.platform_origin)
        if platform or (refused and on_platform):
            self.violations.append(text)


@pytest.fixture
def csp_watch(server: Server) -> Iterator[CSPWatch]:
    """Fails the test when the platform's CSP refused anything a page of the UI needed."""
    watch = CSPWatch(server.base_url)
    yield watch
    if watch.violations:
        refused = "\n".join(watch.violations)
        pytest.fail(f"the platform's Content-Security-Policy refused:\n{refused}")


@pytest.fixture
def context(browser: Browser, server: Server, csp_watch: CSPWatch) -> Iterator[BrowserContext]:
    """A fresh browser profile (no cookies, no storage) per test."""
    ctx = browser.new_context(base_url=server.base_url, viewport={"width": 1280, "height": 800})
    ctx.set_default_timeout(ACTION_TIMEOUT_MS)
    csp_watch.watch(ctx)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def context_factory(
    browser: Browser, server: Server, csp_watch: CSPWatch
) -> Iterator[Callable[[], BrowserContext]]:
    """Extra browser profiles in one test (a second device), closed at its end."""
    made: list[BrowserContext] = []

    def make() -> BrowserContext:
        ctx = browser.new_context(base_url=server.base_url, viewport={"width": 1280, "height": 800})
        ctx.set_default_timeout(ACTION_TIMEOUT_MS)
        csp_watch.watch(ctx)
        made.append(ctx)
        return ctx

    try:
        yield make
    finally:
        for ctx in made:
            ctx.close()
