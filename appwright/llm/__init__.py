"""Model providers behind one streaming interface (``LLMProvider``), the model catalogue,
and the typed errors of model calls."""

from appwright.llm.anthropic_provider import AnthropicProvider
from appwright.llm.catalog import DEFAULT_CATALOG, ModelCatalog, ModelInfo, cost_usd
from appwright.llm.errors import (
    LLMAuthError,
    LLMError,
    LLMRateLimited,
    LLMRequestError,
    LLMStallError,
)
from appwright.llm.factory import create_provider
from appwright.llm.openai_provider import OpenAICompatProvider
from appwright.llm.resilience import RetryPolicy
from appwright.llm.types import (
    ChatRequest,
    ImagePart,
    LLMProvider,
    Message,
    Stop,
    StreamEvent,
    StreamReset,
    TextDelta,
    TextPart,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallPart,
    ToolCallStart,
    ToolDefinition,
    ToolResultPart,
    Usage,
)

__all__ = [
    "DEFAULT_CATALOG",
    "AnthropicProvider",
    "ChatRequest",
    "ImagePart",
    "LLMAuthError",
    "LLMError",
    "LLMProvider",
    "LLMRateLimited",
    "LLMRequestError",
    "LLMStallError",
    "Message",
    "ModelCatalog",
    "ModelInfo",
    "OpenAICompatProvider",
    "RetryPolicy",
    "Stop",
    "StreamEvent",
    "StreamReset",
    "TextDelta",
    "TextPart",
    "ToolCallDelta",
    "ToolCallEnd",
    "ToolCallPart",
    "ToolCallStart",
    "ToolDefinition",
    "ToolResultPart",
    "Usage",
    "cost_usd",
    "create_provider",
]
