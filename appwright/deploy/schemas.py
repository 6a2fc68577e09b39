"""Request and response models of the deploy API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from appwright.core.schemas import InputModel, NoNulStr

DeploymentStatus = Literal["queued", "building", "ready", "error", "canceled"]
TargetName = Literal["local", "vercel"]


class PublishRequest(InputModel):
    slug: NoNulStr | None = Field(
        default=None,
        max_length=63,
        description="The address label (``{slug}.{apps_domain}``); the project's current "
        "one, or one made from its name, when omitted.",
    )
    version: NoNulStr | None = Field(
        default=None, max_length=64, description="The version to publish; the current one."
    )


class VercelPublishRequest(InputModel):
    version: NoNulStr | None = Field(
        default=None, max_length=64, description="The version to publish; the current one."
    )


class DeploymentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    project_id: uuid.UUID
    target: TargetName
    commit_sha: str
    status: DeploymentStatus
    url: str | None
    error_summary: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class DeployStatus(BaseModel):
    """Where the project is published and what is live there."""

    slug: str | None
    url: str | None = Field(description="The published address; null until a first publish.")
    live: DeploymentRead | None
    latest: DeploymentRead | None = Field(description="The newest deployment, of any status.")


class RollbackRequest(InputModel):
    deployment_id: uuid.UUID
