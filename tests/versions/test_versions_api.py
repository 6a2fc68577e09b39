"""Version history API: save, timeline, diff, revert and back, restore-to-message, branches."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import func, select

from appwright.context import AppContext
from appwright.models import ChatThread, Message, Project, VersionHistory
from appwright.versions import service
from appwright.workspace import LocalWorkspace
from tests.helpers import create_project, signup

pytestmark = pytest.mark.anyio


async def _project(client: httpx.AsyncClient) -> str:
    await signup(client)
    return str((await create_project(client, "Site", "static"))["id"])


async def _put(client: httpx.AsyncClient, pid: str, path: str, content: str) -> None:
    response = await client.put(f"/api/files/{pid}/{path}", json={"content": content})
    assert response.status_code in (200, 201), response.text


async def _content(client: httpx.AsyncClient, pid: str, path: str) -> str | None:
    response = await client.get(f"/api/files/{pid}/{path}")
    return str(response.json()["content"]) if response.status_code == 200 else None


async def _rows(ctx: AppContext, pid: str) -> list[VersionHistory]:
    async with ctx.sessions() as session:
        result = await session.scalars(
            select(VersionHistory).where(VersionHistory.project_id == uuid.UUID(pid))
        )
        return list(result)


async def test_save_timeline_diff(client: httpx.AsyncClient, ctx: AppContext) -> None:
    pid = await _project(client)
    initial = (await client.get(f"/api/version-history/{pid}")).json()
    assert len(initial["items"]) == 1 and initial["branch"] == "main"
    first = initial["items"][0]

    await _put(client, pid, "index.html", "<h1>v2</h1>\n")
    await _put(client, pid, "about.html", "<p>about</p>\n")
    status = (await client.get(f"/api/version-history/{pid}/status")).json()
    assert {(c["path"], c["status"]) for c in status["changes"]} == {
        ("index.html", "M"),
        ("about.html", "A"),
    }
    working = (await client.get(f"/api/version-history/{pid}/diff", params={"from": "HEAD"})).json()
    by_path = {f["path"]: f for f in working["files"]}
    assert by_path["index.html"]["new_text"] == "<h1>v2</h1>\n"
    assert by_path["about.html"]["status"] == "A" and by_path["about.html"]["old_text"] is None
    # The snapshot behind "working" moved nothing: the changes are still unsaved.
    assert len((await client.get(f"/api/version-history/{pid}/status")).json()["changes"]) == 2

    saved = (await client.post(f"/api/version-history/{pid}/save", json={})).json()["version"]
    assert saved["author"] == "person" and saved["message_id"] is None
    assert saved["description"] == "Add about.html; update index.html"
    assert sorted(saved["files_changed"]) == ["about.html", "index.html"]
    nothing = await client.post(f"/api/version-history/{pid}/save", json={"message": "again"})
    assert nothing.json() == {"version": None}

    page = (await client.get(f"/api/version-history/{pid}", params={"limit": 1})).json()
    assert [v["hash"] for v in page["items"]] == [saved["hash"]] and page["has_more"]
    older = (
        await client.get(f"/api/version-history/{pid}", params={"limit": 1, "offset": 1})
    ).json()
    assert older["items"][0]["hash"] == first["hash"] and not older["has_more"]

    between = await client.get(
        f"/api/version-history/{pid}/diff", params={"from": first["hash"], "to": saved["hash"]}
    )
    index = next(f for f in between.json()["files"] if f["path"] == "index.html")
    assert index["new_text"] == "<h1>v2</h1>\n" and index["old_text"] != index["new_text"]
    at_first = await client.get(
        f"/api/version-history/{pid}/file", params={"rev": first["hash"], "path": "index.html"}
    )
    assert at_first.json()["content"] == index["old_text"]
    assert [r.commit_hash for r in await _rows(ctx, pid)] == [saved["hash"]]
    missing = await client.get(f"/api/version-history/{pid}/diff", params={"from": "deadbeef"})
    assert missing.status_code == 404 and missing.json()["error"] == "VersionNotFound"


async def test_revert_to_an_old_version_and_back(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    pid = await _project(client)
    original = await _content(client, pid, "index.html")
    v1 = (await client.get(f"/api/version-history/{pid}")).json()["items"][0]["hash"]
    await _put(client, pid, "index.html", "<h1>v2</h1>\n")
    await _put(client, pid, "new.html", "new\n")
    v2 = (await client.post(f"/api/version-history/{pid}/save", json={})).json()["version"]["hash"]
    await _put(client, pid, "index.html", "<h1>unsaved</h1>\n")

    back = await client.post(f"/api/version-history/{pid}/revert", json={"commit_hash": v1[:10]})
    assert back.status_code == 200, back.text
    body = back.json()
    assert body["restored"] == v1
    assert body["saved"]["files_changed"] == ["index.html"]  # the unsaved edit was kept
    assert body["version"]["reverts"] == v1
    assert await _content(client, pid, "index.html") == original
    assert await _content(client, pid, "new.html") is None

    forward = await client.post(f"/api/version-history/{pid}/revert", json={"commit_hash": v2})
    assert forward.json()["version"]["reverts"] == v2 and forward.json()["saved"] is None
    assert await _content(client, pid, "index.html") == "<h1>v2</h1>\n"
    assert await _content(client, pid, "new.html") == "new\n"

    timeline = (await client.get(f"/api/version-history/{pid}")).json()["items"]
    assert len(timeline) == 5  # initial, v2, saved edit, revert, revert back: nothing lost
    rows = {r.commit_hash for r in await _rows(ctx, pid)}
    assert rows == {v["hash"] for v in timeline[:4]}  # every version made here is recorded
    bad = await client.post(f"/api/version-history/{pid}/revert", json={"commit_hash": "--all"})
    assert bad.status_code == 404


async def test_restore_to_message(client: httpx.AsyncClient, ctx: AppContext) -> None:
    pid = await _project(client)
    async with ctx.sessions() as session:
        thread = ChatThread(project_id=uuid.UUID(pid), title="chat")
        session.add(thread)
        await session.flush()
        ask = Message(thread_id=thread.id, role="user", content="make it blue")
        reply = Message(thread_id=thread.id, role="assistant", content="done")
        session.add_all([ask, reply])
        await session.commit()
        project = await session.get(Project, uuid.UUID(pid))
        assert project is not None
        # The AI's turn: writes through the workspace, then one call commits and records.
        ai = LocalWorkspace(ctx.runtime.workspace_dir(pid))
        await ai.write("styles.css", b"body { color: blue; }\n")
        turn = await service.record_version(
            session, ctx, project, author="ai", message_id=reply.id, message="Make it blue"
        )
        await session.commit()
    assert turn is not None and turn.trailers["Appwright-Message"] == str(reply.id)

    await _put(client, pid, "styles.css", "body { color: red; }\n")
    await client.post(f"/api/version-history/{pid}/save", json={"message": "red"})
    timeline = (await client.get(f"/api/version-history/{pid}")).json()["items"]
    assert timeline[1]["author"] == "ai" and timeline[1]["message_id"] == str(reply.id)

    restored = await client.post(
        f"/api/version-history/{pid}/restore-to-message", json={"message_id": str(reply.id)}
    )
    assert restored.status_code == 200, restored.text
    assert restored.json()["restored"] == turn.hash
    assert await _content(client, pid, "styles.css") == "body { color: blue; }\n"

    # A message that changed no code restores the version current when it was written.
    before_turn = await client.post(
        f"/api/version-history/{pid}/restore-to-message", json={"message_id": str(ask.id)}
    )
    assert before_turn.json()["restored"] == timeline[-1]["hash"]
    unknown = await client.post(
        f"/api/version-history/{pid}/restore-to-message", json={"message_id": str(uuid.uuid4())}
    )
    assert unknown.status_code == 404


async def test_branches_merge_with_conflict(client: httpx.AsyncClient, ctx: AppContext) -> None:
    pid = await _project(client)
    made = await client.post(
        f"/api/version-history/{pid}/branches", json={"name": "feature/x", "switch": True}
    )
    assert made.status_code == 201 and made.json()["branch"]["current"] is True
    await _put(client, pid, "index.html", "<h1>feature</h1>\n")
    await _put(client, pid, "extra.html", "extra\n")
    switched = await client.post(
        f"/api/version-history/{pid}/branches/switch", json={"name": "main"}
    )
    assert switched.json()["saved"]["files_changed"] == ["extra.html", "index.html"]
    assert await _content(client, pid, "extra.html") is None  # main's files are back
    await _put(client, pid, "index.html", "<h1>main</h1>\n")
    await client.post(f"/api/version-history/{pid}/save", json={})

    conflict = await client.post(
        f"/api/version-history/{pid}/branches/merge", json={"source": "feature/x"}
    )
    assert conflict.status_code == 409
    assert conflict.json()["error"] == "MergeConflict" and conflict.json()["files"] == [
        "index.html"
    ]
    assert await _content(client, pid, "index.html") == "<h1>main</h1>\n"
    assert (await client.get(f"/api/version-history/{pid}/status")).json()["changes"] == []

    listed = (await client.get(f"/api/version-history/{pid}/branches")).json()
    assert listed["current"] == "main"
    assert {b["name"] for b in listed["branches"]} == {"main", "feature/x"}
    refused = await client.delete(f"/api/version-history/{pid}/branches/feature/x")
    assert refused.status_code == 409 and refused.json()["error"] == "BranchNotMerged"
    current = await client.delete(f"/api/version-history/{pid}/branches/main")
    assert current.status_code == 409

    # Resolve on a branch that agrees, then merge cleanly.
    await client.post(f"/api/version-history/{pid}/branches", json={"name": "fix", "switch": True})
    await _put(client, pid, "other.html", "other\n")
    await client.post(f"/api/version-history/{pid}/branches/switch", json={"name": "main"})
    merged = await client.post(f"/api/version-history/{pid}/branches/merge", json={"source": "fix"})
    assert merged.status_code == 200 and merged.json()["version"] is not None
    assert await _content(client, pid, "other.html") == "other\n"
    assert (await client.delete(f"/api/version-history/{pid}/branches/fix")).status_code == 204
    forced = await client.delete(
        f"/api/version-history/{pid}/branches/feature/x", params={"force": True}
    )
    assert forced.status_code == 204
    async with ctx.sessions() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(VersionHistory)
            .where(
                VersionHistory.project_id == uuid.UUID(pid), VersionHistory.branch == "feature/x"
            )
        )
    assert count == 1  # the edits saved on switching away were recorded on their branch
