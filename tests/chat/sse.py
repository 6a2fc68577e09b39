"""Helpers for chat tests: an app wired to the fake LLM server, SSE parsing."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

import httpx

from appwright.core.config import Settings
from tests.conftest import TEST_SECRET

# Sandboxes of this test run get their own subnet and uids (another run or a real
# platform on this machine may be using the defaults).
_RUN = secrets.randbelow(200)

Events = list[tuple[str, dict[str, Any]]]


def llm_settings(
    database_url: str, data_dir: Path, llm_url: str, *, provider: str, protocol: str, **extra: Any
) -> Settings:
    """Test settings with the fake LLM as the server's model."""
    model = "claude-haiku-4-5" if provider == "anthropic" else "gpt-4o-mini"
    base: dict[str, Any] = {
        "env": "development",
        "secret_key": TEST_SECRET,
        "data_dir": data_dir,
        "database_url": database_url,
        "web_dist": data_dir / "no-ui",
        "autostart_previews": False,
        "sandbox_name_prefix": "awc",
        "sandbox_subnet": f"10.232.{_RUN}.0/24",
        "sandbox_uid_base": 400_000 + _RUN * 100,
        "llm_provider": provider,
        "llm_model": model,
        "llm_tool_protocol": protocol,
        "anthropic_api_key": "test-key",
        "anthropic_base_url": llm_url,
        "openai_api_key": "test-key",
        "openai_base_url": llm_url + "/v1",
        "llm_stall_seconds": 2.0,
        "llm_retry_base_delay": 0.05,
        "ollama_url": "http://127.0.0.1:9",
    }
    base.update(extra)
    return Settings(**base)


def parse_sse(body: str) -> Events:
    """The (event, data) pairs of an SSE body."""
    events: Events = []
    for block in body.split("\n\n"):
        name, data = None, None
        for line in block.splitlines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                data = json.loads(line[6:])
        if name is not None and data is not None:
            events.append((name, data))
    return events


async def post_stream(client: httpx.AsyncClient, url: str, body: dict[str, Any]) -> Events:
    """POST to a streaming endpoint and return its events (the 200 is asserted)."""
    response = await client.post(url, json=body, timeout=60)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    return parse_sse(response.text)


def of(events: Events, name: str) -> list[dict[str, Any]]:
    """The data of every event called ``name``."""
    return [data for event, data in events if event == name]


def done(events: Events) -> dict[str, Any]:
    """The ``done`` event (asserted to be last)."""
    assert events and events[-1][0] == "done", events[-3:]
    return events[-1][1]


def text(events: Events) -> str:
    """The text the user saw (after any reset)."""
    out: list[str] = []
    for event, data in events:
        if event == "reset":
            out = []
        elif event == "text":
            out.append(data["text"])
    return "".join(out)
