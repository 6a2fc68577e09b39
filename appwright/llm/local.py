"""Finding models to offer: a local Ollama on its default port, or an endpoint's model list.

Used when no model is configured, so the chat can offer what is already running instead
of only asking for an API key.
"""

from __future__ import annotations

import httpx

__all__ = ["OLLAMA_DEFAULT_URL", "list_openai_models", "ollama_openai_base_url", "probe_ollama"]

OLLAMA_DEFAULT_URL = "http://127.0.0.1:11434"


def ollama_openai_base_url(url: str = OLLAMA_DEFAULT_URL) -> str:
    """The OpenAI-compatible base URL of an Ollama server (for ``OpenAICompatProvider``)."""
    return url.rstrip("/") + "/v1"


async def probe_ollama(
    url: str = OLLAMA_DEFAULT_URL, *, http_timeout: float = 0.5
) -> list[str] | None:
    """Names of the models a local Ollama has pulled, or None when none answers at ``url``."""
    try:
        async with httpx.AsyncClient(timeout=http_timeout) as client:
            response = await client.get(url.rstrip("/") + "/api/tags")
    except httpx.HTTPError:
        return None
    if response.status_code != 200:
        return None
    try:
        models = response.json().get("models") or []
    except ValueError:
        return None
    return [str(m["name"]) for m in models if isinstance(m, dict) and "name" in m]


async def list_openai_models(
    base_url: str, *, api_key: str | None = None, http_timeout: float = 5.0
) -> list[str]:
    """Model ids from an OpenAI-compatible ``GET {base_url}/models``; [] when unavailable."""
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    try:
        async with httpx.AsyncClient(timeout=http_timeout) as client:
            response = await client.get(base_url.rstrip("/") + "/models", headers=headers)
        response.raise_for_status()
        data = response.json().get("data") or []
    except (httpx.HTTPError, ValueError, AttributeError):
        return []
    return [str(m["id"]) for m in data if isinstance(m, dict) and "id" in m]
