"""The fake LLM server's ASGI app: routes, fault injection and request recording."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from testing.fake_llm import wire
from testing.fake_llm.scenarios import (
    DEFAULT_SCENARIOS_DIR,
    Faults,
    Turn,
    load_scenario,
    parse_faults,
    scenario_name,
    select_turn,
)

__all__ = ["FAKE_MODEL", "FakeLLMState", "create_app"]

FAKE_MODEL = "fake-model"
"""The model id the server lists (``/v1/models``, Ollama's ``/api/tags``); any id is served."""

# Never recorded: tests assert on what was sent, not on credentials.
_SECRET_HEADERS = frozenset(
    {"authorization", "x-api-key", "api-key", "cookie", "proxy-authorization"}
)


@dataclass
class FakeLLMState:
    """Recorded requests and fault counters, shared with the thread that runs the tests."""

    scenarios_dir: Path = DEFAULT_SCENARIOS_DIR
    lock: threading.Lock = field(default_factory=threading.Lock)
    recorded: list[dict[str, Any]] = field(default_factory=list)
    fault_counts: dict[str, int] = field(default_factory=dict)
    cached_prefixes: set[str] = field(default_factory=set)

    def requests(self) -> list[dict[str, Any]]:
        """A copy of every recorded request, oldest first."""
        with self.lock:
            return [dict(r) for r in self.recorded]

    def clear(self) -> None:
        """Forget recorded requests, fault counters and the simulated prompt cache."""
        with self.lock:
            self.recorded.clear()
            self.fault_counts.clear()
            self.cached_prefixes.clear()

    def _record(self, request: Request, body: Any, wire_format: str) -> dict[str, Any]:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _SECRET_HEADERS}
        entry: dict[str, Any] = {
            "method": request.method,
            "path": request.url.path,
            "headers": headers,
            "body": body,
            "wire": wire_format,
            "status": None,
            "outcome": "pending",
        }
        with self.lock:
            entry["seq"] = len(self.recorded) + 1
            self.recorded.append(entry)
        return entry

    def _update(self, entry: dict[str, Any], **changes: Any) -> None:
        with self.lock:
            entry.update(changes)

    def _take_fault(self, key: str, times: int) -> bool:
        """True while the fault keyed ``key`` has fired fewer than ``times`` times."""
        with self.lock:
            count = self.fault_counts.get(key, 0)
            if count >= times:
                return False
            self.fault_counts[key] = count + 1
            return True

    def _cache(self, prefix: str, tokens: int) -> tuple[int, int]:
        """Simulated Anthropic prompt cache: (read, write) tokens for a cacheable prefix."""
        if not prefix:
            return 0, 0
        digest = hashlib.sha256(prefix.encode()).hexdigest()
        size = min(tokens, max(1, len(prefix) // 4))
        with self.lock:
            if digest in self.cached_prefixes:
                return size, 0
            self.cached_prefixes.add(digest)
        return 0, size


def _marker_text(prompt: wire.Prompt) -> tuple[str, int]:
    """The user text that drives the reply and how many replies followed it.

    The newest user text with a scenario marker, whose scenario is replayed from the
    replies that came after it (a new marker in a later message starts its scenario
    afresh); without one, the newest user text (for fault markers and the echo).
    """
    for index in range(len(prompt.user_texts) - 1, -1, -1):
        if scenario_name(prompt.user_texts[index]):
            return prompt.user_texts[index], prompt.replies_after[index]
    if not prompt.user_texts:
        return "", prompt.assistant_turns
    return prompt.user_texts[-1], prompt.replies_after[-1]


def _choose(state: FakeLLMState, prompt: wire.Prompt, marker: str, replies: int) -> Turn:
    name = scenario_name(marker)
    if name is None:
        echo = marker.strip()[:200] or "(empty)"
        return Turn(text=f"Echo: {echo}", chunk_size=8)
    turns = load_scenario(name, state.scenarios_dir)
    if turns is None:
        return Turn(text=f"(The fake LLM has no scenario named {name!r}.)")
    return select_turn(turns, replies, prompt.latest_result)


async def _stream(
    state: FakeLLMState,
    entry: dict[str, Any],
    frames: Iterator[wire.Frame],
    turn: Turn,
    faults: Faults,
    key: str,
) -> AsyncIterator[bytes]:
    delay = faults.delay if faults.delay is not None else turn.chunk_delay
    sent_content = False
    outcome = "disconnected"  # unless the loop below ends by itself
    try:
        for frame in frames:
            if frame.content and sent_content and delay:
                await anyio.sleep(delay)
            if frame.final and faults.stall_late and faults.stall_seconds is not None:
                await anyio.sleep(faults.stall_seconds)
            yield frame.data.encode()
            if frame.content and not sent_content:
                sent_content = True
                if faults.drop and state._take_fault(f"drop:{key}", 1):
                    outcome = "dropped"
                    return
                if (
                    faults.stall_seconds is not None
                    and not faults.stall_late
                    and (not faults.stall_once or state._take_fault(f"stall:{key}", 1))
                ):
                    await anyio.sleep(faults.stall_seconds)
        outcome = "completed"
    finally:
        # Cancelled by Starlette when the client disconnects mid-stream.
        state._update(entry, outcome=outcome)


async def _handle(
    state: FakeLLMState,
    request: Request,
    wire_format: str,
    read_prompt: Callable[[dict[str, Any]], wire.Prompt],
) -> Response:
    try:
        body = await request.json()
    except ValueError:
        body = None
    entry = state._record(request, body, wire_format)
    if not isinstance(body, dict):
        state._update(entry, status=400, outcome="completed")
        return JSONResponse({"error": {"message": "body must be a JSON object"}}, status_code=400)
    prompt = read_prompt(body)
    marker, replies = _marker_text(prompt)
    faults = parse_faults(marker)
    key = f"{hashlib.sha256(marker.encode()).hexdigest()}:{prompt.assistant_turns}"
    entry_info = {"scenario": scenario_name(marker), "turn": replies + 1}
    if faults.http_status is not None and state._take_fault(
        f"http:{faults.http_status}:{key}", faults.http_times
    ):
        status = faults.http_status
        message = f"Injected {status} by the fake LLM server"
        error = (wire.anthropic_error if wire_format == "anthropic" else wire.openai_error)(
            status, message
        )
        headers = {"retry-after": str(faults.retry_after)} if status == 429 else {}
        state._update(entry, status=status, outcome="completed", **entry_info)
        return JSONResponse(error, status_code=status, headers=headers)
    turn = _choose(state, prompt, marker, replies)
    state._update(entry, status=200, **entry_info)
    if wire_format == "anthropic":
        cache = state._cache(prompt.cached_prefix, prompt.input_tokens)
        if not prompt.stream:
            state._update(entry, outcome="completed")
            return JSONResponse(wire.anthropic_message(turn, prompt, cache))
        frames = wire.anthropic_stream(turn, prompt, cache, faults.bad_tool_json)
    else:
        if not prompt.stream:
            state._update(entry, outcome="completed")
            return JSONResponse(wire.openai_completion(turn, prompt))
        frames = wire.openai_stream(turn, prompt, faults.bad_tool_json)
    return StreamingResponse(
        _stream(state, entry, frames, turn, faults, key),
        media_type="text/event-stream",
        headers={"cache-control": "no-cache", "x-accel-buffering": "no"},
    )


def create_app(state: FakeLLMState | None = None) -> Starlette:
    """The ASGI app; ``app.state.fake`` holds the ``FakeLLMState``."""
    fake = state or FakeLLMState()

    async def messages(request: Request) -> Response:
        return await _handle(fake, request, "anthropic", wire.anthropic_prompt)

    async def completions(request: Request) -> Response:
        return await _handle(fake, request, "openai", wire.openai_prompt)

    async def list_requests(request: Request) -> Response:
        return JSONResponse(fake.requests())

    async def clear_requests(request: Request) -> Response:
        fake.clear()
        return Response(status_code=204)

    async def health(request: Request) -> Response:
        return JSONResponse({"ok": True})

    async def openai_models(request: Request) -> Response:
        data = [{"id": FAKE_MODEL, "object": "model", "created": 0, "owned_by": "fake-llm"}]
        return JSONResponse({"object": "list", "data": data})

    async def ollama_tags(request: Request) -> Response:
        return JSONResponse({"models": [{"name": FAKE_MODEL, "model": FAKE_MODEL, "size": 0}]})

    app = Starlette(
        routes=[
            Route("/v1/messages", messages, methods=["POST"]),
            Route("/v1/chat/completions", completions, methods=["POST"]),
            Route("/chat/completions", completions, methods=["POST"]),
            Route("/__requests", list_requests, methods=["GET"]),
            Route("/__requests", clear_requests, methods=["DELETE"]),
            Route("/__health", health, methods=["GET"]),
            Route("/v1/models", openai_models, methods=["GET"]),
            Route("/api/tags", ollama_tags, methods=["GET"]),
        ]
    )
    app.state.fake = fake
    return app
