"""Which model a person's chat uses: their own settings first, then the server's.

Keys come from ``APPWRIGHT_*`` settings or from the person's settings row (decrypted here,
only in memory, never logged). With nothing usable configured, ``resolve_model`` returns
None and ``no_model_help`` explains how to connect one, offering a local Ollama if one
answers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from appwright.core.config import Settings
from appwright.core.security import SecretBox
from appwright.llm.catalog import ModelCatalog, ModelInfo
from appwright.llm.factory import create_provider
from appwright.llm.local import ollama_openai_base_url, probe_ollama
from appwright.llm.resilience import RetryPolicy
from appwright.llm.types import LLMProvider
from appwright.models import UserLLMSettings

__all__ = ["ResolvedModel", "no_model_help", "resolve_model", "retry_policy"]

ToolProtocol = Literal["native", "xml"]


@dataclass(frozen=True, slots=True)
class ResolvedModel:
    """A ready provider for one turn, with the model's catalogue entry."""

    info: ModelInfo
    provider: LLMProvider
    protocol: ToolProtocol
    source: Literal["user", "server"]


def retry_policy(settings: Settings) -> RetryPolicy:
    """The retry/stall policy configured for this server."""
    return RetryPolicy(
        stall_timeout=settings.llm_stall_seconds,
        request_timeout=settings.llm_request_timeout_seconds,
        base_delay=settings.llm_retry_base_delay,
    )


def _protocol(choice: str, info: ModelInfo) -> ToolProtocol:
    if choice == "native":
        return "native"
    if choice == "xml":
        return "xml"
    return "native" if info.supports_tools else "xml"


def resolve_model(
    settings: Settings,
    secrets: SecretBox,
    user_settings: UserLLMSettings | None,
    *,
    requested_model: str | None = None,
    catalog: ModelCatalog | None = None,
) -> ResolvedModel | None:
    """The provider and model for a turn, or None when no model is configured.

    The person's settings win when they name a provider; ``requested_model`` (the chat's
    model picker) only changes the model id, never the endpoint or the key.
    """
    catalog = catalog or ModelCatalog()
    source: Literal["user", "server"] = "server"
    provider_kind = settings.llm_provider
    model_id = settings.llm_model
    protocol_choice: str = settings.llm_tool_protocol
    if provider_kind == "anthropic":
        api_key, base_url = settings.anthropic_api_key, settings.anthropic_base_url
    else:
        api_key, base_url = settings.openai_api_key, settings.openai_base_url
    if user_settings is not None and user_settings.provider:
        source = "user"
        provider_kind = "anthropic" if user_settings.provider == "anthropic" else "openai"
        model_id = user_settings.model or model_id
        base_url = user_settings.base_url
        api_key = (
            secrets.decrypt(user_settings.api_key_encrypted)
            if user_settings.api_key_encrypted
            else None
        )
        protocol_choice = user_settings.tool_protocol or "auto"
    if provider_kind is None:
        return None
    model_id = requested_model or model_id
    if not model_id:
        return None
    if provider_kind == "anthropic" and not api_key:
        return None
    if provider_kind == "openai" and not (api_key or base_url):
        return None
    info = catalog.resolve(model_id)
    if info.provider != provider_kind:
        # A model the catalogue does not know, served by the configured endpoint.
        info = replace(info, provider=provider_kind)
    provider = create_provider(
        info, api_key=api_key or "not-needed", base_url=base_url, policy=retry_policy(settings)
    )
    return ResolvedModel(info, provider, _protocol(protocol_choice, info), source)


async def no_model_help(settings: Settings) -> tuple[str, list[str]]:
    """A reply telling the person how to connect a model, and local Ollama models found."""
    found = await probe_ollama(settings.ollama_url)
    lines = [
        "No AI model is connected yet, so I cannot work on your project.",
        "",
        "Connect one in **Settings → AI model**:",
        "- **Anthropic**: choose the Anthropic provider and paste an API key "
        "(from console.anthropic.com).",
        "- **OpenAI or any OpenAI-compatible endpoint** (OpenAI, OpenRouter, vLLM, "
        "LM Studio, Ollama): choose OpenAI-compatible, enter the base URL and, if needed, "
        "a key.",
        "",
        "Server administrators can set `APPWRIGHT_LLM_PROVIDER`, `APPWRIGHT_LLM_MODEL` and "
        "`APPWRIGHT_ANTHROPIC_API_KEY` or `APPWRIGHT_OPENAI_API_KEY`/"
        "`APPWRIGHT_OPENAI_BASE_URL` for everyone.",
    ]
    models = found or []
    if found is not None:
        url = ollama_openai_base_url(settings.ollama_url)
        shown = ", ".join(f"`{m}`" for m in models[:8]) or "none pulled yet"
        lines += [
            "",
            f"A local **Ollama** answers at {settings.ollama_url} (models: {shown}). "
            f"To use it, choose OpenAI-compatible with the base URL `{url}` and one of "
            "these models; no key is needed.",
        ]
    return "\n".join(lines), models
