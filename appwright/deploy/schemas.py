"""Request and response models of the deploy API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator

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


class BuildErrorRead(BaseModel):
    """One error of a failed build, where the build log located it."""

    file: str | None = Field(description="Workspace-relative, e.g. ``pages/index.tsx``.")
    line: int | None
    column: int | None
    message: str


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
    errors: list[BuildErrorRead] = Field(
        default_factory=list,
        validation_alias=AliasChoices("build_errors", "errors"),
        description="A failed build's errors read from its log (empty otherwise).",
    )
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @field_validator("errors", mode="before")
    @classmethod
    def _none_is_empty(cls, value: object) -> object:
        return [] if value is None else value


class DeployStatus(BaseModel):
    """Where the project is published and what is live there."""

    slug: str | None
    url: str | None = Field(description="The published address; null until a first publish.")
    live: DeploymentRead | None
    latest: DeploymentRead | None = Field(description="The newest deployment, of any status.")
    deploy_on_push: bool = Field(
        description="Each push to the linked GitHub repository's current branch is published."
    )


class DeploySettings(InputModel):
    deploy_on_push: bool


class RollbackRequest(InputModel):
    deployment_id: uuid.UUID
