"""Idle autosave: a person's saved edits become one version after the idle interval (1 s
here), never while an AI turn runs on the project, never when nothing differs."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from appwright.app import create_app
from appwright.context import AppContext
from appwright.core.config import Settings
from appwright.models import ChatThread, Message, VersionHistory
from testing.fake_llm import FakeLLMServer, serve
from tests.chat.sse import done, llm_settings, post_stream
from tests.conftest import empty_database
from tests.helpers import create_project, signup

pytestmark = pytest.mark.anyio

IDLE = 1.0


@pytest.fixture(scope="module")
def fake_llm() -> Iterator[FakeLLMServer]:
    with serve() as server:
        yield server


@pytest.fixture
def settings(database_url: str, tmp_path: Path, fake_llm: FakeLLMServer) -> Settings:
    return llm_settings(
        database_url,
        tmp_path / "data",
        fake_llm.url,
        provider="openai",
        protocol="native",
        autosave_version_idle_seconds=IDLE,
    )


async def _project(client: httpx.AsyncClient) -> str:
    await signup(client)
    return str((await create_project(client, "Site", "static"))["id"])


async def _put(client: httpx.AsyncClient, pid: str, path: str, content: str) -> None:
    response = await client.put(f"/api/files/{pid}/{path}", json={"content": content})
    assert response.status_code in (200, 201), response.text


async def _person_versions(client: httpx.AsyncClient, pid: str) -> list[dict[str, Any]]:
    items = (await client.get(f"/api/version-history/{pid}")).json()["items"]
    return [v for v in items if v["author"] == "person"]


async def _wait_for_versions(
    client: httpx.AsyncClient, pid: str, count: int, timeout: float = 15
) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while True:
        found = await _person_versions(client, pid)
        if len(found) >= count or time.monotonic() > deadline:
            return found
        await asyncio.sleep(0.1)


async def test_a_saved_file_becomes_a_version_after_the_idle_interval(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    pid = await _project(client)
    await _put(client, pid, "contact.html", "<!-- tc=commit-message -->\n<p>Write us</p>\n")
    assert await _person_versions(client, pid) == []  # not before the interval

    [version] = await _wait_for_versions(client, pid, 1)
    assert version["files_changed"] == ["contact.html"]
    # Named like a "save version" without a message: by the owner's model.
    assert version["description"] == "feat: add a contact page with a form"
    status = (await client.get(f"/api/version-history/{pid}/status")).json()
    assert status["changes"] == []
    async with ctx.sessions() as session:
        rows = (
            await session.scalars(
                select(VersionHistory).where(VersionHistory.commit_hash == version["hash"])
            )
        ).all()
    assert [(r.author, r.files_changed) for r in rows] == [("person", ["contact.html"])]

    # Nothing more to save: no further version however long it stays idle.
    await asyncio.sleep(IDLE * 1.5)
    assert len(await _person_versions(client, pid)) == 1


async def test_quick_saves_make_one_version(client: httpx.AsyncClient) -> None:
    pid = await _project(client)
    await _put(client, pid, "a.html", "<p>one</p>\n")
    await _put(client, pid, "b.html", "<p>two</p>\n")
    await _put(client, pid, "a.html", "<p>one, edited</p>\n")
    [version] = await _wait_for_versions(client, pid, 1)
    assert sorted(version["files_changed"]) == ["a.html", "b.html"]
    shown = await client.get(
        f"/api/version-history/{pid}/file", params={"rev": version["hash"], "path": "a.html"}
    )
    assert shown.json()["content"] == "<p>one, edited</p>\n"
    await asyncio.sleep(IDLE * 1.5)
    assert len(await _person_versions(client, pid)) == 1


async def test_no_version_when_the_files_equal_the_current_version(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    pid = await _project(client)
    original = (await client.get(f"/api/files/{pid}/index.html")).json()["content"]
    await _put(client, pid, "index.html", "<h1>changed</h1>\n")
    await _put(client, pid, "index.html", original)  # and back before the interval ends
    await asyncio.sleep(IDLE * 2.5)
    assert await _person_versions(client, pid) == []
    assert ctx.autosave.pending() == set()


async def test_no_version_while_an_ai_turn_runs(client: httpx.AsyncClient, ctx: AppContext) -> None:
    pid = await _project(client)
    thread = await client.post("/api/threads", json={"project_id": pid, "title": "T"})
    body = {"thread_id": thread.json()["id"], "content": "tc=slow [delay:0.15]"}
    turn = asyncio.create_task(post_stream(client, "/api/messages/stream", body))

    async def streaming() -> bool:
        async with ctx.sessions() as session:
            status = await session.scalar(
                select(Message.status)
                .join(ChatThread, ChatThread.id == Message.thread_id)
                .where(ChatThread.project_id == uuid.UUID(pid), Message.role == "assistant")
            )
        return status == "streaming"

    deadline = time.monotonic() + 10
    while not await streaming():
        assert time.monotonic() < deadline and not turn.done()
        await asyncio.sleep(0.05)
    await _put(client, pid, "notes.html", "<p>typed during the turn</p>\n")
    await asyncio.sleep(IDLE * 2.5)
    assert await streaming(), "the slow turn should still be running"
    assert await _person_versions(client, pid) == []

    assert done(await turn)["status"] == "complete"  # a text-only reply: no AI commit
    [version] = await _wait_for_versions(client, pid, 1)
    assert version["files_changed"] == ["notes.html"]


async def test_zero_disables_autosave(settings: Settings) -> None:
    context = AppContext.build(settings.model_copy(update={"autosave_version_idle_seconds": 0}))
    try:
        transport = httpx.ASGITransport(app=create_app(context.settings, context))
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost:8000") as c:
            pid = await _project(c)
            await _put(c, pid, "page.html", "<p>kept unsaved</p>\n")
            assert context.autosave.pending() == set()
            await asyncio.sleep(0.2)
            status = (await c.get(f"/api/version-history/{pid}/status")).json()
            assert [change["path"] for change in status["changes"]] == ["page.html"]
    finally:
        await empty_database(context)
        await context.close()
