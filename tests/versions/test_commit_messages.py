"""A person's saved version gets its message from their model (the real SDKs against the
fake LLM server), and from the file list when the model fails, is slow or is not asked."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from appwright.context import AppContext
from appwright.core.config import Settings
from appwright.models import ApiUsage
from testing.fake_llm import FakeLLMServer, serve
from tests.chat.sse import llm_settings
from tests.helpers import create_project, signup

pytestmark = pytest.mark.anyio

SECRET = "s3cr3t-value-from-env-4711"


@pytest.fixture(scope="module")
def fake_llm() -> Iterator[FakeLLMServer]:
    with serve() as server:
        yield server


@pytest.fixture(params=["openai", "anthropic"])
def provider(request: pytest.FixtureRequest) -> str:
    value: str = request.param
    return value


@pytest.fixture
def settings(database_url: str, tmp_path: Path, fake_llm: FakeLLMServer, provider: str) -> Settings:
    return llm_settings(
        database_url,
        tmp_path / "data",
        fake_llm.url,
        provider=provider,
        protocol="native",
        commit_message_timeout_seconds=1.0,
    )


async def _project(client: httpx.AsyncClient) -> str:
    await signup(client)
    return str((await create_project(client, "Site", "static"))["id"])


async def _put(client: httpx.AsyncClient, pid: str, path: str, content: str) -> None:
    response = await client.put(f"/api/files/{pid}/{path}", json={"content": content})
    assert response.status_code in (200, 201), response.text


async def _save(client: httpx.AsyncClient, pid: str, **body: str) -> dict[str, Any]:
    response = await client.post(f"/api/version-history/{pid}/save", json=body)
    assert response.status_code == 200, response.text
    version: dict[str, Any] = response.json()["version"]
    return version


async def _usage(ctx: AppContext, pid: str) -> list[ApiUsage]:
    async with ctx.sessions() as session:
        rows = await session.scalars(select(ApiUsage).where(ApiUsage.project_id == uuid.UUID(pid)))
        return list(rows)


async def test_the_model_writes_the_message_from_the_diff(
    client: httpx.AsyncClient, ctx: AppContext, fake_llm: FakeLLMServer, provider: str
) -> None:
    pid = await _project(client)
    await _put(client, pid, "contact.html", "<!-- tc=commit-message -->\n<form>Write us</form>\n")
    await _put(client, pid, ".env.production", f"API_SECRET={SECRET}\nexport MODE = live\n")
    fake_llm.clear()

    saved = await _save(client, pid)
    assert saved["description"] == "feat: add a contact page with a form"
    assert saved["author"] == "person"
    assert sorted(saved["files_changed"]) == [".env.production", "contact.html"]
    timeline = (await client.get(f"/api/version-history/{pid}")).json()["items"]
    assert timeline[0]["description"] == "feat: add a contact page with a form"

    # What reached the model: the stat and the diff, the env file's names but no values.
    [call] = fake_llm.requests()
    sent = json.dumps(call["body"])
    assert "A contact.html (+2 -0)" in sent and "<form>Write us</form>" in sent
    assert "API_SECRET=<redacted>" in sent and "export MODE =<redacted>" in sent
    assert SECRET not in sent and "live" not in sent

    # The call is on the person's bill like a chat call.
    [row] = await _usage(ctx, pid)
    assert row.operation_type == "commit_message"
    assert row.model == ("gpt-4o-mini" if provider == "openai" else "claude-haiku-4-5")
    assert (row.input_tokens, row.output_tokens) == (321, 12)
    assert row.message_id is None and row.tokens_used >= 333


async def test_a_failing_or_slow_model_falls_back_to_the_file_list(
    client: httpx.AsyncClient, ctx: AppContext, fake_llm: FakeLLMServer, provider: str
) -> None:
    pid = await _project(client)
    # The fake refuses the key ([401]): no retry, the file list names the version.
    await _put(client, pid, "broken.html", "<p>[401] tc=commit-message</p>\n")
    fake_llm.clear()
    saved = await _save(client, pid)
    assert saved["description"] == "Add broken.html"
    assert [r["status"] for r in fake_llm.requests()] == [401]

    # A model that stops answering is given up on after the timeout (1 s here).
    await _put(client, pid, "slow.html", "<p>[stall:20] tc=commit-message</p>\n")
    started = time.monotonic()
    saved = await _save(client, pid)
    assert saved["description"] == "Add slow.html"
    assert time.monotonic() - started < 5
    assert await _usage(ctx, pid) == []


async def test_a_message_given_or_nothing_to_save_asks_no_model(
    client: httpx.AsyncClient, fake_llm: FakeLLMServer, provider: str
) -> None:
    pid = await _project(client)
    await _put(client, pid, "about.html", "<p>tc=commit-message</p>\n")
    fake_llm.clear()
    saved = await _save(client, pid, message="My own words")
    assert saved["description"] == "My own words"
    nothing = await client.post(f"/api/version-history/{pid}/save", json={})
    assert nothing.json() == {"version": None}
    assert fake_llm.requests() == []
