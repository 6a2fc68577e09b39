"""Publishing on this server: a version becomes a public site at ``{slug}.apps.localhost``.

Through the API as a person would (signed in, email verified), served through the real
gateway on a real port, with the real git history of the project.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from appwright.context import AppContext
from appwright.core.mail import OutboxMailer
from appwright.deploy.publisher import Publisher
from appwright.preview import GatewayConfig, PreviewAuth, PreviewGateway
from tests.helpers import create_project, signup

pytestmark = pytest.mark.anyio


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
async def site_client(ctx: AppContext) -> AsyncIterator[httpx.AsyncClient]:
    """A browser with no cookies at the platform's public port (the gateway)."""

    async def no_preview(_: str) -> str | None:
        return None

    gateway = PreviewGateway(
        GatewayConfig(apps_domain=ctx.settings.apps_domain),
        PreviewAuth(b"k" * 32),
        no_preview,
        resolve_site=ctx.publisher.site,
    )
    port = await gateway.start("127.0.0.1", _free_port())
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as c:
        yield c
    await gateway.stop()


async def _verify(client: httpx.AsyncClient, ctx: AppContext, email: str) -> None:
    """Follow the link of the verification mail ``email`` received."""
    assert isinstance(ctx.mailer, OutboxMailer)
    for mail in await ctx.mailer.list():
        for link in mail["links"]:
            if "/verify-email?token=" in link and mail["to"] == email:
                token = link.split("token=", 1)[1]
                done = await client.post("/api/auth/verify-email", json={"token": token})
                assert done.status_code == 200, done.text
                return
    raise AssertionError("no verification mail")


async def _verified(client: httpx.AsyncClient, ctx: AppContext, email: str) -> None:
    await signup(client, email)
    await _verify(client, ctx, email)


async def _save(client: httpx.AsyncClient, pid: str, files: dict[str, str]) -> str:
    for path, content in files.items():
        put = await client.put(f"/api/files/{pid}/{path}", json={"content": content})
        assert put.status_code == 200, put.text
    saved = await client.post(f"/api/version-history/{pid}/save", json={"message": "edit"})
    assert saved.status_code == 200, saved.text
    sha: str = saved.json()["version"]["id"]
    return sha


async def _publish(
    client: httpx.AsyncClient, ctx: AppContext, pid: str, **body: Any
) -> dict[str, Any]:
    answer = await client.post(f"/api/deploy/{pid}/local", json=body)
    assert answer.status_code == 202, answer.text
    deployment: dict[str, Any] = answer.json()
    assert deployment["status"] == "queued"
    await ctx.publisher.wait(uuid.UUID(deployment["id"]))
    history = (await client.get(f"/api/deploy/{pid}/history")).json()
    done: dict[str, Any] = next(d for d in history if d["id"] == deployment["id"])
    return done


def _page(heading: str) -> str:
    return f"<!doctype html><html><body><h1>{heading}</h1></body></html>"


async def test_publish_change_republish_and_roll_back(
    client: httpx.AsyncClient, ctx: AppContext, site_client: httpx.AsyncClient
) -> None:
    await _verified(client, ctx, "pub@example.com")
    pid = (await create_project(client, "Landing", "static"))["id"]
    await _save(client, pid, {"index.html": _page("First edition")})

    first = await _publish(client, ctx, pid, slug="landing-page")
    assert first["status"] == "ready", first
    assert first["url"] == "http://landing-page.apps.localhost:8000/"
    host = {"Host": "landing-page.apps.localhost:8000"}
    page = await site_client.get("/", headers=host)
    assert page.status_code == 200
    assert "First edition" in page.text
    assert page.headers["content-type"].startswith("text/html")
    assert "set-cookie" not in page.headers
    # The template's dev server and the AI's instructions are not part of the site.
    for private in ("/serve.mjs", "/AI_RULES.md", "/.gitignore"):
        assert (await site_client.get(private, headers=host)).status_code == 404, private
    assert (await site_client.get("/styles.css", headers=host)).status_code == 200
    again = await site_client.get("/", headers={**host, "If-None-Match": page.headers["etag"]})
    assert again.status_code == 304

    # Edit, publish again: the same address serves the new version.
    await _save(client, pid, {"index.html": _page("Second edition")})
    second = await _publish(client, ctx, pid)
    assert second["status"] == "ready"
    assert "Second edition" in (await site_client.get("/", headers=host)).text

    # Roll back: the first deployment serves again, without a build.
    rolled = await client.post(f"/api/deploy/{pid}/rollback", json={"deployment_id": first["id"]})
    assert rolled.status_code == 200, rolled.text
    assert rolled.json()["live"]["id"] == first["id"]
    assert "First edition" in (await site_client.get("/", headers=host)).text
    status = (await client.get(f"/api/deploy/{pid}/status")).json()
    assert status["slug"] == "landing-page"
    assert status["live"]["id"] == first["id"]
    assert status["latest"]["id"] == second["id"]
    log = await client.get(f"/api/deploy/{pid}/logs", params={"deployment_id": first["id"]})
    assert "files ready" in log.text

    # A platform restart serves the live deployment again.
    old = ctx.publisher
    fresh = Publisher(ctx.settings, ctx.sessions, ctx.events, old.archive, old.env, old.local)
    await fresh.load()
    site = fresh.site("landing-page")
    assert site is not None and site.deployment_id == first["id"]


async def test_an_unknown_address_says_nothing_is_published(
    site_client: httpx.AsyncClient,
) -> None:
    page = await site_client.get("/", headers={"Host": "nothing-here.apps.localhost:8000"})
    assert page.status_code == 404
    assert "No app is published at this address" in page.text


async def test_a_failed_publish_keeps_the_earlier_deployment_live(
    client: httpx.AsyncClient, ctx: AppContext, site_client: httpx.AsyncClient
) -> None:
    await _verified(client, ctx, "keep@example.com")
    pid = (await create_project(client, "Kept", "static"))["id"]
    first = await _publish(client, ctx, pid, slug="kept-site")
    assert first["status"] == "ready"
    # A version without an index.html cannot be a site.
    deleted = await client.delete(f"/api/files/{pid}/index.html")
    assert deleted.status_code == 204, deleted.text
    saved = await client.post(f"/api/version-history/{pid}/save", json={"message": "oops"})
    assert saved.status_code == 200
    failed = await _publish(client, ctx, pid)
    assert failed["status"] == "error"
    assert "index.html" in failed["error_summary"]
    host = {"Host": "kept-site.apps.localhost"}
    assert "Your app starts here" in (await site_client.get("/", headers=host)).text
    status = (await client.get(f"/api/deploy/{pid}/status")).json()
    assert status["live"]["id"] == first["id"]


async def test_a_version_holding_a_link_is_not_published(
    client: httpx.AsyncClient, ctx: AppContext, site_client: httpx.AsyncClient
) -> None:
    # The sandbox can make links in its workspace; a site never serves one.
    await _verified(client, ctx, "link@example.com")
    pid = (await create_project(client, "Linked", "static"))["id"]
    (ctx.runtime.workspace_dir(pid) / "passwd.html").symlink_to("/etc/passwd")
    saved = await client.post(f"/api/version-history/{pid}/save", json={"message": "link"})
    assert saved.status_code == 200
    failed = await _publish(client, ctx, pid, slug="linked-site")
    assert failed["status"] == "error"
    assert "passwd.html is a link" in failed["error_summary"]
    host = {"Host": "linked-site.apps.localhost"}
    assert (await site_client.get("/passwd.html", headers=host)).status_code == 404


async def test_bad_requests_are_clear_and_change_nothing(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await signup(client, "unverified@example.com")
    pid = (await create_project(client, "Mine", "static"))["id"]
    unverified = await client.post(f"/api/deploy/{pid}/local", json={})
    assert unverified.status_code == 403
    assert "Verify your email" in unverified.json()["detail"]
    assert (await client.get(f"/api/deploy/{pid}/history")).json() == []

    await _verified(other_client, ctx, "other@example.com")
    theirs = (await create_project(other_client, "Theirs", "static"))["id"]
    taken = await _publish(other_client, ctx, theirs, slug="shared-name")
    assert taken["status"] == "ready"

    await _verify(client, ctx, "unverified@example.com")
    cases = {
        "Bad_Slug": (400, "lowercase letters"),
        "ab": (400, "3 to 63"),
        "www": (400, "reserved"),
        "xn--abc": (400, "hyphens"),
        "shared-name": (409, "taken"),
    }
    for slug, (code, words) in cases.items():
        answer = await client.post(f"/api/deploy/{pid}/local", json={"slug": slug})
        assert answer.status_code == code, (slug, answer.text)
        assert words in answer.json()["detail"], (slug, answer.text)
    unknown = await client.post(f"/api/deploy/{pid}/local", json={"version": "f" * 40})
    assert unknown.status_code == 404, unknown.text
    assert (await client.get(f"/api/deploy/{pid}/history")).json() == []

    # Another person's project and deployment are not found, whatever the route.
    assert (await client.post(f"/api/deploy/{theirs}/local", json={})).status_code == 404
    assert (await client.get(f"/api/deploy/{theirs}/status")).status_code == 404
    other_dep = {"deployment_id": taken["id"]}
    assert (await client.post(f"/api/deploy/{pid}/rollback", json=other_dep)).status_code == 404
    assert (await client.post(f"/api/deploy/{theirs}/rollback", json=other_dep)).status_code == 404
    logs = await client.get(f"/api/deploy/{pid}/logs", params=other_dep)
    assert logs.status_code == 404
    live = (await other_client.get(f"/api/deploy/{theirs}/status")).json()
    assert live["live"]["id"] == taken["id"]


async def test_the_project_answers_say_where_it_is_live(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await _verified(client, ctx, "badge@example.com")
    pid = (await create_project(client, "Badge", "static"))["id"]
    other = (await create_project(client, "Draft", "static"))["id"]

    async def urls() -> dict[str, str | None]:
        items = (await client.get("/api/projects")).json()["items"]
        return {p["id"]: p["published_url"] for p in items}

    assert await urls() == {pid: None, other: None}
    # A failed first publish keeps the address but nothing is live there.
    (ctx.runtime.workspace_dir(pid) / "index.html").unlink()
    assert (await client.post(f"/api/version-history/{pid}/save", json={})).status_code == 200
    failed = await _publish(client, ctx, pid, slug="badge-site")
    assert failed["status"] == "error"
    assert (await urls())[pid] is None

    put = await client.put(f"/api/files/{pid}/index.html", json={"content": _page("Live now")})
    assert put.status_code == 201, put.text
    assert (await client.post(f"/api/version-history/{pid}/save", json={})).status_code == 200
    ready = await _publish(client, ctx, pid)
    assert ready["status"] == "ready"
    assert await urls() == {pid: "http://badge-site.apps.localhost:8000/", other: None}
    one = (await client.get(f"/api/projects/{pid}")).json()
    assert one["published_url"] == ready["url"] == "http://badge-site.apps.localhost:8000/"
