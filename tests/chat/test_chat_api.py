"""The chat API on SQLite and PostgreSQL: threads, branches, isolation, limits, settings."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from appwright.context import AppContext
from appwright.core.config import Settings
from appwright.models import ApiUsage, User, UserLLMSettings
from testing.fake_llm import FakeLLMServer, serve
from tests.chat.sse import done, of, post_stream, text
from tests.helpers import create_project, signup

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def fake_llm() -> Iterator[FakeLLMServer]:
    with serve() as server:
        yield server


@pytest.fixture
def settings(database_url: str, tmp_path: Path, fake_llm: FakeLLMServer) -> Settings:
    from tests.chat.sse import llm_settings

    return llm_settings(
        database_url, tmp_path / "data", fake_llm.url, provider="openai", protocol="native"
    )


async def _thread(client: httpx.AsyncClient, email: str = "ada@example.com") -> tuple[str, str]:
    await signup(client, email)
    project = await create_project(client, "Hats", "static")
    thread = await client.post("/api/threads", json={"project_id": project["id"], "title": "T"})
    assert thread.status_code == 201
    return project["id"], thread.json()["id"]


async def _say(client: httpx.AsyncClient, thread_id: str, content: str, **extra: Any) -> Any:
    return await post_stream(
        client, "/api/messages/stream", {"thread_id": thread_id, "content": content, **extra}
    )


async def test_threads_messages_and_usage(client: httpx.AsyncClient) -> None:
    project_id, thread_id = await _thread(client)
    events = await _say(client, thread_id, "Hello there")
    first = of(events, "message")[0]
    assert text(events) == "Echo: Hello there"
    assert done(events)["status"] == "complete"
    assert done(events)["usage"]["calls"] == 1
    threads = (await client.get(f"/api/threads/{project_id}")).json()
    assert [t["id"] for t in threads] == [thread_id]
    assert threads[0]["usage"]["calls"] == 1
    branch = (await client.get(f"/api/messages/{thread_id}")).json()
    assert [m["role"] for m in branch["messages"]] == ["user", "assistant"]
    assert branch["messages"][0]["id"] == first["user_message_id"]
    reply = branch["messages"][1]
    assert reply["content"] == "Echo: Hello there" and reply["status"] == "complete"
    assert reply["usage"]["output_tokens"] > 0 and reply["token_count"] > 0
    assert branch["usage"]["calls"] == 1


async def test_edit_and_regenerate_make_branches(client: httpx.AsyncClient) -> None:
    _, thread_id = await _thread(client)
    first = of(await _say(client, thread_id, "one"), "message")[0]
    await _say(client, thread_id, "two")
    edited = await post_stream(
        client, f"/api/messages/{first['user_message_id']}/edit", {"content": "uno"}
    )
    assert text(edited) == "Echo: uno"
    newest = (await client.get(f"/api/messages/{thread_id}")).json()
    assert [m["content"] for m in newest["messages"]] == ["uno", "Echo: uno"]
    assert len(newest["messages"][0]["sibling_ids"]) == 2
    assert len(newest["leaf_ids"]) == 2
    old_leaf = newest["leaf_ids"][1]
    old = (await client.get(f"/api/messages/{thread_id}", params={"leaf_id": old_leaf})).json()
    assert [m["content"] for m in old["messages"]] == ["one", "Echo: one", "two", "Echo: two"]
    again = await post_stream(
        client, f"/api/messages/{of(edited, 'message')[0]['assistant_message_id']}/regenerate", {}
    )
    assert text(again) == "Echo: uno"
    latest = (await client.get(f"/api/messages/{thread_id}")).json()
    assert len(latest["messages"][1]["sibling_ids"]) == 2


async def test_attachments_reach_the_model(
    client: httpx.AsyncClient, fake_llm: FakeLLMServer
) -> None:
    _, thread_id = await _thread(client)
    fake_llm.clear()
    pixel = "data:image/png;base64,iVBORw0KGgo="
    await _say(
        client,
        thread_id,
        "Look",
        attachments=[
            {"name": "notes.md", "type": "text", "content": "# Shop notes"},
            {"name": "shot.png", "type": "image", "content": pixel},
        ],
    )
    sent = fake_llm.requests()[-1]["body"]["messages"][-1]["content"]
    kinds = {part["type"] for part in sent}
    assert kinds == {"text", "image_url"}
    assert "# Shop notes" in sent[0]["text"]
    assert sent[1]["image_url"]["url"] == pixel


async def test_another_user_cannot_read_or_post(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient
) -> None:
    project_id, thread_id = await _thread(client)
    message = of(await _say(client, thread_id, "mine"), "message")[0]
    await signup(other_client, "eve@example.com")
    assert (await other_client.get(f"/api/threads/{project_id}")).status_code == 404
    assert (await other_client.get(f"/api/messages/{thread_id}")).status_code == 404
    body = {"thread_id": thread_id, "content": "hijack"}
    assert (await other_client.post("/api/messages/stream", json=body)).status_code == 404
    thread = {"project_id": project_id}
    assert (await other_client.post("/api/threads", json=thread)).status_code == 404
    for action in ("regenerate", "cancel"):
        url = f"/api/messages/{message['assistant_message_id']}/{action}"
        assert (await other_client.post(url, json={})).status_code == 404
    url = f"/api/messages/{message['user_message_id']}/edit"
    assert (await other_client.post(url, json={"content": "x"})).status_code == 404
    branch = (await client.get(f"/api/messages/{thread_id}")).json()
    assert [m["content"] for m in branch["messages"]] == ["mine", "Echo: mine"]


async def test_plan_limit_answers_429_with_retry_after(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    project_id, thread_id = await _thread(client)
    async with ctx.sessions() as session:
        user = await session.scalar(select(User))
        assert user is not None
        for _ in range(50):  # the free plan's requests per hour
            session.add(ApiUsage(user_id=user.id, project_id=uuid.UUID(project_id), model="m"))
        await session.commit()
    response = await client.post(
        "/api/messages/stream", json={"thread_id": thread_id, "content": "more"}
    )
    assert response.status_code == 429
    assert response.json()["error"] == "TooManyRequests"
    assert "50 AI requests per hour" in response.json()["detail"]
    assert 1 <= int(response.headers["Retry-After"]) <= 3601
    async with ctx.sessions() as session:
        for row in await session.scalars(select(ApiUsage)):
            await session.delete(row)
        session.add(
            ApiUsage(
                user_id=user.id, tokens_used=1_000_000, created_at=datetime.now(UTC), model="m"
            )
        )
        await session.commit()
    monthly = await client.post(
        "/api/messages/stream", json={"thread_id": thread_id, "content": "more"}
    )
    assert monthly.status_code == 429
    assert "tokens per month" in monthly.json()["detail"]


async def test_llm_settings_store_the_key_encrypted(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await signup(client)
    initial = (await client.get("/api/settings/llm")).json()
    assert initial["provider"] is None and initial["server_configured"] is True
    assert any(m["id"] == "claude-sonnet-4-5" for m in initial["models"])
    saved = await client.put(
        "/api/settings/llm",
        json={"provider": "anthropic", "model": "claude-haiku-4-5", "api_key": "sk-ant-123456789"},
    )
    assert saved.status_code == 200
    assert saved.json()["api_key"] == "sk••••••89"
    async with ctx.sessions() as session:
        row = await session.scalar(select(UserLLMSettings))
        assert row is not None and row.api_key_encrypted
        assert "sk-ant-123456789" not in row.api_key_encrypted
        assert ctx.secrets.decrypt(row.api_key_encrypted) == "sk-ant-123456789"
    kept = await client.put("/api/settings/llm", json={"provider": "anthropic", "model": "x"})
    assert kept.json()["api_key"] == "sk••••••89"
    cleared = await client.put("/api/settings/llm", json={"provider": None, "api_key": ""})
    assert cleared.json()["api_key"] is None


async def test_without_a_model_the_chat_says_how_to_connect_one(
    database_url: str, tmp_path: Path
) -> None:
    from appwright.app import create_app
    from tests.conftest import empty_database

    bare = Settings(
        env="development",
        secret_key="test-secret-key-" + "x" * 32,
        data_dir=tmp_path / "bare",
        database_url=database_url,
        web_dist=tmp_path / "no-ui",
        autostart_previews=False,
        ollama_url="http://127.0.0.1:9",
    )
    context = AppContext.build(bare)
    try:
        transport = httpx.ASGITransport(app=create_app(bare, context))
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost:8000") as c:
            _, thread_id = await _thread(c)
            events = await _say(c, thread_id, "Build a shop")
            assert "No AI model is connected" in text(events)
            assert "APPWRIGHT_ANTHROPIC_API_KEY" in text(events)
            assert of(events, "error")[0]["code"] == "no_model"
            assert done(events)["status"] == "error"
    finally:
        await empty_database(context)
        await context.close()


async def _timeline(client: httpx.AsyncClient, project_id: str) -> list[dict[str, Any]]:
    answer = await client.get(f"/api/version-history/{project_id}")
    assert answer.status_code == 200
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


async def test_editing_a_message_undoes_the_code_of_the_replies_it_replaces(
    client: httpx.AsyncClient,
) -> None:
    project_id, thread_id = await _thread(client)
    first_version = (await _timeline(client, project_id))[0]["hash"]
    made = await _say(client, thread_id, "Add a counter tc=create-file")
    assert done(made)["commit"]["files"] == ["src/components/Counter.tsx"]
    counter = f"/api/files/{project_id}/src/components/Counter.tsx"
    assert (await client.get(counter)).status_code == 200

    asked = of(made, "message")[0]["user_message_id"]
    edited = await post_stream(client, f"/api/messages/{asked}/edit", {"content": "Just hi"})
    assert of(edited, "message")[0]["restored_version"] == first_version
    assert text(edited) == "Echo: Just hi"
    # The new branch starts from the code the first question was asked about ...
    assert (await client.get(counter)).status_code == 404
    # ... and nothing is lost: the replaced attempt is still a version one can go back to.
    timeline = await _timeline(client, project_id)
    assert timeline[0]["reverts"] == first_version
    assert timeline[1]["files_changed"] == ["src/components/Counter.tsx"]
    assert timeline[1]["author"] == "ai"


async def test_regenerating_starts_again_from_the_code_before_the_reply(
    client: httpx.AsyncClient,
) -> None:
    project_id, thread_id = await _thread(client)
    first_version = (await _timeline(client, project_id))[0]["hash"]
    made = await _say(client, thread_id, "Add a counter tc=create-file")
    reply = of(made, "message")[0]["assistant_message_id"]
    again = await post_stream(client, f"/api/messages/{reply}/regenerate", {})
    assert of(again, "message")[0]["restored_version"] == first_version
    assert done(again)["commit"]["files"] == ["src/components/Counter.tsx"]
    authors = [(v["author"], v["reverts"]) for v in await _timeline(client, project_id)]
    assert authors[:3] == [("ai", None), ("person", first_version), ("ai", None)]


async def test_regenerating_keeps_code_a_person_changed_after_the_reply(
    client: httpx.AsyncClient,
) -> None:
    project_id, thread_id = await _thread(client)
    made = await _say(client, thread_id, "Add a counter tc=create-file")
    note = f"/api/files/{project_id}/NOTES.md"
    assert (await client.put(note, json={"content": "mine\n"})).status_code in (200, 201)
    saved = await client.post(f"/api/version-history/{project_id}/save", json={})
    assert saved.json()["version"] is not None
    reply = of(made, "message")[0]["assistant_message_id"]
    again = await post_stream(client, f"/api/messages/{reply}/regenerate", {})
    assert of(again, "message")[0]["restored_version"] is None
    assert (await client.get(note)).json()["content"] == "mine\n"
