"""GitHub for a person and their projects: token, repository link, push, pull, webhooks.

The token is stored encrypted (``ctx.secrets``) and handed to git per command as an
``Authorization`` header in the process environment (``versions.remote``), never
written into the repository's config. Remote URLs come from GitHub's ``clone_url``;
anything but ``https://`` is refused unless ``github_allow_local_remotes`` (tests).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import uuid
from dataclasses import replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from appwright.core.errors import BadRequest, Conflict, ResourceNotFound
from appwright.core.events import Event, project_topic
from appwright.integrations.github import repository
from appwright.integrations.github.client import GitHubClient, GitHubRepository
from appwright.models import GitHubConnection, Project, User
from appwright.versions.branch_service import record_pull
from appwright.versions.deps import VersionsServices
from appwright.versions.git import remote
from appwright.versions.git.branches import current_branch
from appwright.versions.git.errors import MergeConflict
from appwright.versions.git.remote import PushResult
from appwright.versions.git.types import MergeResult
from appwright.versions.service import head_or_none, repo_of, save_pending

log = logging.getLogger("appwright.github")

_REPO_NAME = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
_FULL_NAME = re.compile(r"^[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}$")


class GitHubNotConnected(Conflict):
    """The person has not connected a GitHub token yet."""


class RepositoryNotLinked(Conflict):
    """The project has no GitHub repository yet."""


def client_for(ctx: VersionsServices, token: str) -> GitHubClient:
    return GitHubClient(ctx.settings.github_api_url, token)


async def connection_of(session: AsyncSession, user_id: uuid.UUID) -> GitHubConnection | None:
    """The person's GitHub connection, if any."""
    return await repository.connection_of(session, user_id)


async def connect(
    session: AsyncSession, ctx: VersionsServices, user: User, token: str
) -> tuple[GitHubConnection, str]:
    """Validate ``token`` with ``GET /user`` and store it encrypted; returns the connection
    and the token (for masking in the answer). Replaces an earlier connection."""
    token = token.strip()
    if not token or any(c.isspace() for c in token):
        raise BadRequest("Paste the token without spaces or line breaks.")
    async with client_for(ctx, token) as github:
        account = await github.get_user()
    connection = await connection_of(session, user.id)
    encrypted = ctx.secrets.encrypt(token)
    if connection is None:
        connection = GitHubConnection(
            user_id=user.id, token_encrypted=encrypted, login=account.login, scopes=account.scopes
        )
        session.add(connection)
    else:
        connection.token_encrypted = encrypted
        connection.login = account.login
        connection.scopes = account.scopes
    await session.flush()
    log.info("github.connected user=%s login=%s", user.id, account.login)
    return connection, token


async def disconnect(session: AsyncSession, user: User) -> None:
    """Forget the person's token (linked repositories stay linked)."""
    connection = await connection_of(session, user.id)
    if connection is None:
        raise ResourceNotFound("GitHub is not connected.")
    await session.delete(connection)
    await session.flush()


async def token_of(session: AsyncSession, ctx: VersionsServices, user_id: uuid.UUID) -> str:
    """The decrypted token of the person, or ``GitHubNotConnected``."""
    connection = await connection_of(session, user_id)
    if connection is None:
        raise GitHubNotConnected("Connect GitHub with a token first.")
    return ctx.secrets.decrypt(connection.token_encrypted)


def webhook_url(ctx: VersionsServices, project: Project) -> str:
    return f"{ctx.settings.base_url}/api/webhooks/github/{project.id}"


def webhook_secret(ctx: VersionsServices, project: Project) -> str | None:
    """The project's webhook secret (decrypted), ``None`` when no repository is linked."""
    encrypted = project.github_webhook_secret_encrypted
    return ctx.secrets.decrypt(encrypted) if encrypted else None


def _link(ctx: VersionsServices, project: Project, repository: GitHubRepository) -> None:
    remote.check_remote_url(
        repository.clone_url, allow_local=ctx.settings.github_allow_local_remotes
    )
    project.github_repo_url = repository.html_url
    project.github_clone_url = repository.clone_url
    project.github_default_branch = repository.default_branch
    if project.github_webhook_secret_encrypted is None:
        project.github_webhook_secret_encrypted = ctx.secrets.encrypt(secrets.token_urlsafe(32))


async def create_repository(
    session: AsyncSession,
    ctx: VersionsServices,
    user: User,
    project: Project,
    *,
    name: str,
    private: bool,
    description: str | None,
) -> Project:
    """Create an empty repository on the person's account and link it to the project."""
    if not _REPO_NAME.match(name) or name in (".", ".."):
        raise BadRequest("Use letters, digits, '.', '-' and '_' for the repository name.")
    token = await token_of(session, ctx, user.id)
    async with client_for(ctx, token) as github:
        repository = await github.create_repository(name, private=private, description=description)
    _link(ctx, project, repository)
    await session.flush()
    return project


async def link_repository(
    session: AsyncSession, ctx: VersionsServices, user: User, project: Project, full_name: str
) -> Project:
    """Link an existing repository (``owner/name``) the person's token can see."""
    if not _FULL_NAME.match(full_name):
        raise BadRequest("Name the repository as owner/name.")
    token = await token_of(session, ctx, user.id)
    async with client_for(ctx, token) as github:
        repository = await github.get_repository(full_name)
    _link(ctx, project, repository)
    await session.flush()
    return project


async def unlink_repository(session: AsyncSession, project: Project) -> None:
    """Forget the project's repository (the repository on GitHub stays)."""
    project.github_repo_url = None
    project.github_clone_url = None
    project.github_default_branch = None
    project.github_webhook_secret_encrypted = None
    await session.flush()


def _clone_url(project: Project) -> str:
    if not project.github_clone_url:
        raise RepositoryNotLinked("Create or link a GitHub repository for this project first.")
    return project.github_clone_url


async def push(
    session: AsyncSession,
    ctx: VersionsServices,
    project: Project,
    *,
    branch: str | None,
    force: bool,
) -> PushResult:
    """Push a branch (default: the current one) to the linked repository.

    Unsaved edits are saved as a version first, so what is pushed is what the person sees.
    """
    url = _clone_url(project)
    token = await token_of(session, ctx, project.user_id)
    await save_pending(ctx, project, "Save changes before pushing to GitHub")
    result = await remote.push(
        repo_of(ctx.runtime, project),
        url,
        branch=branch,
        auth_header=remote.basic_auth_header("x-access-token", token),
        force=force,
        allow_local=ctx.settings.github_allow_local_remotes,
    )
    log.info("github.pushed project=%s branch=%s", project.id, result.branch)
    return result


async def pull(
    session: AsyncSession, ctx: VersionsServices, project: Project, *, branch: str | None
) -> MergeResult:
    """Fetch a branch (default: the current one's name) and merge it into the current branch.

    Every commit the pull brings in is recorded in ``version_history`` (not only the new
    head). A conflict aborts the merge and raises ``MergeConflict`` (409 with the files).
    """
    url = _clone_url(project)
    connection = await connection_of(session, project.user_id)
    header = None
    if connection is not None:
        token = ctx.secrets.decrypt(connection.token_encrypted)
        header = remote.basic_auth_header("x-access-token", token)
    saved = await save_pending(ctx, project, "Save changes before pulling from GitHub")
    repo = repo_of(ctx.runtime, project)
    before = await head_or_none(repo)
    result = await remote.pull(
        repo,
        url,
        remote_branch=branch,
        auth_header=header,
        allow_local=ctx.settings.github_allow_local_remotes,
    )
    await record_pull(session, ctx, project, result, before)
    return replace(result, saved=result.saved or saved)


def signature_valid(secret: str, body: bytes, header: str | None) -> bool:
    """Whether ``X-Hub-Signature-256`` is ``sha256=<HMAC-SHA256(secret, body)>`` (constant time)."""
    if not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256=").strip().lower())


async def on_push_event(
    session: AsyncSession, ctx: VersionsServices, project: Project, payload: dict[str, Any]
) -> dict[str, Any]:
    """Handle a verified ``push`` delivery: pull when it concerns the current branch."""
    ref = str(payload.get("ref", ""))
    if not ref.startswith("refs/heads/"):
        return {"status": "ignored", "reason": "not a branch"}
    branch = ref.removeprefix("refs/heads/")
    repo = repo_of(ctx.runtime, project)
    if branch != await current_branch(repo):
        return {"status": "ignored", "reason": f"{branch} is not the current branch"}
    after = str(payload.get("after", ""))
    if re.fullmatch(r"[0-9a-f]{40}", after):
        known = await repo.git.run("cat-file", "-e", f"{after}^{{commit}}", ok=(0, 1, 128))
        if known.returncode == 0:
            return {"status": "up_to_date"}
    topic = project_topic(str(project.id))
    try:
        result = await pull(session, ctx, project, branch=branch)
    except MergeConflict as conflict:
        await ctx.events.publish(
            topic, Event("github:conflict", {"branch": branch, "files": conflict.files})
        )
        return {"status": "conflict", "files": conflict.files}
    head = result.version.hash if result.version else None
    await ctx.events.publish(topic, Event("github:pulled", {"branch": branch, "head": head}))
    return {"status": "up_to_date" if result.up_to_date else "pulled", "head": head}
