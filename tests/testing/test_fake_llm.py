"""The fake LLM server itself: non-streaming replies, recording API, scenarios and markers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import anthropic
import httpx
import openai
import pytest

from appwright.agent.tool_specs import get_tool_spec
from testing.fake_llm import FakeLLMServer, serve
from testing.fake_llm.scenarios import (
    DEFAULT_SCENARIOS_DIR,
    load_scenario,
    parse_faults,
    select_turn,
)

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def fake_llm() -> Iterator[FakeLLMServer]:
    with serve() as server:
        yield server


@pytest.fixture
def llm(fake_llm: FakeLLMServer) -> FakeLLMServer:
    fake_llm.clear()
    return fake_llm


async def test_anthropic_non_streaming_reply_with_tool_use(llm: FakeLLMServer) -> None:
    client = anthropic.AsyncAnthropic(base_url=llm.url, api_key="k", max_retries=0)
    try:
        message = await client.messages.create(
            model="claude-test",
            max_tokens=100,
            messages=[{"role": "user", "content": "tc=create-file"}],
        )
    finally:
        await client.close()
    assert message.stop_reason == "tool_use"
    assert message.content[0].type == "text"
    tool = message.content[1]
    assert tool.type == "tool_use"
    assert tool.name == "create_file"
    assert tool.input["path"] == "src/components/Counter.tsx"
    assert message.usage.output_tokens > 0


async def test_openai_non_streaming_reply_with_tool_calls(llm: FakeLLMServer) -> None:
    client = openai.AsyncOpenAI(base_url=llm.openai_base_url, api_key="k", max_retries=0)
    try:
        completion = await client.chat.completions.create(
            model="gpt-test", messages=[{"role": "user", "content": "tc=create-file"}]
        )
    finally:
        await client.close()
    choice = completion.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content == "I'll create the counter component."
    calls = choice.message.tool_calls or []
    assert calls[0].type == "function"
    assert calls[0].function.name == "create_file"
    assert completion.usage is not None
    assert completion.usage.total_tokens > 0


async def test_recording_api_lists_and_clears(llm: FakeLLMServer) -> None:
    async with httpx.AsyncClient(base_url=llm.url) as http:
        response = await http.post(
            "/v1/chat/completions",
            json={"model": "m", "messages": [{"role": "user", "content": "hi"}]},
            headers={"Authorization": "Bearer sk-do-not-record"},
        )
        assert response.json()["choices"][0]["message"]["content"] == "Echo: hi"
        listed = (await http.get("/__requests")).json()
        assert len(listed) == 1
        assert listed[0]["body"]["messages"][0]["content"] == "hi"
        assert listed[0]["outcome"] == "completed"
        assert "authorization" not in {k.lower() for k in listed[0]["headers"]}
        assert (await http.delete("/__requests")).status_code == 204
        assert (await http.get("/__requests")).json() == []


async def test_raw_streams_follow_the_wire_formats(llm: FakeLLMServer) -> None:
    async with httpx.AsyncClient(base_url=llm.url) as http:
        body = {"model": "m", "max_tokens": 10, "stream": True}
        anthropic_sse = (
            await http.post(
                "/v1/messages", json={**body, "messages": [{"role": "user", "content": "tc=hello"}]}
            )
        ).text
        openai_sse = (
            await http.post(
                "/v1/chat/completions",
                json={**body, "messages": [{"role": "user", "content": "tc=hello"}]},
            )
        ).text
    events = [line[7:] for line in anthropic_sse.splitlines() if line.startswith("event: ")]
    assert events[:3] == ["message_start", "ping", "content_block_start"]
    assert events[-2:] == ["message_delta", "message_stop"]
    assert openai_sse.rstrip().endswith("data: [DONE]")
    assert '"usage"' not in openai_sse  # only with stream_options.include_usage


async def test_unknown_scenario_says_so(llm: FakeLLMServer) -> None:
    async with httpx.AsyncClient(base_url=llm.url) as http:
        response = await http.post(
            "/v1/chat/completions",
            json={"model": "m", "messages": [{"role": "user", "content": "tc=nope"}]},
        )
    assert "no scenario named 'nope'" in response.json()["choices"][0]["message"]["content"]


async def test_429_carries_retry_after_and_fires_once(llm: FakeLLMServer) -> None:
    async with httpx.AsyncClient(base_url=llm.url) as http:
        payload = {
            "model": "m",
            "max_tokens": 5,
            "messages": [{"role": "user", "content": "[429:7] hi"}],
        }
        first = await http.post("/v1/messages", json=payload)
        second = await http.post("/v1/messages", json=payload)
    assert first.status_code == 429
    assert first.headers["retry-after"] == "7"
    assert first.json()["error"]["type"] == "rate_limit_error"
    assert second.status_code == 200


def test_fault_markers_parse() -> None:
    faults = parse_faults("tc=x [500x3] [stall-once:2.5] [bad-tool-json] [delay:0.1]")
    assert (faults.http_status, faults.http_times, faults.retry_after) == (500, 3, 1)
    assert (faults.stall_seconds, faults.stall_once) == (2.5, True)
    assert faults.bad_tool_json
    assert faults.delay == 0.1
    assert parse_faults("plain").http_status is None


def test_turn_selection_branches_and_runs_out() -> None:
    turns = [
        {"text": "one"},
        {"branches": [{"if_result_contains": "error", "text": "fix"}, {"text": "fine"}]},
    ]
    assert select_turn(turns, 0, "").text == "one"
    assert select_turn(turns, 1, "2 errors found").text == "fix"
    assert select_turn(turns, 1, "all good").text == "fine"
    assert "finished" in select_turn(turns, 2, "").text


@pytest.mark.parametrize("path", sorted(DEFAULT_SCENARIOS_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_shipped_scenarios_load_and_use_real_tools(path: Path) -> None:
    turns = load_scenario(path.stem)
    assert turns
    for raw in turns:
        for turn in raw.get("branches", [raw]):
            for call in turn.get("tool_calls") or []:
                spec = get_tool_spec(call["name"])
                assert spec is not None, call["name"]
                assert set(spec.required) <= set(call.get("arguments") or {})
