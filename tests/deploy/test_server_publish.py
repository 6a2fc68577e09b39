"""Publishing a server app (Next.js): built in a sandbox of its own, then run with
``next start`` in a sandbox of its own that sleeps when idle and wakes on a visit."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from appwright.context import AppContext
from appwright.deploy.local import app_id
from appwright.preview import GatewayConfig, PreviewAuth, PreviewGateway
from tests.deploy.test_local_publish import _free_port, _publish, _save, _verified
from tests.helpers import create_project

pytestmark = [pytest.mark.anyio, pytest.mark.sandbox]

PAGE = """import type { GetServerSideProps } from "next";

type Props = { secretLength: number };

export const getServerSideProps: GetServerSideProps<Props> = async () => ({
  props: { secretLength: (process.env.SECRET_TOKEN ?? "").length },
});

export default function Home({ secretLength }: Props) {
  return (
    <main>
      <h1>Greeting: {process.env.NEXT_PUBLIC_GREETING}</h1>
      <p>secret length: {secretLength}</p>
    </main>
  );
}
"""


TYPE_ERROR = """export default function Home() {
  const count: number = "three";
  return <p>{count}</p>;
}
"""


@pytest.fixture
async def app_client(ctx: AppContext) -> AsyncIterator[httpx.AsyncClient]:
    """A browser with no cookies at the platform's public port, as ``server.py`` wires it."""
    supervisor = ctx.runtime.supervisor

    async def upstream(runtime_id: str) -> str | None:
        return supervisor.upstream(runtime_id)

    gateway = PreviewGateway(
        GatewayConfig(apps_domain=ctx.settings.apps_domain),
        PreviewAuth(b"k" * 32),
        upstream,
        touch=supervisor.touch,
        resolve_site=ctx.publisher.site,
        wake_app=ctx.publisher.wake_app,
    )
    port = await gateway.start("127.0.0.1", _free_port())
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as c:
        yield c
    await gateway.stop()


def _all_text(folder: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file())


async def _page_when_up(c: httpx.AsyncClient, host: dict[str, str]) -> httpx.Response:
    for _ in range(120):
        page = await c.get("/", headers=host)
        if page.status_code != 503:
            return page
        assert "waking up" in page.text
        await asyncio.sleep(0.5)
    raise AssertionError("the app did not wake")


async def test_a_nextjs_app_is_built_served_put_to_sleep_and_woken(
    client: httpx.AsyncClient, ctx: AppContext, app_client: httpx.AsyncClient
) -> None:
    await _verified(client, ctx, "shop@example.com")
    project = await create_project(client, "Shop", "nextjs")
    pid = project["id"]
    for key, value in {
        "NEXT_PUBLIC_GREETING": "hello-public",
        "SECRET_TOKEN": "very-secret-1234",
    }.items():
        put = await client.put(f"/api/projects/{pid}/env/{key}", json={"value": value})
        assert put.status_code == 200, put.text
    await _save(client, pid, {"pages/index.tsx": PAGE})
    live = await _publish(client, ctx, pid, slug="shop")
    log = await client.get(f"/api/deploy/{pid}/logs", params={"deployment_id": live["id"]})
    assert live["status"] == "ready", (live, log.text)
    assert "next build" in log.text
    assert live["url"] == "http://shop.apps.localhost:8000/"

    host = {"Host": "shop.apps.localhost"}
    page = await _page_when_up(app_client, host)
    assert page.status_code == 200, page.text
    assert "Greeting: <!-- -->hello-public" in page.text or "Greeting: hello-public" in page.text
    # The server has the project's variables; the browser's files have only public ones.
    assert "secret length: <!-- -->16" in page.text or "secret length: 16" in page.text
    runtime_id = app_id(live["id"])
    workspace = ctx.runtime.workspace_dir(runtime_id)
    browser_files = _all_text(workspace / ".next" / "static")
    assert "hello-public" in browser_files
    assert "very-secret-1234" not in browser_files
    assert "very-secret-1234" not in page.text
    # No instrumentation and no preview cookie on a published app.
    assert "__appwright" not in page.text
    assert "set-cookie" not in page.headers

    # Idle: the server sleeps; the next visit wakes it.
    await ctx.runtime.supervisor.hibernate(runtime_id)
    asleep = await app_client.get("/", headers=host)
    assert asleep.status_code == 503
    assert "waking up" in asleep.text
    woken = await _page_when_up(app_client, host)
    assert woken.status_code == 200
    assert "secret length" in woken.text

    # A build error fails the deployment with the build's words; the live app stays.
    await _save(client, pid, {"pages/index.tsx": TYPE_ERROR})
    failed = await _publish(client, ctx, pid)
    assert failed["status"] == "error"
    assert "The build failed" in failed["error_summary"]
    log = await client.get(f"/api/deploy/{pid}/logs", params={"deployment_id": failed["id"]})
    assert "index.tsx" in log.text
    assert failed["errors"], log.text
    first = failed["errors"][0]
    assert (first["file"], first["line"]) == ("pages/index.tsx", 2), (failed, log.text[-3000:])
    assert "not assignable" in first["message"]
    assert not ctx.runtime.workspace_dir(app_id(failed["id"])).exists()
    assert (await app_client.get("/", headers=host)).status_code == 200

    # A deleted project's app stops answering and its server and files are removed.
    gone = await client.delete(f"/api/projects/{pid}", params={"confirm_name": "Shop"})
    assert gone.status_code == 204, gone.text
    assert (await app_client.get("/", headers=host)).status_code == 404
    for _ in range(100):
        if not workspace.exists():
            break
        await asyncio.sleep(0.1)
    assert not workspace.exists()
    assert ctx.runtime.supervisor.state(runtime_id) is None
    assert not (ctx.settings.deployments_dir / str(uuid.UUID(pid))).exists()
