"""Publishing to Vercel: through the API as a person would (verified, Vercel connected),
against the fake Vercel over real HTTP, with the real git history of the project."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from appwright.context import AppContext
from appwright.core.config import Settings
from appwright.deploy.publisher import Publisher
from testing.fakes.vercel import FAIL_FILE, FakeVercelServer, serve
from tests.deploy.test_local_publish import _publish as _publish_local
from tests.deploy.test_local_publish import _save, _verified, _verify
from tests.helpers import create_project, signup

pytestmark = pytest.mark.anyio

ADA = "vercel_ada_publish_0123456789"
BOB = "vercel_bob_publish_0123456789"
TEAM = "team_adapublish"


@pytest.fixture(scope="module")
def fake_vercel() -> Iterator[FakeVercelServer]:
    with serve(step_seconds=0.02) as vercel:
        vercel.state.add_token(ADA, "ada", teams=(TEAM,))
        vercel.state.add_token(BOB, "bob")
        yield vercel


@pytest.fixture
def vercel(fake_vercel: FakeVercelServer) -> Iterator[FakeVercelServer]:
    yield fake_vercel
    fake_vercel.state.throttle(0)


@pytest.fixture
def settings(settings: Settings, fake_vercel: FakeVercelServer) -> Settings:
    return settings.model_copy(update={"vercel_api_url": fake_vercel.url})


async def _connected(
    client: httpx.AsyncClient, ctx: AppContext, email: str, token: str = ADA, **extra: str
) -> None:
    await _verified(client, ctx, email)
    put = await client.put("/api/integrations/vercel", json={"token": token, **extra})
    assert put.status_code == 200, put.text


async def _start(client: httpx.AsyncClient, pid: str, **body: Any) -> dict[str, Any]:
    answer = await client.post(f"/api/deploy/{pid}/vercel", json=body)
    assert answer.status_code == 202, answer.text
    deployment: dict[str, Any] = answer.json()
    assert deployment["status"] == "queued"
    assert deployment["target"] == "vercel"
    return deployment


async def _done(client: httpx.AsyncClient, ctx: AppContext, pid: str, dep_id: str) -> Any:
    await ctx.publisher.wait(uuid.UUID(dep_id))
    history = (await client.get(f"/api/deploy/{pid}/history")).json()
    return next(d for d in history if d["id"] == dep_id)


async def _publish(client: httpx.AsyncClient, ctx: AppContext, pid: str, **body: Any) -> Any:
    return await _done(client, ctx, pid, (await _start(client, pid, **body))["id"])


async def _log(client: httpx.AsyncClient, pid: str, dep_id: str) -> str:
    log = await client.get(f"/api/deploy/{pid}/logs", params={"deployment_id": dep_id})
    assert log.status_code == 200
    return log.text


def _page(heading: str) -> str:
    return f"<!doctype html><html><body><h1>{heading}</h1></body></html>"


async def test_publish_to_vercel_republish_and_roll_back(
    client: httpx.AsyncClient, ctx: AppContext, vercel: FakeVercelServer
) -> None:
    await _connected(client, ctx, "vercel-pub@example.com")
    pid = (await create_project(client, "Vercel Landing", "static"))["id"]
    await _save(client, pid, {"index.html": _page(f"First edition {pid}")})
    env = {"VITE_API_URL": "https://api.example.com", "DATABASE_PASSWORD": f"s3cret-{pid}"}
    for key, value in env.items():
        put = await client.put(f"/api/projects/{pid}/env/{key}", json={"value": value})
        assert put.status_code == 200, put.text

    first = await _publish(client, ctx, pid)
    assert first["status"] == "ready", first
    status = (await client.get(f"/api/deploy/{pid}/status")).json()
    name = status["slug"]
    assert first["url"] == f"https://{name}.vercel.app"
    assert status["url"] == first["url"]
    assert status["live"]["id"] == first["id"]

    # Vercel's build events are in the build log; no variable's value is.
    log = await _log(client, pid, first["id"])
    assert "Running build in Washington" in log
    assert "Deployment completed" in log
    assert all(value not in log for value in env.values())

    # The project on Vercel: a static site (no framework), the variables set before the
    # build, the browser's plain and the others encrypted; the site's files only.
    project = vercel.state.project(name)
    assert project.owner == "ada"
    assert project.settings["framework"] is None
    assert project.env_values() == {
        "VITE_API_URL": (env["VITE_API_URL"], "plain", ("production", "preview")),
        "DATABASE_PASSWORD": (env["DATABASE_PASSWORD"], "encrypted", ("production", "preview")),
    }
    deployed = next(d for d in vercel.state.deployments.values() if d.project is project)
    assert f"First edition {pid}".encode() in deployed.files["index.html"]
    assert "styles.css" in deployed.files
    assert not {"serve.mjs", "AI_RULES.md"} & set(deployed.files)

    # Edit and publish again: only the changed file is uploaded.
    before = len(vercel.state.uploaded())
    second_page = _page(f"Second edition {pid}")
    await _save(client, pid, {"index.html": second_page})
    second = await _publish(client, ctx, pid)
    assert second["status"] == "ready", second
    changed = hashlib.sha1(second_page.encode(), usedforsecurity=False).hexdigest()
    assert vercel.state.uploaded()[before:] == [changed]
    assert (await client.get(f"/api/deploy/{pid}/status")).json()["live"]["id"] == second["id"]

    # Roll back: the first deployment is promoted to production again on Vercel.
    rolled = await client.post(f"/api/deploy/{pid}/rollback", json={"deployment_id": first["id"]})
    assert rolled.status_code == 200, rolled.text
    assert rolled.json()["live"]["id"] == first["id"]
    assert rolled.json()["url"] == first["url"]
    production = vercel.state.deployment(str(vercel.state.project(name).production))
    assert f"First edition {pid}".encode() in production.files["index.html"]


async def test_a_failed_vercel_build_keeps_the_earlier_deployment_live(
    client: httpx.AsyncClient, ctx: AppContext, vercel: FakeVercelServer
) -> None:
    await _connected(client, ctx, "vercel-fail@example.com")
    pid = (await create_project(client, "Vercel Fails", "static"))["id"]
    first = await _publish(client, ctx, pid)
    assert first["status"] == "ready", first

    why = f"Type error: Cannot find name 'checkout' ({pid})."
    put = await client.put(f"/api/files/{pid}/{FAIL_FILE}", json={"content": why})
    assert put.status_code == 201, put.text
    await _save(client, pid, {"index.html": _page("Broken edition")})
    failed = await _publish(client, ctx, pid)
    assert failed["status"] == "error"
    assert failed["url"] is None
    assert why in failed["error_summary"]
    assert why in await _log(client, pid, failed["id"])
    status = (await client.get(f"/api/deploy/{pid}/status")).json()
    assert status["live"]["id"] == first["id"]
    assert status["latest"]["id"] == failed["id"]
    assert status["url"] == first["url"]


async def test_rate_limits_are_waited_out_and_one_build_at_a_time(
    client: httpx.AsyncClient, ctx: AppContext, vercel: FakeVercelServer
) -> None:
    await _connected(client, ctx, "vercel-429@example.com")
    pid = (await create_project(client, "Vercel Busy", "static"))["id"]
    calls = len(vercel.state.requests())
    vercel.state.throttle(1, retry_after=1)
    started = await _start(client, pid)
    # The build waits out Vercel's 429; meanwhile another publish is refused.
    busy = await client.post(f"/api/deploy/{pid}/vercel", json={})
    assert busy.status_code == 409, busy.text
    assert "being published already" in busy.json()["detail"]
    done = await _done(client, ctx, pid, started["id"])
    assert done["status"] == "ready", done
    first_call = vercel.state.requests()[calls]
    assert first_call == vercel.state.requests()[calls + 1]  # the same call, once more


async def test_a_revoked_token_ends_the_deployment_asking_to_reconnect(
    client: httpx.AsyncClient, ctx: AppContext, vercel: FakeVercelServer
) -> None:
    token = f"vercel_revoked_{uuid.uuid4().hex}"
    vercel.state.add_token(token, "ada")
    await _connected(client, ctx, "vercel-revoked@example.com", token)
    pid = (await create_project(client, "Vercel Revoked", "static"))["id"]
    vercel.state.revoke(token)

    failed = await _publish(client, ctx, pid)
    assert failed["status"] == "error"
    assert "reconnect Vercel" in failed["error_summary"]
    answers = [
        json.dumps(failed),
        await _log(client, pid, failed["id"]),
        (await client.get(f"/api/deploy/{pid}/status")).text,
        (await client.get(f"/api/deploy/{pid}/history")).text,
        (await client.get("/api/integrations/vercel")).text,
    ]
    assert "reconnect Vercel" in answers[1]
    assert all(token not in answer for answer in answers)


async def test_going_live_on_vercel_stops_the_address_here_until_a_rollback(
    client: httpx.AsyncClient, ctx: AppContext, vercel: FakeVercelServer
) -> None:
    await _connected(client, ctx, "vercel-moves@example.com")
    pid = (await create_project(client, "Vercel Moves", "static"))["id"]
    here = await _publish_local(client, ctx, pid, slug=f"moves-{pid[:8]}")
    assert here["status"] == "ready"
    slug = f"moves-{pid[:8]}"
    assert ctx.publisher.site(slug) is not None

    hosted = await _publish(client, ctx, pid)
    assert hosted["status"] == "ready", hosted
    assert hosted["url"] == f"https://{slug}.vercel.app"
    assert ctx.publisher.site(slug) is None
    # After a restart too, only a deployment on this server is served here.
    old = ctx.publisher
    fresh = Publisher(ctx.settings, ctx.sessions, ctx.events, old.archive, old.env, old.local)
    await fresh.load()
    assert fresh.site(slug) is None

    back = await client.post(f"/api/deploy/{pid}/rollback", json={"deployment_id": here["id"]})
    assert back.status_code == 200, back.text
    assert back.json()["url"] == here["url"]
    site = ctx.publisher.site(slug)
    assert site is not None and site.deployment_id == here["id"]


@pytest.mark.parametrize(
    ("template", "framework", "output"),
    [("react-vite", "vite", "dist"), ("nextjs", "nextjs", None)],
)
async def test_each_template_deploys_with_its_framework_into_the_team(
    client: httpx.AsyncClient,
    ctx: AppContext,
    vercel: FakeVercelServer,
    template: str,
    framework: str,
    output: str | None,
) -> None:
    await _connected(client, ctx, f"vercel-{template}@example.com", team_id=TEAM)
    pid = (await create_project(client, f"Vercel {template}", template))["id"]
    done = await _publish(client, ctx, pid)
    assert done["status"] == "ready", done
    name = (await client.get(f"/api/deploy/{pid}/status")).json()["slug"]
    project = vercel.state.project(name)
    assert project.owner == TEAM
    assert project.settings["framework"] == framework
    assert project.settings["outputDirectory"] == output
    assert 'Running "npm run build"' in await _log(client, pid, done["id"])
    deployed = next(d for d in vercel.state.deployments.values() if d.project is project)
    assert "package.json" in deployed.files
    assert not any(path.startswith("node_modules/") for path in deployed.files)


async def test_refusals_are_clear_and_change_nothing(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await signup(client, "vercel-unverified@example.com")
    pid = (await create_project(client, "Vercel Mine", "static"))["id"]
    unverified = await client.post(f"/api/deploy/{pid}/vercel", json={})
    assert unverified.status_code == 403
    assert "Verify your email" in unverified.json()["detail"]

    await _connected(other_client, ctx, "vercel-bob@example.com", BOB)
    theirs = (await create_project(other_client, "Vercel Theirs", "static"))["id"]
    taken = await _publish(other_client, ctx, theirs)
    assert taken["status"] == "ready"

    await _verify(client, ctx, "vercel-unverified@example.com")
    unconnected = await client.post(f"/api/deploy/{pid}/vercel", json={})
    assert unconnected.status_code == 400, unconnected.text
    assert unconnected.json()["detail"] == "Connect Vercel in Settings first."
    assert (await client.put("/api/integrations/vercel", json={"token": ADA})).status_code == 200
    unknown = await client.post(f"/api/deploy/{pid}/vercel", json={"version": "f" * 40})
    assert unknown.status_code == 404, unknown.text
    assert (await client.get(f"/api/deploy/{pid}/history")).json() == []

    # Another person's project and deployment are not found.
    assert (await client.post(f"/api/deploy/{theirs}/vercel", json={})).status_code == 404
    other_dep = {"deployment_id": taken["id"]}
    assert (await client.post(f"/api/deploy/{theirs}/rollback", json=other_dep)).status_code == 404
    assert (await other_client.get(f"/api/deploy/{theirs}/status")).json()["live"]["id"] == (
        taken["id"]
    )
