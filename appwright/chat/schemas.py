"""Request and response models of the chat API (docs/PRODUCT.md §3.4, docs/chat-api.md)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from appwright.core.schemas import NoNulStr
from appwright.llm.catalog import ProviderKind
from appwright.usage.schemas import UsageTotals

MAX_MESSAGE_CHARS = 100_000


class ThreadCreate(BaseModel):
    project_id: uuid.UUID
    title: NoNulStr | None = Field(default=None, max_length=255)


class ThreadRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    project_id: uuid.UUID
    title: str | None
    created_at: datetime
    updated_at: datetime


class ThreadWithUsage(ThreadRead):
    usage: UsageTotals = Field(default_factory=UsageTotals)


class VersionRef(BaseModel):
    """The commit an assistant message produced."""

    commit_hash: str
    description: str | None
    files_changed: Any | None


class MessageRead(BaseModel):
    id: uuid.UUID
    thread_id: uuid.UUID
    parent_id: uuid.UUID | None
    role: str
    content: str
    tool_calls: Any | None
    token_count: int | None
    status: str
    created_at: datetime
    usage: UsageTotals | None = None
    version: VersionRef | None = None
    sibling_ids: list[uuid.UUID] = Field(
        default_factory=list,
        description="Messages with the same parent (this one included), oldest first: "
        "the branches a UI can switch between here.",
    )


class ThreadBranchRead(BaseModel):
    """One branch of a thread: the path from the first message to ``leaf_id``."""

    thread_id: uuid.UUID
    leaf_id: uuid.UUID | None
    messages: list[MessageRead]
    usage: UsageTotals
    leaf_ids: list[uuid.UUID] = Field(description="Last message of every branch, newest first")


class Attachment(BaseModel):
    """An image (``data:image/...;base64,...``) or a text document."""

    name: NoNulStr = Field(max_length=255)
    type: Literal["image", "text"]
    content: str = Field(max_length=10_000_000)
    media_type: str | None = Field(default=None, max_length=100)


class MessageStream(BaseModel):
    thread_id: uuid.UUID
    content: NoNulStr = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)
    attachments: list[Attachment] = Field(default_factory=list, max_length=10)
    model: NoNulStr | None = Field(default=None, max_length=200)
    parent_id: uuid.UUID | None = None
    open_files: list[NoNulStr] = Field(default_factory=list, max_length=50)


class MessageEdit(BaseModel):
    content: NoNulStr = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)
    model: NoNulStr | None = Field(default=None, max_length=200)


class Regenerate(BaseModel):
    model: NoNulStr | None = Field(default=None, max_length=200)


class CancelRead(BaseModel):
    message_id: uuid.UUID
    status: str


class CatalogModelRead(BaseModel):
    """One model of the catalogue the settings offer."""

    id: str
    provider: ProviderKind
    label: str
    context_window: int
    supports_tools: bool
    supports_vision: bool


class LLMSettingsRead(BaseModel):
    """The person's model connection (key masked) and the server's default."""

    provider: Literal["anthropic", "openai"] | None
    model: str | None
    base_url: str | None
    api_key: str | None = Field(description="Masked; null when no key is stored")
    tool_protocol: Literal["auto", "native", "xml"]
    server_provider: str | None
    server_model: str | None
    server_configured: bool
    models: list[CatalogModelRead]


class LLMSettingsUpdate(BaseModel):
    """``api_key``: omitted or null keeps the stored key, "" removes it."""

    provider: Literal["anthropic", "openai"] | None = None
    model: NoNulStr | None = Field(default=None, max_length=200)
    base_url: NoNulStr | None = Field(default=None, max_length=1000)
    api_key: NoNulStr | None = Field(default=None, max_length=500)
    tool_protocol: Literal["auto", "native", "xml"] = "auto"
