from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field

from appwright.core.schemas import InputModel


class SandboxCreate(InputModel):
    project_id: uuid.UUID


class SandboxStatsRead(BaseModel):
    rss_bytes: int
    cpu_seconds: float
    process_count: int
    memory_limit_bytes: int


class SandboxStatus(BaseModel):
    project_id: uuid.UUID
    status: Literal["not_started", "starting", "running", "crashed", "hibernated", "stopped"]
    isolation: str
    detail: str | None = None
    restarts: int = 0
    last_exit_code: int | None = None
    stats: SandboxStatsRead | None = None


class ExecuteRequest(InputModel):
    command: str = Field(min_length=1, max_length=10_000)
    timeout: float = Field(default=60, gt=0, le=1800)
    cwd: str = Field(default=".", max_length=1000)


class LogLineRead(BaseModel):
    ts: float
    stream: Literal["stdout", "stderr", "system"]
    text: str


class PreviewLink(BaseModel):
    url: str = Field(description="Open this once (iframe src); it sets the preview cookie.")
    origin: str = Field(description="The preview's origin, for postMessage checks.")
    expires_in: int
