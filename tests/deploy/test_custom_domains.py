"""Custom domains: a published app answers at a domain of its owner's, once the DNS says so.

Through the API as a person would, with the DNS checked by a real resolver against a
local DNS server the test fills (``testing/fakes/dns``), and the app served through the
gateway the platform builds (``server.build_gateway``) on a real port.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from appwright.context import AppContext
from appwright.core.config import Settings
from appwright.deploy.dns_check import DnsChecker
from appwright.deploy.domain_names import BadDomain, check_domain
from appwright.deploy.domain_schemas import DnsRecord
from appwright.deploy.domains import records
from appwright.deploy.publisher import Publisher
from appwright.models import ProjectDomain
from testing.fakes.dns import FakeDnsServer, serve
from tests.deploy.test_local_publish import _page, _publish, _save, _verified, _verify
from tests.helpers import create_project, signup

pytestmark = pytest.mark.anyio

NOT_PUBLISHED = "No app is published at this address"


@pytest.fixture
def fake_dns() -> Iterator[FakeDnsServer]:
    with serve() as server:
        yield server


@pytest.fixture
def settings(settings: Settings, fake_dns: FakeDnsServer) -> Settings:
    return settings.model_copy(update={"dns_nameservers": fake_dns.address})


async def _published_site(
    client: httpx.AsyncClient, ctx: AppContext, email: str, slug: str, heading: str
) -> str:
    """A verified person's static project, published at ``slug``; its id."""
    await _verified(client, ctx, email)
    pid: str = (await create_project(client, heading, "static"))["id"]
    await _save(client, pid, {"index.html": _page(heading)})
    assert (await _publish(client, ctx, pid, slug=slug))["status"] == "ready"
    return pid


def _records(domain: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {r["type"]: (r["name"], r["value"]) for r in domain["records"]}


async def _verify_domain(client: httpx.AsyncClient, pid: str, name: str) -> dict[str, Any]:
    answer = await client.post(f"/api/deploy/{pid}/domains/{name}/verify")
    assert answer.status_code == 200, answer.text
    check: dict[str, Any] = answer.json()
    return check


async def _asked(client: httpx.AsyncClient, name: str) -> int:
    """What the TLS proxy's question about ``name`` is answered."""
    answer = await client.get("/api/deploy/domains/check", params={"domain": name})
    return answer.status_code


async def test_a_domain_serves_the_live_app_once_its_records_are_verified(
    client: httpx.AsyncClient,
    ctx: AppContext,
    public_client: httpx.AsyncClient,
    fake_dns: FakeDnsServer,
) -> None:
    pid = await _published_site(client, ctx, "owner@example.com", "landing-page", "First edition")

    added = await client.post(f"/api/deploy/{pid}/domains", json={"name": "WWW.Example.com."})
    assert added.status_code == 201, added.text
    domain = added.json()
    assert domain["name"] == "www.example.com"
    assert domain["verified"] is False and domain["url"] is None
    records = _records(domain)
    assert records["CNAME"] == ("www.example.com", "landing-page.apps.localhost")
    txt_name, txt_value = records["TXT"]
    assert txt_name == "_appwright.www.example.com"
    assert txt_value.startswith("appwright-verify=") and len(txt_value) > 30
    listed = (await client.get(f"/api/deploy/{pid}/domains")).json()
    assert [(d["name"], d["verified"]) for d in listed] == [("www.example.com", False)]

    host = {"Host": "www.example.com:8000"}
    page = await public_client.get("/", headers=host)
    assert page.status_code == 404 and NOT_PUBLISHED in page.text
    assert await _asked(client, "www.example.com") == 404

    # Before any record exists: unverified, both records named as missing.
    check = await _verify_domain(client, pid, "www.example.com")
    assert check["verified"] is False
    assert {(p["type"], p["name"], p["reason"]) for p in check["problems"]} == {
        ("CNAME", "www.example.com", "missing"),
        ("TXT", "_appwright.www.example.com", "missing"),
    }
    assert "does not exist in the DNS" in check["last_error"]
    assert check["last_checked_at"] is not None

    # The TXT record alone, then a CNAME pointing elsewhere: still unverified, and why.
    fake_dns.set(txt_name, "TXT", txt_value)
    fake_dns.set("www.example.com", "CNAME", "somewhere.example.net")
    check = await _verify_domain(client, pid, "www.example.com")
    assert check["verified"] is False
    [problem] = check["problems"]
    assert (problem["type"], problem["reason"]) == ("CNAME", "wrong")
    assert problem["found"] == ["somewhere.example.net"]
    assert "landing-page.apps.localhost" in problem["message"]
    assert (await public_client.get("/", headers=host)).status_code == 404

    # Both records right: verified, and the domain serves the live deployment.
    fake_dns.set("www.example.com", "CNAME", "landing-page.apps.localhost.")
    check = await _verify_domain(client, pid, "www.example.com")
    assert check["verified"] is True, check
    assert check["problems"] == [] and check["last_error"] is None
    assert check["url"] == "http://www.example.com:8000/"
    page = await public_client.get("/", headers=host)
    assert page.status_code == 200 and "First edition" in page.text
    assert "set-cookie" not in page.headers
    assert (await public_client.get("/serve.mjs", headers=host)).status_code == 404
    assert await _asked(client, "www.example.com") == 200
    assert await _asked(client, "WWW.EXAMPLE.COM.") == 200
    listed = (await client.get(f"/api/deploy/{pid}/domains")).json()
    assert [(d["name"], d["verified"]) for d in listed] == [("www.example.com", True)]

    # A new publish is served at the domain too.
    await _save(client, pid, {"index.html": _page("Second edition")})
    assert (await _publish(client, ctx, pid))["status"] == "ready"
    assert "Second edition" in (await public_client.get("/", headers=host)).text

    # After a platform restart the domain serves the live deployment again.
    live = (await client.get(f"/api/deploy/{pid}/status")).json()["live"]
    old = ctx.publisher
    fresh = Publisher(ctx.settings, ctx.sessions, ctx.events, old.archive, old.env, old.local)
    await fresh.load()
    site = fresh.domains.site("www.example.com")
    assert site is not None and site.deployment_id == live["id"]
    assert fresh.domains.site("other.example.com") is None

    # Removed: the domain answers nothing any more, and the proxy gets no certificate.
    removed = await client.delete(f"/api/deploy/{pid}/domains/www.example.com")
    assert removed.status_code == 204, removed.text
    page = await public_client.get("/", headers=host)
    assert page.status_code == 404 and NOT_PUBLISHED in page.text
    assert await _asked(client, "www.example.com") == 404
    assert (await client.get(f"/api/deploy/{pid}/domains")).json() == []
    # The slug's address is untouched.
    slug_page = await public_client.get("/", headers={"Host": "landing-page.apps.localhost"})
    assert "Second edition" in slug_page.text


async def test_a_record_gone_wrong_unverifies_the_domain(
    client: httpx.AsyncClient,
    ctx: AppContext,
    public_client: httpx.AsyncClient,
    fake_dns: FakeDnsServer,
) -> None:
    pid = await _published_site(client, ctx, "moved@example.com", "moved-site", "Moved")
    domain = (await client.post(f"/api/deploy/{pid}/domains", json={"name": "bücher.de"})).json()
    assert domain["name"] == "xn--bcher-kva.de"
    for kind, (name, value) in _records(domain).items():
        fake_dns.set(name, kind, value)
    assert (await _verify_domain(client, pid, "bücher.de"))["verified"] is True
    host = {"Host": "xn--bcher-kva.de"}
    assert "Moved" in (await public_client.get("/", headers=host)).text

    # A DNS server that cannot answer proves nothing either way: the domain keeps serving.
    fake_dns.failing = True
    check = await _verify_domain(client, pid, "xn--bcher-kva.de")
    assert check["verified"] is True
    assert {p["reason"] for p in check["problems"]} == {"lookup_failed"}
    assert "try again" in check["last_error"]
    assert "Moved" in (await public_client.get("/", headers=host)).text
    fake_dns.failing = False

    # The domain's owner points it elsewhere: the next check unverifies it.
    fake_dns.clear()
    check = await _verify_domain(client, pid, "xn--bcher-kva.de")
    assert check["verified"] is False and check["verified_at"] is None
    assert {p["type"] for p in check["problems"]} == {"CNAME", "TXT"}
    page = await public_client.get("/", headers=host)
    assert page.status_code == 404 and NOT_PUBLISHED in page.text


async def test_an_unknown_domain_says_nothing_is_published(
    public_client: httpx.AsyncClient,
) -> None:
    page = await public_client.get("/", headers={"Host": "never-added.example.org"})
    assert page.status_code == 404
    assert NOT_PUBLISHED in page.text
    # The platform's own names still reach the platform.
    health = await public_client.get("/api/health", headers={"Host": "localhost:8000"})
    assert health.status_code == 200, health.text


async def test_a_deleted_project_no_longer_answers_at_its_domain(
    client: httpx.AsyncClient,
    ctx: AppContext,
    public_client: httpx.AsyncClient,
    fake_dns: FakeDnsServer,
) -> None:
    pid = await _published_site(client, ctx, "gone@example.com", "gone-site", "Gone")
    added = await client.post(f"/api/deploy/{pid}/domains", json={"name": "gone.example.com"})
    domain = added.json()
    for kind, (name, value) in _records(domain).items():
        fake_dns.set(name, kind, value)
    assert (await _verify_domain(client, pid, "gone.example.com"))["verified"] is True
    host = {"Host": "gone.example.com"}
    assert (await public_client.get("/", headers=host)).status_code == 200

    gone = await client.delete(f"/api/projects/{pid}", params={"confirm_name": "Gone"})
    assert gone.status_code == 204, gone.text
    assert (await public_client.get("/", headers=host)).status_code == 404
    assert await _asked(client, "gone.example.com") == 404


async def test_bad_requests_are_clear_and_change_nothing(
    client: httpx.AsyncClient,
    other_client: httpx.AsyncClient,
    ctx: AppContext,
    public_client: httpx.AsyncClient,
) -> None:
    # An account whose email is not verified adds no domain.
    await signup(client, "late@example.com")
    pid = (await create_project(client, "Mine", "static"))["id"]
    unverified = await client.post(f"/api/deploy/{pid}/domains", json={"name": "mine.example.com"})
    assert unverified.status_code == 403
    assert "Verify your email" in unverified.json()["detail"]
    await _verify(client, ctx, "late@example.com")

    # Not published yet.
    early = await client.post(f"/api/deploy/{pid}/domains", json={"name": "mine.example.com"})
    assert early.status_code == 409, early.text
    assert "Publish first" in early.json()["detail"]
    assert (await client.get(f"/api/deploy/{pid}/domains")).json() == []

    # Another person's published project and domain.
    theirs = await _published_site(other_client, ctx, "them@example.com", "their-site", "Theirs")
    claimed = await other_client.post(
        f"/api/deploy/{theirs}/domains", json={"name": "shop.example.com"}
    )
    assert claimed.status_code == 201, claimed.text

    await _save(client, pid, {"index.html": _page("Mine")})
    assert (await _publish(client, ctx, pid, slug="my-site"))["status"] == "ready"
    cases = {
        "203.0.113.9": (400, "not an address"),
        "[2001:db8::1]": (400, "not an address"),
        "2130706433": (400, "not an address"),
        "example": (400, "at least two parts"),
        "shop.example.com:8443": (400, "no scheme, port or path"),
        "https://shop.example.com/": (400, "no scheme, port or path"),
        "-shop.example.com": (400, "letters, digits and hyphens"),
        "under_score.example.com": (400, "letters, digits and hyphens"),
        "a" * 64 + ".example.com": (400, "at most 63"),
        ("a" * 50 + ".") * 5 + "com": (400, "at most 253"),
        "xn--zz.example.com": (400, "not a valid domain name"),
        "x.my-site.apps.localhost": (400, "cannot be reached"),
        "": (400, "Give a domain name"),
        "shop.example.com": (409, "another app"),
    }
    for name, (code, words) in cases.items():
        answer = await client.post(f"/api/deploy/{pid}/domains", json={"name": name})
        assert answer.status_code == code, (name, answer.text)
        assert words in answer.json()["detail"], (name, answer.text)
    assert (await client.get(f"/api/deploy/{pid}/domains")).json() == []

    added = await client.post(f"/api/deploy/{pid}/domains", json={"name": "mine.example.com"})
    assert added.status_code == 201, added.text
    again = await client.post(f"/api/deploy/{pid}/domains", json={"name": "MINE.example.com"})
    assert again.status_code == 409 and "already" in again.json()["detail"]

    # Another person's project and domain are not found, whatever the route.
    assert (await client.get(f"/api/deploy/{theirs}/domains")).status_code == 404
    for answer in (
        await client.post(f"/api/deploy/{theirs}/domains", json={"name": "x.example.com"}),
        await client.post(f"/api/deploy/{theirs}/domains/shop.example.com/verify"),
        await client.delete(f"/api/deploy/{theirs}/domains/shop.example.com"),
        await client.post(f"/api/deploy/{pid}/domains/shop.example.com/verify"),
        await client.delete(f"/api/deploy/{pid}/domains/shop.example.com"),
    ):
        assert answer.status_code == 404, answer.text
    their_list = (await other_client.get(f"/api/deploy/{theirs}/domains")).json()
    assert [d["name"] for d in their_list] == ["shop.example.com"]
    mine = (await client.get(f"/api/deploy/{pid}/domains")).json()
    assert [d["name"] for d in mine] == ["mine.example.com"]
    assert await _asked(client, "1..2") == 400


async def test_a_claim_nobody_verified_lapses_for_another_project(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, ctx: AppContext
) -> None:
    squatter = await _published_site(other_client, ctx, "squat@example.com", "squat-site", "S")
    claim = await other_client.post(
        f"/api/deploy/{squatter}/domains", json={"name": "brand.example.com"}
    )
    assert claim.status_code == 201
    pid = await _published_site(client, ctx, "brand@example.com", "brand-site", "Brand")
    early = await client.post(f"/api/deploy/{pid}/domains", json={"name": "brand.example.com"})
    assert early.status_code == 409

    async with ctx.sessions() as session:  # eight days pass
        long_ago = datetime.now(UTC) - timedelta(days=8)
        await session.execute(update(ProjectDomain).values(created_at=long_ago))
        await session.commit()
    taken = await client.post(f"/api/deploy/{pid}/domains", json={"name": "brand.example.com"})
    assert taken.status_code == 201, taken.text
    assert (await other_client.get(f"/api/deploy/{squatter}/domains")).json() == []


def test_the_platform_names_cannot_be_added() -> None:
    settings = Settings(
        public_url="https://build.example.org",
        apps_domain="apps.example.org",
        preview_domain="preview.example.org",
        allowed_hosts="admin.example.net, *.internal.example.net",
    )
    for name in ("build.example.org", "x.build.example.org", "my-app.apps.example.org",
                 "apps.example.org", "p.preview.example.org", "admin.example.net",
                 "db.internal.example.net"):  # fmt: skip
        with pytest.raises(BadDomain, match="address of this platform"):
            check_domain(name, settings)
    assert check_domain("example.org", settings) == "example.org"


def test_with_a_public_address_the_records_ask_for_an_address_record() -> None:
    domain = ProjectDomain(name="example.com", verification_token="t0k")
    for address, kind in (("203.0.113.7", "A"), ("2001:db8::7", "AAAA")):
        settings = Settings(public_address=address)
        route, proof = records(settings, "my-app", domain)
        assert (route.type, route.name, route.value) == (kind, "example.com", address)
        assert (proof.type, proof.name, proof.value) == (
            "TXT",
            "_appwright.example.com",
            "appwright-verify=t0k",
        )
    with pytest.raises(ValueError, match="APPWRIGHT_PUBLIC_ADDRESS"):
        Settings(public_address="platform.example.com")
    with pytest.raises(ValueError, match="APPWRIGHT_DNS_NAMESERVERS"):
        Settings(dns_nameservers="ns1.example.com")


async def test_an_a_record_check_follows_the_cname_to_the_address(
    fake_dns: FakeDnsServer, settings: Settings
) -> None:
    checker = DnsChecker(settings.nameservers)
    record = DnsRecord(type="A", name="apex.example.com", value="203.0.113.7")
    [missing] = await checker.problems([record])
    assert missing.reason == "missing" and "add an A record" in missing.message
    fake_dns.set("apex.example.com", "CNAME", "edge.example.net")
    fake_dns.set("edge.example.net", "A", "198.51.100.1", "203.0.113.7")
    assert await checker.problems([record]) == []
    fake_dns.set("edge.example.net", "A", "198.51.100.1")
    [wrong] = await checker.problems([record])
    assert wrong.reason == "wrong" and wrong.found == ["198.51.100.1"]
    unique = uuid.uuid4().hex  # no such name anywhere
    [nx] = await checker.problems([DnsRecord(type="TXT", name=f"{unique}.test", value="v")])
    assert nx.reason == "missing"
