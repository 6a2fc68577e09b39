"""Custom domains of apps published on Vercel: attached to the person's Vercel project
with their own token, verified by Vercel, served by Vercel and never by this server's
gateway. Through the API as a person would, against the fake Vercel over real HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from appwright.context import AppContext
from appwright.core.config import Settings
from appwright.deploy.publisher import Publisher
from appwright.deploy.vercel import ProjectSettings, VercelClient
from testing.fakes.vercel import FakeVercelServer, serve
from tests.deploy.test_vercel_publish import _connected, _publish
from tests.helpers import create_project

pytestmark = pytest.mark.anyio

ADA = "vercel_ada_domains_0123456789"
BOB = "vercel_bob_domains_0123456789"
CAROL = "vercel_carol_domains_0123456789"
NOT_PUBLISHED = "No app is published at this address"


@pytest.fixture(scope="module")
def fake_vercel() -> Iterator[FakeVercelServer]:
    with serve(step_seconds=0.02) as vercel:
        for token, user in ((ADA, "ada"), (BOB, "bob"), (CAROL, "carol")):
            vercel.state.add_token(token, user)
        yield vercel


@pytest.fixture
def vercel(fake_vercel: FakeVercelServer) -> Iterator[FakeVercelServer]:
    yield fake_vercel
    fake_vercel.state.throttle(0)


@pytest.fixture
def settings(settings: Settings, fake_vercel: FakeVercelServer) -> Settings:
    return settings.model_copy(update={"vercel_api_url": fake_vercel.url})


async def _on_vercel(
    client: httpx.AsyncClient, ctx: AppContext, email: str, token: str, name: str
) -> tuple[str, str]:
    """A connected person's static project, live on Vercel: its id and Vercel project."""
    await _connected(client, ctx, email, token)
    unique = f"{name} {uuid.uuid4().hex[:6]}"  # a Vercel project of its own on each run
    pid: str = (await create_project(client, unique, "static"))["id"]
    assert (await _publish(client, ctx, pid))["status"] == "ready"
    slug: str = (await client.get(f"/api/deploy/{pid}/status")).json()["slug"]
    return pid, slug


def _records(domain: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(r["type"], r["name"], r["value"]) for r in domain["records"]]


async def _names(client: httpx.AsyncClient, pid: str) -> list[tuple[str, bool]]:
    listed = (await client.get(f"/api/deploy/{pid}/domains")).json()
    return [(d["name"], d["verified"]) for d in listed]


async def test_a_domain_of_an_app_on_vercel_is_attached_verified_and_removed_there(
    client: httpx.AsyncClient,
    ctx: AppContext,
    public_client: httpx.AsyncClient,
    vercel: FakeVercelServer,
) -> None:
    pid, slug = await _on_vercel(client, ctx, "vd-owner@example.com", ADA, "Vercel Domains")
    www = f"www-{pid[:8]}.example.com"
    vercel.state.claim_domain(www)  # another Vercel account had it: a TXT record proves it

    calls = len(vercel.state.requests())
    vercel.state.throttle(1, retry_after=1)  # Vercel's 429 is waited out
    added = await client.post(f"/api/deploy/{pid}/domains", json={"name": www.upper()})
    assert added.status_code == 201, added.text
    first, again = vercel.state.requests()[calls : calls + 2]
    assert first == again and first["body"] == {"name": www}
    domain = added.json()
    assert (domain["name"], domain["target"]) == (www, "vercel")
    assert domain["verified"] is False and domain["url"] is None
    [route, proof] = _records(domain)
    assert route == ("CNAME", www, "cname.vercel-dns.com")
    assert proof[:2] == ("TXT", "_vercel.example.com")
    assert proof[2].startswith(f"vc-domain-verify={www},")
    assert www in vercel.state.project(slug).domains
    listed = (await client.get(f"/api/deploy/{pid}/domains")).json()
    assert [_records(d) for d in listed] == [[route, proof]]

    # Before the TXT record exists: Vercel does not verify it, and says which record.
    check = (await client.post(f"/api/deploy/{pid}/domains/{www}/verify")).json()
    assert check["verified"] is False and check["last_checked_at"] is not None
    [problem] = check["problems"]
    assert (problem["type"], problem["name"], problem["reason"]) == (
        "TXT",
        "_vercel.example.com",
        "missing",
    )
    assert problem["expected"] == proof[2]
    assert "different account" in problem["message"]
    assert "different account" in check["last_error"]

    # The TXT record published: verified on Vercel, which serves it over HTTPS.
    vercel.state.publish_txt(proof[1], proof[2])
    answer = await client.post(f"/api/deploy/{pid}/domains/{www}/verify")
    assert answer.status_code == 200, answer.text
    check = answer.json()
    assert check["verified"] is True, check
    assert check["problems"] == [] and check["last_error"] is None
    assert check["url"] == f"https://{www}/"
    assert _records(check) == [route]
    assert vercel.state.project(slug).domains[www]["verified"] is True
    assert await _names(client, pid) == [(www, True)]

    # This server's gateway does not answer it, nor gets a certificate for it, even
    # after a restart.
    page = await public_client.get("/", headers={"Host": www})
    assert page.status_code == 404 and NOT_PUBLISHED in page.text
    asked = await client.get("/api/deploy/domains/check", params={"domain": www})
    assert asked.status_code == 404
    old = ctx.publisher
    fresh = Publisher(ctx.settings, ctx.sessions, ctx.events, old.archive, old.env, old.local)
    await fresh.load()
    assert not fresh.domains.verified(www)

    # An apex domain nobody else has on Vercel: verified at once, routed with an A record.
    apex = f"shop-{pid[:8]}.com"
    added = await client.post(f"/api/deploy/{pid}/domains", json={"name": apex})
    assert added.status_code == 201, added.text
    assert added.json()["verified"] is True
    assert _records(added.json()) == [("A", apex, "76.76.21.21")]

    # One already on the Vercel project (added on Vercel's dashboard) is taken as it is.
    dashboard = f"dash-{pid[:8]}.example.com"
    async with VercelClient(vercel.url, ADA) as ada:
        await ada.add_domain(slug, dashboard)
    added = await client.post(f"/api/deploy/{pid}/domains", json={"name": dashboard})
    assert added.status_code == 201, added.text
    assert added.json()["verified"] is True
    assert _records(added.json()) == [("CNAME", dashboard, "cname.vercel-dns.com")]

    # Removed: gone here and from the Vercel project.
    for name in (www, apex, dashboard):
        removed = await client.delete(f"/api/deploy/{pid}/domains/{name}")
        assert removed.status_code == 204, removed.text
    assert vercel.state.project(slug).domains == {}
    assert await _names(client, pid) == []


async def test_vercel_refusals_are_clear_and_store_nothing(
    client: httpx.AsyncClient,
    other_client: httpx.AsyncClient,
    ctx: AppContext,
    vercel: FakeVercelServer,
) -> None:
    token = f"vercel_revoked_{uuid.uuid4().hex}"
    vercel.state.add_token(token, "ada")
    pid, slug = await _on_vercel(client, ctx, "vd-refused@example.com", token, "Vercel Refused")
    kept = f"kept-{pid[:8]}.example.org"
    assert (await client.post(f"/api/deploy/{pid}/domains", json={"name": kept})).status_code == (
        201
    )

    # A domain another Vercel account uses: 409 with Vercel's words, nothing kept here.
    elsewhere = f"taken-{pid[:8]}.example.org"
    async with VercelClient(vercel.url, CAROL) as carol:
        project = await carol.ensure_project(f"carol-{pid[:8]}", ProjectSettings())
        await carol.add_domain(project.id, elsewhere)
    taken = await client.post(f"/api/deploy/{pid}/domains", json={"name": elsewhere})
    assert taken.status_code == 409, taken.text
    assert "already in use by another project" in taken.json()["detail"]
    assert await _names(client, pid) == [(kept, True)]

    # Another person's project and domain are not found, and Vercel is not asked.
    theirs, their_slug = await _on_vercel(
        other_client, ctx, "vd-theirs@example.com", BOB, "Vercel Theirs"
    )
    bobs = f"bob-{pid[:8]}.example.org"
    added = await other_client.post(f"/api/deploy/{theirs}/domains", json={"name": bobs})
    assert added.status_code == 201, added.text
    calls = len(vercel.state.requests())
    for answer in (
        await client.get(f"/api/deploy/{theirs}/domains"),
        await client.post(f"/api/deploy/{theirs}/domains", json={"name": f"x-{bobs}"}),
        await client.post(f"/api/deploy/{theirs}/domains/{bobs}/verify"),
        await client.delete(f"/api/deploy/{theirs}/domains/{bobs}"),
        await client.delete(f"/api/deploy/{pid}/domains/{bobs}"),
    ):
        assert answer.status_code == 404, answer.text
    assert len(vercel.state.requests()) == calls
    assert bobs in vercel.state.project(their_slug).domains

    # A revoked token: every call asks to reconnect Vercel, and nothing changes.
    vercel.state.revoke(token)
    new = f"new-{pid[:8]}.example.org"
    for answer in (
        await client.post(f"/api/deploy/{pid}/domains", json={"name": new}),
        await client.post(f"/api/deploy/{pid}/domains/{kept}/verify"),
        await client.delete(f"/api/deploy/{pid}/domains/{kept}"),
    ):
        assert answer.status_code == 400, answer.text
        assert "reconnect Vercel" in answer.json()["detail"]
        assert token not in answer.text
    assert await _names(client, pid) == [(kept, True)]
    assert set(vercel.state.project(slug).domains) == {kept}
