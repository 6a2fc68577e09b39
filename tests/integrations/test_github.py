"""GitHub: token connect, repository creation, push to and pull from a real local remote,
webhooks with signatures. The REST calls go to ``testing/fakes/github``."""

from __future__ import annotations

import hashlib
import hmac
import json
import subprocess
import uuid
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import select

from appwright.context import AppContext
from appwright.models import GitHubConnection, VersionHistory
from testing.fakes.github import FakeGitHubServer
from tests.helpers import create_project, signup

pytestmark = pytest.mark.anyio

TOKEN = "ghp_ada_token_123456"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Gh", "-c", "user.email=gh@example.com", *args],
        cwd=cwd, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip


def _signed(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


async def _linked_project(client: httpx.AsyncClient, name: str) -> tuple[str, dict[str, str]]:
    await signup(client)
    pid = str((await create_project(client, "Site", "static"))["id"])
    assert (await client.put("/api/integrations/github", json={"token": TOKEN})).status_code == 200
    created = await client.post(
        f"/api/projects/{pid}/github/repository", json={"name": name, "description": "demo"}
    )
    assert created.status_code == 201, created.text
    return pid, created.json()


async def test_connect_validates_and_encrypts_the_token(
    client: httpx.AsyncClient, ctx: AppContext, fake_github: FakeGitHubServer
) -> None:
    await signup(client)
    assert (await client.get("/api/integrations/github")).json() == {
        "connected": False, "login": None, "token": None, "scopes": None, "connected_at": None,
    }  # fmt: skip
    wrong = await client.put("/api/integrations/github", json={"token": "ghp_wrong"})
    assert wrong.status_code == 400 and wrong.json()["error"] == "GitHubTokenRejected"

    ok = await client.put("/api/integrations/github", json={"token": TOKEN})
    assert ok.status_code == 200
    assert ok.json()["login"] == "ada" and ok.json()["scopes"] == "repo, user"
    assert TOKEN not in ok.text and ok.json()["token"].endswith(TOKEN[-2:])
    shown = (await client.get("/api/integrations/github")).json()
    assert shown["connected"] and TOKEN not in json.dumps(shown)
    async with ctx.sessions() as session:
        stored = (await session.scalars(select(GitHubConnection))).one()
    assert TOKEN not in stored.token_encrypted
    assert ctx.secrets.decrypt(stored.token_encrypted) == TOKEN

    call = [r for r in fake_github.state.requests() if r["path"] == "/user"][-1]
    assert call["auth_scheme"] == "Bearer"
    assert call["headers"]["accept"] == "application/vnd.github+json"
    assert call["headers"]["x-github-api-version"] == "2022-11-28"

    assert (await client.delete("/api/integrations/github")).status_code == 204
    assert (await client.get("/api/integrations/github")).json()["connected"] is False


async def test_create_push_and_pull_a_change_made_on_github(
    client: httpx.AsyncClient, ctx: AppContext, fake_github: FakeGitHubServer, tmp_path: Path
) -> None:
    name = f"site-{uuid.uuid4().hex[:8]}"
    pid, link = await _linked_project(client, name)
    assert link["repo_url"] == f"https://github.com/ada/{name}"
    sent = [r for r in fake_github.state.requests() if r["path"] == "/user/repos"][-1]["body"]
    assert sent == {"name": name, "private": True, "description": "demo", "auto_init": False}
    again = await client.post(f"/api/projects/{pid}/github/repository", json={"name": name})
    assert again.status_code == 409
    project = (await client.get(f"/api/projects/{pid}")).json()
    assert project["github_repo_url"] == link["repo_url"]

    # An unsaved edit is saved as a version and pushed with the rest.
    await client.put(f"/api/files/{pid}/index.html", json={"content": "<h1>pushed</h1>\n"})
    pushed = await client.post(f"/api/projects/{pid}/github/push", json={})
    assert pushed.status_code == 200, pushed.text
    bare = fake_github.state.bare_path(f"ada/{name}")
    assert git(bare, "rev-parse", "main").strip() == pushed.json()["head"]
    config = (ctx.settings.repos_dir / f"{pid}.git" / "config").read_text()
    assert TOKEN not in config and "extraheader" not in config.lower()

    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(bare), str(clone))
    assert (clone / "index.html").read_text() == "<h1>pushed</h1>\n"
    (clone / "README.md").write_text("edited on GitHub\n")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "Add a README on GitHub")
    git(clone, "push", "-q", "origin", "main")

    pulled = await client.post(f"/api/projects/{pid}/github/pull", json={})
    assert pulled.status_code == 200, pulled.text
    assert pulled.json()["fast_forward"] and pulled.json()["version"]["description"] == (
        "Add a README on GitHub"
    )
    readme = await client.get(f"/api/files/{pid}/README.md")
    assert readme.json()["content"] == "edited on GitHub\n"

    # Both sides change the same line: the pull is refused with the file, nothing changes.
    (clone / "index.html").write_text("<h1>github</h1>\n")
    git(clone, "commit", "-q", "-am", "Change the title on GitHub")
    git(clone, "push", "-q", "origin", "main")
    await client.put(f"/api/files/{pid}/index.html", json={"content": "<h1>local</h1>\n"})
    conflict = await client.post(f"/api/projects/{pid}/github/pull", json={})
    assert conflict.status_code == 409 and conflict.json()["files"] == ["index.html"]
    local = await client.get(f"/api/files/{pid}/index.html")
    assert local.json()["content"] == "<h1>local</h1>\n"
    rejected = await client.post(f"/api/projects/{pid}/github/push", json={})
    assert rejected.status_code == 409 and rejected.json()["error"] == "PushRejected"


async def test_webhook_signature_and_pull_on_push(
    client: httpx.AsyncClient, fake_github: FakeGitHubServer, tmp_path: Path
) -> None:
    name = f"hook-{uuid.uuid4().hex[:8]}"
    pid, link = await _linked_project(client, name)
    assert link["webhook_url"].endswith(f"/api/webhooks/github/{pid}")
    secret = link["webhook_secret"]
    assert (await client.post(f"/api/projects/{pid}/github/push", json={})).status_code == 200

    bare = fake_github.state.bare_path(f"ada/{name}")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(bare), str(clone))
    (clone / "page.html").write_text("from a push\n")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "Add page")
    git(clone, "push", "-q", "origin", "main")
    head = git(clone, "rev-parse", "HEAD").strip()
    body = json.dumps({"ref": "refs/heads/main", "after": head}).encode()

    hook = f"/api/webhooks/github/{pid}"
    plain = httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url))
    async with plain:  # no cookies, no CSRF header: GitHub has neither
        for bad in (None, "sha256=" + "0" * 64, _signed("wrong", body), "sha1=abc"):
            headers = {"X-GitHub-Event": "push", "Content-Type": "application/json"}
            if bad is not None:
                headers["X-Hub-Signature-256"] = bad
            refused = await plain.post(hook, content=body, headers=headers)
            assert refused.status_code == 401, bad
        assert (await client.get(f"/api/files/{pid}/page.html")).status_code == 404

        good = {"X-GitHub-Event": "push", "X-Hub-Signature-256": _signed(secret, body)}
        ping = await plain.post(
            hook,
            content=b"{}",
            headers={"X-GitHub-Event": "ping", "X-Hub-Signature-256": _signed(secret, b"{}")},
        )
        assert ping.json() == {"status": "ok"}
        pulled = await plain.post(hook, content=body, headers=good)
        assert pulled.status_code == 200 and pulled.json()["status"] == "pulled"
        assert pulled.json()["head"] == head
        form = urlencode({"payload": body.decode()}).encode()
        as_form = await plain.post(
            hook,
            content=form,
            headers={
                **good,
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Hub-Signature-256": _signed(secret, form),
            },
        )
        assert as_form.json() == {"status": "up_to_date", "publish": "publishing on push is off"}
        again = await plain.post(hook, content=body, headers=good)
        assert again.json() == {"status": "up_to_date", "publish": "publishing on push is off"}
        other = json.dumps({"ref": "refs/heads/dev", "after": head}).encode()
        ignored = await plain.post(
            hook, content=other, headers={**good, "X-Hub-Signature-256": _signed(secret, other)}
        )
        assert ignored.json()["status"] == "ignored"
        unknown = await plain.post(
            f"/api/webhooks/github/{uuid.uuid4()}", content=body, headers=good
        )
        assert unknown.status_code == 404
    assert (await client.get(f"/api/files/{pid}/page.html")).json()["content"] == "from a push\n"


async def _history(ctx: AppContext, pid: str) -> list[VersionHistory]:
    async with ctx.sessions() as session:
        rows = await session.scalars(
            select(VersionHistory)
            .where(VersionHistory.project_id == uuid.UUID(pid))
            .order_by(VersionHistory.created_at)
        )
        return list(rows)


async def test_a_pull_records_every_commit_it_brings(
    client: httpx.AsyncClient, ctx: AppContext, fake_github: FakeGitHubServer, tmp_path: Path
) -> None:
    name = f"many-{uuid.uuid4().hex[:8]}"
    pid, _ = await _linked_project(client, name)
    assert (await client.post(f"/api/projects/{pid}/github/push", json={})).status_code == 200
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(fake_github.state.bare_path(f"ada/{name}")), str(clone))

    # Three commits on GitHub; one was made by appwright's AI in another project (its
    # trailers name a chat message this project does not have).
    (clone / "a.html").write_text("a\n")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "Add page a")
    (clone / "b.html").write_text("b\n")
    git(clone, "add", "-A")
    trailers = f"Appwright-Author: ai\nAppwright-Message: {uuid.uuid4()}"
    git(clone, "commit", "-q", "-m", f"Add page b\n\n{trailers}")
    (clone / "a.html").write_text("a, edited\n")
    git(clone, "commit", "-q", "-am", "Edit page a")
    git(clone, "push", "-q", "origin", "main")
    remote = git(clone, "rev-list", "--reverse", "HEAD~3..HEAD").split()
    before = [r.commit_hash for r in await _history(ctx, pid)]

    pulled = await client.post(f"/api/projects/{pid}/github/pull", json={})
    assert pulled.status_code == 200 and pulled.json()["fast_forward"], pulled.text
    rows = await _history(ctx, pid)
    new = rows[len(before) :]
    assert [r.commit_hash for r in new] == remote
    assert [(r.description, r.files_changed, r.author, r.branch, r.message_id) for r in new] == [
        ("Add page a", ["a.html"], "person", "main", None),
        ("Add page b", ["b.html"], "ai", "main", None),
        ("Edit page a", ["a.html"], "person", "main", None),
    ]

    # Both sides moved: the remote's two commits and the merge commit are recorded, the
    # local version once (when it was saved), and an up-to-date pull records nothing.
    (clone / "c.html").write_text("c\n")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "Add page c")
    (clone / "d.html").write_text("d\n")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "Add page d")
    git(clone, "push", "-q", "origin", "main")
    await client.put(f"/api/files/{pid}/local.html", json={"content": "local\n"})
    merged = await client.post(f"/api/projects/{pid}/github/pull", json={})
    assert merged.status_code == 200, merged.text
    body = merged.json()
    assert not body["fast_forward"] and body["saved"]["files_changed"] == ["local.html"]
    rows = await _history(ctx, pid)
    latest = [(r.description, r.files_changed) for r in rows[len(before) + 3 :]]
    assert latest == [
        (body["saved"]["description"], ["local.html"]),
        ("Add page c", ["c.html"]),
        ("Add page d", ["d.html"]),
        ("Merge remote branch main", ["c.html", "d.html"]),
    ]
    assert rows[-1].commit_hash == body["version"]["hash"]
    assert len({r.commit_hash for r in rows}) == len(rows)
    timeline = (await client.get(f"/api/version-history/{pid}")).json()["items"]
    assert {v["hash"] for v in timeline} >= {r.commit_hash for r in rows}

    again = await client.post(f"/api/projects/{pid}/github/pull", json={})
    assert again.status_code == 200 and again.json()["up_to_date"]
    assert len(await _history(ctx, pid)) == len(rows)
