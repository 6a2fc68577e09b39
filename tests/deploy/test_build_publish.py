"""Publishing an app that has a build (React + Vite): built in a sandbox of its own from
the version's files, its output served at the app's address."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

from appwright.context import AppContext
from appwright.preview.sites import Site
from tests.deploy.test_local_publish import _publish, _save, _verified, site_client
from tests.helpers import create_project

pytestmark = [pytest.mark.anyio, pytest.mark.sandbox]

__all__ = ["site_client"]  # the fixture, shared

APP = """export default function App() {
  return <h1>Greeting: {import.meta.env.VITE_GREETING}</h1>;
}
"""


def _all_text(folder: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file())


async def test_a_vite_app_is_built_in_a_sandbox_and_served(
    client: httpx.AsyncClient, ctx: AppContext, site_client: httpx.AsyncClient
) -> None:
    await _verified(client, ctx, "vite@example.com")
    pid = (await create_project(client, "Todo", "react-vite"))["id"]
    for key, value in {"VITE_GREETING": "hello-public", "SECRET_TOKEN": "very-secret-1234"}.items():
        put = await client.put(f"/api/projects/{pid}/env/{key}", json={"value": value})
        assert put.status_code == 200, put.text
    await _save(client, pid, {"src/App.tsx": APP})
    live = await _publish(client, ctx, pid, slug="vite-todo")
    log = await client.get(f"/api/deploy/{pid}/logs", params={"deployment_id": live["id"]})
    assert live["status"] == "ready", (live, log.text)
    assert "vite build" in log.text or "built in" in log.text

    host = {"Host": "vite-todo.apps.localhost"}
    page = await site_client.get("/", headers=host)
    assert page.status_code == 200
    assert '<div id="root">' in page.text
    # Client-side routes answer the app; hashed assets are cached for good.
    assert (await site_client.get("/todos/42", headers=host)).text == page.text
    script = page.text.split('src="', 1)[1].split('"', 1)[0]
    asset = await site_client.get(script, headers=host)
    assert asset.status_code == 200
    assert "immutable" in asset.headers["cache-control"]
    assert "hello-public" in asset.text

    # The artefact: a production build, no dev server client, no private value.
    site = ctx.publisher.site("vite-todo")
    assert isinstance(site, Site)
    text = _all_text(site.root)
    for dev_only in ("/@vite/client", "import.meta.hot", "@react-refresh"):
        assert dev_only not in text, dev_only
    assert "very-secret-1234" not in text
    # The build's own workspace and sandbox are gone.
    build_id = f"build-{uuid.UUID(live['id']).hex}"
    assert not ctx.runtime.workspace_dir(build_id).exists()
    assert await ctx.runtime.backend.get(build_id) is None

    # A build error: the deployment fails with the build's words, the site stays.
    await _save(client, pid, {"src/App.tsx": "export default function App( {\n"})
    failed = await _publish(client, ctx, pid)
    assert failed["status"] == "error"
    assert "The build failed" in failed["error_summary"]
    log = await client.get(f"/api/deploy/{pid}/logs", params={"deployment_id": failed["id"]})
    assert "App.tsx" in log.text
    # Read into place and words, for the person and for the agent's fix.
    assert failed["errors"], log.text
    assert failed["errors"][0]["file"] == "src/App.tsx", failed["errors"]
    assert failed["errors"][0]["line"] == 2  # tsc: "src/App.tsx(2,1): error TS1005"
    assert "TS1005" in failed["errors"][0]["message"]
    assert (await site_client.get(script, headers=host)).status_code == 200
