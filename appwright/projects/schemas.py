from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

from appwright.core.config import Settings
from appwright.core.schemas import InputModel
from appwright.models import Project
from appwright.sandbox.bwrap import reserved_env_problem

ENV_KEY_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
_ENV_KEY = re.compile(ENV_KEY_PATTERN)


TemplateId = Literal["nextjs", "react-vite", "vue-vite", "static"]
"""The templates a project can be made from (``templates/<id>/``; a test keeps them equal)."""


def _clean(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("must not be blank")
    return value


class ProjectCreate(InputModel):
    name: str = Field(min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=2000)
    # Checked by the service, which names the choices in its 400; the schema lists them.
    template: str = Field(
        min_length=1, max_length=100, json_schema_extra={"enum": list(get_args(TemplateId))}
    )

    _name = field_validator("name")(_clean)


class ProjectUpdate(InputModel):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=2000)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        return None if value is None else _clean(value)


class ProjectDuplicate(InputModel):
    name: str | None = Field(default=None, min_length=1, max_length=100)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        return None if value is None else _clean(value)


class ProjectRead(BaseModel):
    # published_url has a default (the ORM row has no such field) but is always answered.
    model_config = ConfigDict(
        from_attributes=True, json_schema_serialization_defaults_required=True
    )

    id: uuid.UUID
    name: str
    description: str | None
    template: TemplateId
    github_repo_url: str | None
    vercel_deployment_url: str | None
    sandbox_id: str | None
    supabase_connected: bool
    created_at: datetime
    updated_at: datetime
    published_url: str | None = Field(
        default=None,
        description="Where the project is published on this server; null until a deployment "
        "of it is live.",
    )

    @classmethod
    def of(cls, project: Project, settings: Settings) -> ProjectRead:
        slug = project.publish_slug
        url = settings.published_url(slug) if slug and project.live_deployment_id else None
        return cls.model_validate(project).model_copy(update={"published_url": url})


class ProjectPage(BaseModel):
    items: list[ProjectRead]
    total: int
    page: int
    page_size: int


class TemplateRead(BaseModel):
    id: TemplateId
    name: str
    description: str
    tags: list[str]


class EnvVarSet(InputModel):
    value: str = Field(max_length=32_768)


class EnvVarRead(BaseModel):
    key: str
    masked_value: str
    updated_at: datetime


class EnvVarRevealed(BaseModel):
    key: str
    value: str


def validate_env_key(key: str) -> str | None:
    """An error message for an unusable variable name, or None."""
    if len(key) > 128:
        return "Variable names are at most 128 characters long."
    if not _ENV_KEY.match(key):
        return "Variable names use letters, digits and underscores and do not start with a digit."
    # Names the sandbox sets itself or that change how it starts programs (LD_*, PATH...).
    return reserved_env_problem(key)
