"""Projects and their environment variables through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from appwright.context import AppContext
from appwright.models import ProjectEnvVar
from appwright.versions.history import repo_for
from tests.helpers import create_project, signup

pytestmark = pytest.mark.anyio


async def test_create_list_get_update(client: httpx.AsyncClient) -> None:
    await signup(client)
    project = await create_project(client, "Shop", "nextjs", description="Sells hats")
    assert project["template"] == "nextjs"
    listing = (await client.get("/api/projects")).json()
    assert listing["total"] == 1
    assert listing["items"][0]["id"] == project["id"]
    got = await client.get(f"/api/projects/{project['id']}")
    assert got.json()["description"] == "Sells hats"
    updated = await client.put(f"/api/projects/{project['id']}", json={"name": "Hat shop"})
    assert updated.status_code == 200
    assert updated.json()["name"] == "Hat shop"
    assert updated.json()["description"] == "Sells hats"


async def test_search_filter_and_pagination(client: httpx.AsyncClient) -> None:
    await signup(client)
    await client.patch("/api/users/me", json={})
    # Free plan allows 3; search and filters work within that.
    await create_project(client, "Blog", "nextjs", description="my writing")
    await create_project(client, "Landing", "static", description="100% pure HTML")
    await create_project(client, "Dashboard", "react-vite")

    async def names(**params: str | int) -> list[str]:
        r = await client.get("/api/projects", params=params)
        assert r.status_code == 200
        return sorted(p["name"] for p in r.json()["items"])

    assert await names(q="blog") == ["Blog"]
    assert await names(q="WRITING") == ["Blog"]
    assert await names(q="100%") == ["Landing"]
    assert await names(q="%") == ["Landing"]  # a literal percent sign, not a wildcard
    assert await names(template="static") == ["Landing"]
    first = (await client.get("/api/projects", params={"page_size": 2, "page": 1})).json()
    second = (await client.get("/api/projects", params={"page_size": 2, "page": 2})).json()
    assert first["total"] == 3
    assert len(first["items"]) == 2
    assert len(second["items"]) == 1
    assert {p["id"] for p in first["items"]}.isdisjoint({p["id"] for p in second["items"]})


async def test_unknown_template_is_a_clear_400(client: httpx.AsyncClient) -> None:
    await signup(client)
    r = await client.post("/api/projects", json={"name": "X", "template": "rails"})
    assert r.status_code == 400
    assert "nextjs" in r.json()["detail"]


async def test_plan_limit_on_free_plan(client: httpx.AsyncClient) -> None:
    await signup(client)
    for i in range(3):
        await create_project(client, f"P{i}", "static")
    fourth = await client.post("/api/projects", json={"name": "P4", "template": "static"})
    assert fourth.status_code == 403
    assert fourth.json()["error"] == "PlanLimitExceeded"
    assert "3 projects" in fourth.json()["detail"]
    project_id = (await client.get("/api/projects")).json()["items"][0]["id"]
    dup = await client.post(f"/api/projects/{project_id}/duplicate", json={})
    assert dup.status_code == 403
    assert (await client.get("/api/projects")).json()["total"] == 3


async def test_delete_requires_the_exact_name(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await signup(client)
    project = await create_project(client, "Keep me")
    workspace = ctx.runtime.workspace_dir(project["id"])
    git_dir = repo_for(ctx.runtime, project["id"]).git.git_dir
    assert workspace.is_dir() and git_dir.is_dir()
    wrong = await client.delete(
        f"/api/projects/{project['id']}", params={"confirm_name": "keep me"}
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "ConfirmationMismatch"
    missing = await client.delete(f"/api/projects/{project['id']}")
    assert missing.status_code == 422
    assert (await client.get(f"/api/projects/{project['id']}")).status_code == 200
    ok = await client.delete(f"/api/projects/{project['id']}", params={"confirm_name": "Keep me"})
    assert ok.status_code == 204
    assert (await client.get(f"/api/projects/{project['id']}")).status_code == 404
    assert not workspace.exists() and not git_dir.exists()  # its files and its history


async def test_duplicate_copies_template_description_and_env(client: httpx.AsyncClient) -> None:
    await signup(client)
    project = await create_project(client, "Orig", "react-vite", description="d")
    await client.put(f"/api/projects/{project['id']}/env/API_URL", json={"value": "https://x.y"})
    dup = await client.post(f"/api/projects/{project['id']}/duplicate", json={})
    assert dup.status_code == 201
    copy = dup.json()
    assert copy["name"] == "Orig (copy)"
    assert copy["template"] == "react-vite"
    assert copy["id"] != project["id"]
    revealed = await client.post(f"/api/projects/{copy['id']}/env/API_URL/reveal")
    assert revealed.json()["value"] == "https://x.y"


async def test_env_vars_are_encrypted_masked_and_revealed_on_request(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await signup(client)
    project = await create_project(client)
    secret = "sk_live_51Habcdefghijklmnop"
    put = await client.put(f"/api/projects/{project['id']}/env/STRIPE_KEY", json={"value": secret})
    assert put.status_code == 200
    assert secret not in put.text
    listed = (await client.get(f"/api/projects/{project['id']}/env")).json()
    assert [v["key"] for v in listed] == ["STRIPE_KEY"]
    assert secret not in str(listed)
    assert listed[0]["masked_value"].startswith("sk")
    async with ctx.sessions() as session:
        stored = (await session.scalars(select(ProjectEnvVar))).one()
    assert secret not in stored.value_encrypted
    assert ctx.secrets.decrypt(stored.value_encrypted) == secret
    revealed = await client.post(f"/api/projects/{project['id']}/env/STRIPE_KEY/reveal")
    assert revealed.json() == {"key": "STRIPE_KEY", "value": secret}
    updated = await client.put(
        f"/api/projects/{project['id']}/env/STRIPE_KEY", json={"value": "v2"}
    )
    assert updated.status_code == 200
    revealed = await client.post(f"/api/projects/{project['id']}/env/STRIPE_KEY/reveal")
    assert revealed.json()["value"] == "v2"
    deleted = await client.delete(f"/api/projects/{project['id']}/env/STRIPE_KEY")
    assert deleted.status_code == 204
    assert (await client.get(f"/api/projects/{project['id']}/env")).json() == []


async def test_bad_env_var_names_are_refused(client: httpx.AsyncClient) -> None:
    await signup(client)
    project = await create_project(client)
    for key in ("1ABC", "WITH-DASH", "A" * 129, "spa ce"):
        r = await client.put(f"/api/projects/{project['id']}/env/{key}", json={"value": "x"})
        assert r.status_code == 400, key
        assert r.json()["error"] == "BadRequest"


async def test_names_that_change_how_the_sandbox_starts_are_refused_clearly(
    client: httpx.AsyncClient,
) -> None:
    """PATH, LD_* and friends would change the sandbox's own start: refused, nothing stored."""
    await signup(client)
    project = await create_project(client)
    expected = {
        "PATH": "PATH is set by the sandbox itself and cannot be changed.",
        "LD_PRELOAD": "LD_PRELOAD changes how the sandbox starts programs and cannot be set.",
        "GCONV_PATH": "GCONV_PATH changes how the sandbox starts programs and cannot be set.",
        "HTTPS_PROXY": "HTTPS_PROXY is set by the sandbox itself and cannot be changed.",
    }
    for key, detail in expected.items():
        r = await client.put(f"/api/projects/{project['id']}/env/{key}", json={"value": "."})
        assert r.status_code == 400, key
        assert r.json()["detail"] == detail
    assert (await client.get(f"/api/projects/{project['id']}/env")).json() == []
    ok = await client.put(f"/api/projects/{project['id']}/env/NODE_OPTIONS", json={"value": "x"})
    assert ok.status_code == 200


async def test_another_person_can_reach_nothing_of_a_project(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient
) -> None:
    """Isolation: every project endpoint answers 404 to someone who does not own it."""
    await signup(client, "owner@example.com")
    project = await create_project(client, "Private", "static", description="secret plans")
    pid = project["id"]
    await client.put(f"/api/projects/{pid}/env/TOKEN", json={"value": "owner-secret-value"})

    await signup(other_client, "intruder@example.com")
    attempts = [
        ("GET", f"/api/projects/{pid}", None, None),
        ("PUT", f"/api/projects/{pid}", {"name": "Pwned"}, None),
        ("DELETE", f"/api/projects/{pid}", None, {"confirm_name": "Private"}),
        ("POST", f"/api/projects/{pid}/duplicate", {}, None),
        ("GET", f"/api/projects/{pid}/env", None, None),
        ("PUT", f"/api/projects/{pid}/env/TOKEN", {"value": "overwritten"}, None),
        ("PUT", f"/api/projects/{pid}/env/NEW", {"value": "planted"}, None),
        ("DELETE", f"/api/projects/{pid}/env/TOKEN", None, None),
        ("POST", f"/api/projects/{pid}/env/TOKEN/reveal", None, None),
    ]
    for method, url, body, params in attempts:
        r = await other_client.request(method, url, json=body, params=params)
        assert r.status_code == 404, (method, url, r.status_code)
        assert "owner-secret-value" not in r.text
        assert "secret plans" not in r.text
    intruder_list = (await other_client.get("/api/projects")).json()
    assert intruder_list["total"] == 0
    searched = (await other_client.get("/api/projects", params={"q": "Private"})).json()
    assert searched["items"] == []

    # The owner's project and variables are untouched.
    mine = (await client.get(f"/api/projects/{pid}")).json()
    assert mine["name"] == "Private"
    env = (await client.get(f"/api/projects/{pid}/env")).json()
    assert [v["key"] for v in env] == ["TOKEN"]
    revealed = await client.post(f"/api/projects/{pid}/env/TOKEN/reveal")
    assert revealed.json()["value"] == "owner-secret-value"
    assert (await client.get("/api/projects")).json()["total"] == 1


async def test_unauthenticated_requests_get_401(client: httpx.AsyncClient) -> None:
    for method, url in [("GET", "/api/projects"), ("GET", "/api/auth/api-keys")]:
        r = await client.request(method, url)
        assert r.status_code == 401
        assert r.json()["error"] == "NotAuthenticated"
    bad_scheme = await client.get("/api/projects", headers={"Authorization": "Basic abc"})
    assert bad_scheme.status_code == 401
    assert "Bearer" in bad_scheme.json()["detail"]


async def test_malformed_ids_and_bodies_are_4xx(client: httpx.AsyncClient) -> None:
    await signup(client)
    assert (await client.get("/api/projects/not-a-uuid")).status_code == 422
    raw = await client.post(
        "/api/projects", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert raw.status_code == 422
    assert raw.json()["error"] == "ValidationError"
    assert (await client.get("/api/projects", params={"page": 0})).status_code == 422
    assert (await client.get("/api/nope")).status_code == 404


async def test_a_nul_character_in_any_query_is_a_clear_400(client: httpx.AsyncClient) -> None:
    """PostgreSQL cannot store NUL in text: a search for one must be refused, not crash."""
    await signup(client)
    await create_project(client, name="Kept")
    for params in ({"q": "\x00"}, {"template": "a\x00b"}, {"q": "x", "page_size": "1\x00"}):
        answer = await client.get("/api/projects", params=params)
        assert answer.status_code == 400, params
        assert answer.json() == {
            "error": "BadRequest",
            "detail": "The query string contains a NUL character.",
        }
    listed = await client.get("/api/projects", params={"q": "Kept"})
    assert [p["name"] for p in listed.json()["items"]] == ["Kept"]
