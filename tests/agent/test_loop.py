"""The agent loop over HTTP against the fake LLM: every test runs for both wire formats
and both tool protocols (see conftest.py)."""

from __future__ import annotations

import asyncio
import shutil
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from appwright.context import AppContext
from appwright.models import Message, VersionHistory
from appwright.versions.history import repo_for
from testing.fake_llm import FakeLLMServer
from tests.agent.conftest import WIRES
from tests.chat.sse import Events, done, of, parse_sse, post_stream, text
from tests.conftest import LiveServer
from tests.helpers import create_project, signup

NATIVE_ONLY = pytest.mark.parametrize(
    "wire", [w for w in WIRES if w[1] == "native"], indirect=True, ids=lambda w: f"{w[0]}-{w[1]}"
)

pytestmark = pytest.mark.anyio

# The TypeScript the UI build installs (make test installs it before the suite runs).
_TYPESCRIPT = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "typescript"


async def _project(client: httpx.AsyncClient) -> tuple[dict[str, Any], str]:
    await signup(client)
    project = await create_project(client, "Hats", "static")
    thread = await client.post("/api/threads", json={"project_id": project["id"]})
    assert thread.status_code == 201, thread.text
    return project, thread.json()["id"]


def _scenario(name: str, wire: tuple[str, str]) -> str:
    return f"tc={name}-xml" if wire[1] == "xml" else f"tc={name}"


async def _send(client: httpx.AsyncClient, thread_id: str, content: str) -> Events:
    return await post_stream(
        client, "/api/messages/stream", {"thread_id": thread_id, "content": content}
    )


def _workspace(ctx: AppContext, project: dict[str, Any]) -> Path:
    return ctx.runtime.workspace_dir(project["id"])


async def test_multi_file_feature_in_one_iteration(
    client: httpx.AsyncClient, ctx: AppContext, wire: tuple[str, str]
) -> None:
    project, thread_id = await _project(client)
    events = await _send(
        client, thread_id, f"Add an about page {_scenario('agent-multi-file', wire)}"
    )
    finished = done(events)
    assert finished["status"] == "complete", events
    root = _workspace(ctx, project)
    assert (root / "about.html").read_text().startswith("<!doctype html>")
    assert (root / "about.css").read_text() == "h1 { color: teal; }\n"
    assert sorted(finished["commit"]["files"]) == ["about.css", "about.html", "about.js"]
    assert finished["suggestions"] == [
        "Link the about page from the home page",
        "Add a contact form",
    ]
    # One model response wrote all three files; the second only summarised.
    writes = [c for c in of(events, "tool_call_finished") if c["name"] == "create_file"]
    assert {c["iteration"] for c in writes} == {1}
    assert all(c["ok"] and c["diff"].startswith("--- /dev/null") for c in writes)
    assert of(events, "tool_call_progress"), "file content streams to the UI"
    assert [e["iteration"] for e in of(events, "iteration")] == [1, 2]
    message = of(events, "message")[0]
    async with ctx.sessions() as session:
        version = await session.scalar(
            select(VersionHistory).where(
                VersionHistory.message_id == uuid.UUID(message["assistant_message_id"])
            )
        )
        assert version is not None and version.author == "ai"
        assert version.commit_hash == finished["commit"]["hash"]
        reply = await session.get(Message, uuid.UUID(message["assistant_message_id"]))
        assert reply is not None and reply.status == "complete"
        assert reply.token_count and reply.token_count > 0
        assert isinstance(reply.tool_calls, list) and len(reply.tool_calls) >= 3
    log = repo_for(ctx.runtime, project["id"])
    head = await log.version("HEAD")
    assert head.author_kind == "ai"
    assert head.trailers["Appwright-Message"] == message["assistant_message_id"]
    assert head.message.startswith("Add an about page")
    # Usage: one event per model call, persisted as api_usage rows and shown per message.
    assert len(of(events, "usage")) == 2
    branch = (await client.get(f"/api/messages/{thread_id}")).json()
    assert branch["messages"][1]["usage"]["calls"] == 2
    assert branch["messages"][1]["version"]["commit_hash"] == finished["commit"]["hash"]


async def test_section_update(
    client: httpx.AsyncClient, ctx: AppContext, wire: tuple[str, str]
) -> None:
    project, thread_id = await _project(client)
    events = await _send(
        client, thread_id, f"Rename the heading {_scenario('agent-section', wire)}"
    )
    assert done(events)["status"] == "complete"
    html = (_workspace(ctx, project) / "index.html").read_text()
    assert "      <h1>Hat shop</h1>\n" in html
    assert "Describe what you want to build" in html  # the rest of the file is intact
    (edit,) = [c for c in of(events, "tool_call_finished") if c["name"] == "update_file_sections"]
    assert "-      <h1>Your app starts here</h1>" in edit["diff"]
    assert "+      <h1>Hat shop</h1>" in edit["diff"]


async def test_ambiguous_and_missing_sections_are_explained_and_recovered(
    client: httpx.AsyncClient, ctx: AppContext, fake_llm: FakeLLMServer, wire: tuple[str, str]
) -> None:
    project, thread_id = await _project(client)
    fake_llm.clear()
    events = await _send(client, thread_id, f"Fix the list {_scenario('agent-recover', wire)}")
    assert done(events)["status"] == "complete", text(events)
    root = _workspace(ctx, project)
    assert (root / "list.txt").read_text() == "alpha\nitem\nbeta\nthing\n"
    assert "<h1>Hats</h1>" in (root / "index.html").read_text()
    refused = [c for c in of(events, "tool_call_finished") if not c["ok"]]
    assert len(refused) == 2
    assert "matches 2 places" in refused[0]["error"] and "lines 2, 4" in refused[0]["error"]
    assert "not found" in refused[1]["error"]
    # The model was told, with the nearest candidate and its line number.
    second = fake_llm.requests()[1]["body"]
    sent = str(second["messages"])
    assert "Your app starts here" in sent and "similar" in sent


async def test_compile_error_is_fixed_then_committed(
    client: httpx.AsyncClient, ctx: AppContext, wire: tuple[str, str]
) -> None:
    project, thread_id = await _project(client)
    events = await _send(client, thread_id, f"Add a cart {_scenario('agent-fix', wire)}")
    finished = done(events)
    assert finished["status"] == "complete", text(events)
    assert "Fixed: the cart script has no errors now." in text(events)
    checks = [c for c in of(events, "tool_call_finished") if c["name"] == "check_for_errors"]
    assert checks[0]["automatic"] and "SyntaxError" in checks[0]["errors"][0]
    assert "cart.js" in checks[0]["errors"][0]
    assert checks[-1]["errors"] == []
    root = _workspace(ctx, project)
    assert (root / "cart.js").read_text() == "export const total = (items) => items.length;\n"
    assert finished["commit"]["files"] == ["cart.js"]
    head = await repo_for(ctx.runtime, project["id"]).version("HEAD")
    assert head.hash == finished["commit"]["hash"]


# The check's sources do not depend on the tool protocol.
@NATIVE_ONLY
async def test_type_error_found_by_tsc_is_fixed_then_committed(
    client: httpx.AsyncClient, ctx: AppContext, wire: tuple[str, str]
) -> None:
    project, thread_id = await _project(client)
    root = _workspace(ctx, project)
    # A TypeScript project: its tsconfig and its own TypeScript (the UI's copy, as installed).
    (root / "tsconfig.json").write_text(
        '{"compilerOptions": {"strict": true, "noEmit": true}, "include": ["src"]}\n'
    )
    shutil.copytree(_TYPESCRIPT, root / "node_modules" / "typescript", symlinks=True)
    (root / "node_modules" / ".bin").mkdir()
    (root / "node_modules" / ".bin" / "tsc").symlink_to("../typescript/bin/tsc")
    events = await _send(client, thread_id, "Add a cart total tc=agent-ts-fix")
    finished = done(events)
    assert finished["status"] == "complete", text(events)
    assert "Fixed: the total has the right type now." in text(events)
    checks = [c for c in of(events, "tool_call_finished") if c["name"] == "check_for_errors"]
    assert checks[0]["automatic"]
    assert any("src/total.ts" in e and "TS2322" in e for e in checks[0]["errors"]), checks[0]
    assert checks[-1]["errors"] == []
    assert (root / "src/total.ts").read_text() == "export const total: number = 0;\n"
    # The AI's version holds the AI's change; the person's tsconfig became their own
    # version before the turn started, and the dependencies are never versioned.
    assert finished["commit"]["files"] == ["src/total.ts"]
    timeline = (await client.get(f"/api/version-history/{project['id']}")).json()["items"]
    assert [(v["author"], v["files_changed"]) for v in timeline[:2]] == [
        ("ai", ["src/total.ts"]),
        ("person", ["tsconfig.json"]),
    ]


# One protocol is enough: the stop is decided after the tools ran.
@NATIVE_ONLY
async def test_same_error_after_a_fix_stops_with_an_explanation(
    client: httpx.AsyncClient, ctx: AppContext, wire: tuple[str, str]
) -> None:
    _, thread_id = await _project(client)
    events = await _send(client, thread_id, "Add a cart tc=agent-same-error")
    finished = done(events)
    assert finished["status"] == "stopped"
    assert "same error came back" in finished["stop_reason"]
    assert "same error came back" in text(events)
    assert "should have stopped" not in text(events)
    # The work is kept and committed so the person can look at it or revert it.
    assert finished["commit"]["files"] == ["cart.js"]


# Retries belong to the wire format, not the tool protocol.
@NATIVE_ONLY
async def test_rate_limited_call_is_retried(
    client: httpx.AsyncClient, fake_llm: FakeLLMServer, wire: tuple[str, str]
) -> None:
    _, thread_id = await _project(client)
    fake_llm.clear()
    events = await _send(client, thread_id, "Hi [429:0] tc=hello")
    assert done(events)["status"] == "complete"
    assert text(events).startswith("Hello! I am the fake model.")
    statuses = [r["status"] for r in fake_llm.requests()]
    assert statuses == [429, 200]


# Stalls belong to the wire format, not the tool protocol.
@NATIVE_ONLY
async def test_stalled_model_ends_with_a_clear_error(
    client: httpx.AsyncClient, ctx: AppContext, wire: tuple[str, str]
) -> None:
    _, thread_id = await _project(client)
    events = await _send(client, thread_id, "Hi [stall:6] tc=hello")
    (error,) = of(events, "error")
    assert error["code"] == "stalled"
    assert "stopped responding" in error["message"]
    assert done(events)["status"] == "error"


async def test_cancel_mid_stream_leaves_no_file_behind(
    client: httpx.AsyncClient, ctx: AppContext, wire: tuple[str, str]
) -> None:
    project, thread_id = await _project(client)
    root = _workspace(ctx, project)
    body = {"thread_id": thread_id, "content": f"Two files {_scenario('agent-cancel', wire)}"}
    request = asyncio.create_task(client.post("/api/messages/stream", json=body, timeout=60))
    # Wait until the first file is written and the second is streaming, then stop.
    for _ in range(400):
        if (root / "first.txt").exists():
            break
        await asyncio.sleep(0.01)
    assert (root / "first.txt").exists()
    async with ctx.sessions() as session:
        reply = await session.scalar(
            select(Message).where(Message.role == "assistant", Message.status == "streaming")
        )
    assert reply is not None
    cancelled = await client.post(f"/api/messages/{reply.id}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelling"
    events = parse_sse((await request).text)
    assert done(events)["status"] == "cancelled"
    assert done(events)["commit"] is None
    assert not (root / "first.txt").exists(), "the turn's finished file was put back"
    assert not (root / "big.txt").exists()
    assert not [p for p in root.iterdir() if p.name.startswith(".appwright-tmp-")]
    async with ctx.sessions() as session:
        stored = await session.get(Message, reply.id)
        assert stored is not None and stored.status == "cancelled"


async def test_paths_outside_the_workspace_are_refused(
    client: httpx.AsyncClient, ctx: AppContext, tmp_path: Path, wire: tuple[str, str]
) -> None:
    project, thread_id = await _project(client)
    root = _workspace(ctx, project)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("secret outside the workspace")
    (root / "outside-link").symlink_to(outside)
    absolute = Path("/tmp/appwright-agent-absolute.txt")
    absolute.unlink(missing_ok=True)
    events = await _send(client, thread_id, f"Escape {_scenario('agent-escape', wire)}")
    assert done(events)["status"] == "complete"
    results = of(events, "tool_call_finished")
    assert [r["ok"] for r in results] == [False] * 5
    assert "'..'" in results[0]["error"]
    assert "absolute" in results[1]["error"]
    assert all("outside the workspace" in r["error"] for r in results[2:])
    assert not (root.parent / "escape.txt").exists()
    assert not absolute.exists()
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]
    assert (outside / "keep.txt").read_text() == "secret outside the workspace"
    assert "secret outside" not in str(events)


# One protocol is enough: the stop is decided after the tools ran.
@NATIVE_ONLY
async def test_repeating_the_same_action_stops_as_stuck(
    client: httpx.AsyncClient, ctx: AppContext, fake_llm: FakeLLMServer, wire: tuple[str, str]
) -> None:
    project, thread_id = await _project(client)
    before = (_workspace(ctx, project) / "index.html").read_text()
    fake_llm.clear()
    events = await _send(client, thread_id, "Change the footer tc=agent-stuck")
    finished = done(events)
    assert finished["status"] == "stopped"
    assert "repeating the same action" in finished["stop_reason"]
    assert "repeating the same action" in text(events)
    assert "should have stopped" not in text(events)
    # The model was not asked a third time, and the refused edit wrote nothing.
    assert len(fake_llm.requests()) == 2
    assert finished["commit"] is None
    assert (_workspace(ctx, project) / "index.html").read_text() == before


# A closed connection is the transport's business; one protocol is enough.
@NATIVE_ONLY
async def test_a_client_that_goes_away_cancels_the_turn(
    live_server: LiveServer, fake_llm: FakeLLMServer, wire: tuple[str, str]
) -> None:
    async with httpx.AsyncClient(base_url=live_server.url, timeout=30) as browser:
        project, thread_id = await _project(browser)
        root = live_server.settings.data_dir / "workspaces" / project["id"]
        fake_llm.clear()
        body = {"thread_id": thread_id, "content": f"Two files {_scenario('agent-cancel', wire)}"}
        async with browser.stream("POST", "/api/messages/stream", json=body) as response:
            assert response.status_code == 200
            async for line in response.aiter_lines():
                if line.startswith("event: tool_call_progress") and (root / "first.txt").exists():
                    break  # the first file is written, the second is streaming: close the tab
        for _ in range(200):
            branch = (await browser.get(f"/api/messages/{thread_id}")).json()
            if branch["messages"][-1]["status"] not in ("streaming", "cancelling"):
                break
            await asyncio.sleep(0.05)
    assert branch["messages"][-1]["status"] == "cancelled"
    assert not (root / "first.txt").exists(), "the turn's finished file was put back"
    assert not (root / "big.txt").exists()
    assert not [p for p in root.iterdir() if p.name.startswith(".appwright-tmp-")]
    # The model's stream was really stopped, not left running to the end.
    assert [r["outcome"] for r in fake_llm.requests()] == ["disconnected"]
