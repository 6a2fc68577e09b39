"""Bodies of ``/api/integrations/github`` and ``/api/projects/{id}/github/...``."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from appwright.core.schemas import InputModel, NoNulStr


class GitHubTokenSet(InputModel):
    token: str = Field(
        min_length=1,
        max_length=500,
        pattern=r"^[\x21-\x7e]+$",
        repr=False,
        description="A GitHub token: printable ASCII without spaces (ghp_…, github_pat_…).",
    )


class GitHubConnectionRead(BaseModel):
    """The connection: the account and the token masked (``ghp_••••••ab``)."""

    connected: bool
    login: str | None = None
    token: str | None = None
    scopes: str | None = None
    connected_at: datetime | None = None


class RepositoryCreate(InputModel):
    """Create a repository on the person's account (``private`` by default)."""

    name: NoNulStr = Field(min_length=1, max_length=100)
    private: bool = True
    description: str | None = Field(default=None, max_length=350)


class RepositoryLink(InputModel):
    """Link an existing repository instead: ``owner/name``."""

    full_name: NoNulStr = Field(min_length=3, max_length=140)


class GitHubLinkRead(BaseModel):
    """The project's repository and the webhook to configure on GitHub for auto-pull.

    Configure the webhook with content type ``application/json``, the secret, and the
    ``push`` event.
    """

    linked: bool
    repo_url: str | None = None
    clone_url: str | None = None
    default_branch: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None


class PushRequest(InputModel):
    branch: NoNulStr | None = Field(default=None, max_length=200)
    force: bool = False


class PushRead(BaseModel):
    branch: str
    remote_branch: str
    head: str
    repo_url: str | None


class PullRequest(InputModel):
    branch: NoNulStr | None = Field(default=None, max_length=200)
