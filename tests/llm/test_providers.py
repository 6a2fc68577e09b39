"""Both providers, through the official SDKs, against the fake LLM server over real HTTP."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import pytest

from appwright.agent.tool_specs import tool_definitions
from appwright.agent.xml_protocol import XmlCallCompleted, XmlStreamParser
from appwright.llm import (
    AnthropicProvider,
    ChatRequest,
    ImagePart,
    LLMAuthError,
    LLMError,
    LLMProvider,
    LLMStallError,
    Message,
    OpenAICompatProvider,
    RetryPolicy,
    Stop,
    StreamEvent,
    StreamReset,
    TextDelta,
    TextPart,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallPart,
    ToolCallStart,
    ToolResultPart,
    Usage,
)
from testing.fake_llm import FakeLLMServer, serve

pytestmark = pytest.mark.anyio

# Quick backoff; a stall timeout generous enough for a busy 2-core CI machine.
FAST = RetryPolicy(base_delay=0.01, max_delay=0.05, stall_timeout=5, close_timeout=2)
# For the stall tests, whose fake server goes silent for 10 s.
STALLY = RetryPolicy(base_delay=0.01, max_delay=0.05, stall_timeout=0.8, close_timeout=2)


@pytest.fixture(scope="module")
def fake_llm() -> Iterator[FakeLLMServer]:
    with serve() as server:
        yield server


@pytest.fixture
def llm(fake_llm: FakeLLMServer) -> FakeLLMServer:
    fake_llm.clear()
    return fake_llm


@pytest.fixture(params=["anthropic", "openai"])
def wire(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def make(
    wire: str, llm: FakeLLMServer, policy: RetryPolicy = FAST
) -> AnthropicProvider | OpenAICompatProvider:
    if wire == "anthropic":
        return AnthropicProvider(api_key="sk-secret-test", base_url=llm.url, policy=policy)
    return OpenAICompatProvider(
        api_key="sk-secret-test", base_url=llm.openai_base_url, policy=policy
    )


@pytest.fixture
async def stally(wire: str, llm: FakeLLMServer) -> AsyncIterator[LLMProvider]:
    made = make(wire, llm, STALLY)
    yield made
    await made.aclose()


@pytest.fixture
async def provider(wire: str, llm: FakeLLMServer) -> AsyncIterator[LLMProvider]:
    # Closed inside the test's event loop: a client collected later would try to close
    # its connections on a loop that no longer runs.
    made = make(wire, llm)
    yield made
    await made.aclose()


def ask(text: str, **kwargs: Any) -> ChatRequest:
    return ChatRequest(model="fake-model", messages=(Message.user(text),), **kwargs)


async def collect(stream: AsyncIterator[StreamEvent]) -> list[StreamEvent]:
    return [event async for event in stream]


def text_of(events: list[StreamEvent]) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


async def test_text_streams_in_several_deltas_with_usage_and_stop(
    wire: str, llm: FakeLLMServer, provider: LLMProvider
) -> None:
    events = await collect(provider.stream(ask("tc=hello")))
    deltas = [e for e in events if isinstance(e, TextDelta)]
    assert len(deltas) > 3
    assert text_of(events) == "Hello! I am the fake model. Tell me what to build."
    usage = next(e for e in events if isinstance(e, Usage))
    assert usage.input_tokens > 0
    assert usage.output_tokens > 0
    assert events[-1] == Stop("end_turn", "end_turn" if wire == "anthropic" else "stop")


async def test_default_reply_echoes_the_prompt(
    wire: str, llm: FakeLLMServer, provider: LLMProvider
) -> None:
    events = await collect(provider.stream(ask("make me a todo app")))
    assert text_of(events) == "Echo: make me a todo app"


async def test_tool_call_arguments_stream_in_fragments(
    wire: str, llm: FakeLLMServer, provider: LLMProvider
) -> None:
    request = ask("tc=create-file", tools=tuple(tool_definitions()))
    events = await collect(provider.stream(request))
    start = next(e for e in events if isinstance(e, ToolCallStart))
    assert start.name == "create_file"
    fragments = [e for e in events if isinstance(e, ToolCallDelta)]
    assert len(fragments) > 5
    assert all(f.id == start.id for f in fragments)
    end = next(e for e in events if isinstance(e, ToolCallEnd))
    assert end.error is None
    assert end.raw_arguments == "".join(f.fragment for f in fragments)
    assert end.arguments["path"] == "src/components/Counter.tsx"
    assert "useState<number>(0)" in end.arguments["content"]
    assert text_of(events) == "I'll create the counter component."
    assert isinstance(events[-1], Stop)
    assert events[-1].reason == "tool_use"
    # The tools reached the server in the wire format's own shape.
    body = llm.requests()[-1]["body"]
    if wire == "anthropic":
        assert body["tools"][0]["name"] == "create_file"
        assert body["tools"][0]["input_schema"]["required"] == ["path", "content"]
    else:
        assert body["tools"][0]["function"]["name"] == "create_file"
        assert body["stream_options"] == {"include_usage": True}


async def test_multi_turn_scenario_branches_on_tool_results(
    wire: str, llm: FakeLLMServer, provider: LLMProvider
) -> None:
    first = await collect(provider.stream(ask("tc=fix-loop", tools=tuple(tool_definitions()))))
    calls = [e for e in first if isinstance(e, ToolCallEnd)]
    assert [c.name for c in calls] == ["create_file", "check_for_errors"]

    def history(result: str) -> ChatRequest:
        return ChatRequest(
            model="fake-model",
            tools=tuple(tool_definitions()),
            messages=(
                Message.user("tc=fix-loop"),
                Message(
                    "assistant",
                    (
                        TextPart(text_of(first)),
                        *(ToolCallPart(c.id, c.name, c.arguments) for c in calls),
                    ),
                ),
                Message(
                    "user",
                    (
                        ToolResultPart(calls[0].id, "created src/greet.ts"),
                        ToolResultPart(calls[1].id, result),
                    ),
                ),
            ),
        )

    broken = await collect(provider.stream(history("1 error: TS2322 string is not number")))
    assert "fixing the return type" in text_of(broken)
    fix = next(e for e in broken if isinstance(e, ToolCallEnd))
    assert fix.arguments["sections"][0]["replace"] == "(name: string): string =>"
    clean = await collect(provider.stream(history("No problems found.")))
    assert text_of(clean) == "All done, no errors."
    # What the model was sent: the tool results in the wire format's own shape.
    body = llm.requests()[-1]["body"]
    if wire == "anthropic":
        assert body["messages"][2]["content"][1]["type"] == "tool_result"
    else:
        assert [m["role"] for m in body["messages"]] == ["user", "assistant", "tool", "tool"]
        assert body["messages"][1]["tool_calls"][0]["function"]["name"] == "create_file"


async def test_xml_protocol_text_parses_into_tool_calls(
    wire: str, llm: FakeLLMServer, provider: LLMProvider
) -> None:
    parser = XmlStreamParser()
    done: list[XmlCallCompleted] = []
    async for event in provider.stream(ask("tc=xml-create-file")):
        if isinstance(event, TextDelta):
            done += [e for e in parser.feed(event.text) if isinstance(e, XmlCallCompleted)]
    done += [e for e in parser.finish() if isinstance(e, XmlCallCompleted)]
    assert [c.name for c in done] == ["create_file", "check_for_errors"]
    assert "Counter<T extends number>" in done[0].arguments["content"]


async def test_malformed_tool_json_is_reported_not_parsed(
    wire: str, llm: FakeLLMServer, provider: LLMProvider
) -> None:
    events = await collect(provider.stream(ask("tc=create-file [bad-tool-json]")))
    end = next(e for e in events if isinstance(e, ToolCallEnd))
    assert end.arguments == {}
    assert end.error is not None
    assert "not valid JSON" in end.error


async def test_429_is_retried_after_retry_after(
    wire: str, llm: FakeLLMServer, provider: LLMProvider
) -> None:
    began = time.monotonic()
    events = await collect(provider.stream(ask("[429] tc=hello")))
    assert time.monotonic() - began >= 0.95  # the server said Retry-After: 1
    assert text_of(events).startswith("Hello!")
    assert [r["status"] for r in llm.requests()] == [429, 200]


async def test_500_is_retried_with_backoff(
    wire: str, llm: FakeLLMServer, provider: LLMProvider
) -> None:
    events = await collect(provider.stream(ask("[500x2] tc=hello")))
    assert text_of(events).startswith("Hello!")
    assert [r["status"] for r in llm.requests()] == [500, 500, 200]


async def test_persistent_500_gives_up_after_three_attempts(
    wire: str, llm: FakeLLMServer, provider: LLMProvider
) -> None:
    with pytest.raises(LLMError) as err:
        await collect(provider.stream(ask("[503x5] tc=hello")))
    assert err.value.status_code == 503
    assert len(llm.requests()) == 3


async def test_refused_key_is_an_auth_error_without_retries(
    wire: str, llm: FakeLLMServer, provider: LLMProvider
) -> None:
    with pytest.raises(LLMAuthError, match="API key"):
        await collect(provider.stream(ask("[401x5] tc=hello")))
    assert [r["status"] for r in llm.requests()] == [401]


async def test_stall_twice_raises_a_clear_error(
    wire: str, llm: FakeLLMServer, stally: LLMProvider
) -> None:
    provider = stally
    began = time.monotonic()
    events: list[StreamEvent] = []

    async def drain() -> None:
        async for event in provider.stream(ask("[stall:10] tc=hello")):
            events.append(event)

    with pytest.raises(LLMStallError, match="stopped responding"):
        await drain()
    assert time.monotonic() - began < 8  # two stall timeouts, not the server's 10 s
    assert len(llm.requests()) == 2
    assert any(isinstance(e, StreamReset) for e in events)


async def test_stall_once_is_retried_and_partial_output_reset(
    wire: str, llm: FakeLLMServer, stally: LLMProvider
) -> None:
    provider = stally
    events = await collect(provider.stream(ask("[stall-once:10] tc=hello")))
    reset = next(i for i, e in enumerate(events) if isinstance(e, StreamReset))
    assert text_of(events[reset:]) == "Hello! I am the fake model. Tell me what to build."
    assert isinstance(events[-1], Stop)


async def test_stream_cut_off_mid_response_is_retried(
    wire: str, llm: FakeLLMServer, provider: LLMProvider
) -> None:
    events = await collect(provider.stream(ask("[drop] tc=hello")))
    reset = next(i for i, e in enumerate(events) if isinstance(e, StreamReset))
    assert text_of(events[reset:]) == "Hello! I am the fake model. Tell me what to build."
    assert [r["outcome"] for r in llm.requests()] == ["dropped", "completed"]


async def test_completed_tool_call_is_never_replayed_by_a_retry(
    wire: str, llm: FakeLLMServer, stally: LLMProvider
) -> None:
    provider = stally
    # The stall comes after the tool calls streamed, before the stop reason: at least the
    # first call has completed (and may have run), so retrying would run it twice.
    events: list[StreamEvent] = []

    async def drain() -> None:
        async for event in provider.stream(ask("tc=fix-loop [stall-late:10]")):
            events.append(event)

    with pytest.raises(LLMStallError):
        await drain()
    ends = [e for e in events if isinstance(e, ToolCallEnd)]
    assert ends
    assert ends[0].name == "create_file"
    assert len(llm.requests()) == 1
    assert not any(isinstance(e, StreamReset) for e in events)


async def wait_for_outcome(llm: FakeLLMServer, outcome: str) -> dict[str, Any]:
    with anyio.fail_after(3):
        while True:
            records = llm.requests()
            if records and records[-1]["outcome"] == outcome:
                return records[-1]
            await anyio.sleep(0.02)


async def test_closing_the_stream_closes_the_connection(
    wire: str, llm: FakeLLMServer, provider: LLMProvider
) -> None:
    stream = provider.stream(ask("tc=slow"))
    seen = 0
    async for event in stream:
        seen += isinstance(event, TextDelta)
        if seen == 3:
            break
    await stream.aclose()  # type: ignore[attr-defined]
    await wait_for_outcome(llm, "disconnected")


async def test_cancelling_the_consumer_stops_the_stream(
    wire: str, llm: FakeLLMServer, provider: LLMProvider
) -> None:
    got: list[StreamEvent] = []

    async def consume() -> None:
        async for event in provider.stream(ask("tc=slow")):
            got.append(event)

    with anyio.move_on_after(1.0):
        await consume()
    assert 0 < len(got) < 35  # the whole reply is about 40 deltas over 2 s
    record = await wait_for_outcome(llm, "disconnected")
    assert record["scenario"] == "slow"


async def test_request_recording_without_credentials(
    wire: str, llm: FakeLLMServer, provider: LLMProvider
) -> None:
    request = ChatRequest(
        model="fake-model",
        system="You are appwright.",
        system_volatile="Iteration 1 of 10.",
        messages=(Message("user", (TextPart("tc=hello"), ImagePart("image/png", "iVBORw0KGgo="))),),
        max_tokens=1234,
    )
    await collect(provider.stream(request))
    record = llm.requests()[-1]
    assert record["method"] == "POST"
    headers = {k.lower() for k in record["headers"]}
    assert not headers & {"authorization", "x-api-key"}
    assert "sk-secret-test" not in repr(record)
    body = record["body"]
    if wire == "anthropic":
        assert record["path"] == "/v1/messages"
        assert body["system"][0] == {
            "type": "text",
            "text": "You are appwright.",
            "cache_control": {"type": "ephemeral"},
        }
        assert "cache_control" not in body["system"][1]
        assert body["messages"][0]["content"][1]["source"]["media_type"] == "image/png"
        assert body["max_tokens"] == 1234
    else:
        assert record["path"] == "/v1/chat/completions"
        assert body["messages"][0] == {
            "role": "system",
            "content": "You are appwright.\n\nIteration 1 of 10.",
        }
        image = body["messages"][1]["content"][1]
        assert image["image_url"]["url"].startswith("data:image/png;base64,")


async def test_anthropic_prompt_cache_is_reported(llm: FakeLLMServer) -> None:
    provider = make("anthropic", llm)
    request = ask("tc=hello", system="A long stable system prompt. " * 40)
    first = next(e for e in await collect(provider.stream(request)) if isinstance(e, Usage))
    second = next(e for e in await collect(provider.stream(request)) if isinstance(e, Usage))
    await provider.aclose()
    assert first.cache_write_tokens > 0
    assert first.cache_read_tokens == 0
    assert second.cache_read_tokens == first.cache_write_tokens
    assert second.cache_write_tokens == 0
