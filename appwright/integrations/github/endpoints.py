"""GitHub endpoints: the person's token, a project's repository, push, pull, the webhook."""

from __future__ import annotations

import json
import logging
import uuid
from urllib.parse import parse_qs

from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse

from appwright.auth.access import get_project
from appwright.auth.deps import CurrentUser
from appwright.auth.repository import project_by_id
from appwright.core.deps import SessionDep
from appwright.core.schemas import error_responses
from appwright.core.security import mask_secret
from appwright.deploy.deps import DeployDep
from appwright.deploy.service import publish_on_push
from appwright.integrations.github import service
from appwright.integrations.github.schemas import (
    GitHubConnectionRead,
    GitHubLinkRead,
    GitHubTokenSet,
    PullRequest,
    PushRead,
    PushRequest,
    RepositoryCreate,
    RepositoryLink,
)
from appwright.models import Project
from appwright.versions.deps import VersionsDep, VersionsServices
from appwright.versions.schemas import MergeRead

log = logging.getLogger("appwright.github")

router = APIRouter(tags=["github"], responses=error_responses(400, 401, 403, 404, 409, 502, 504))

MAX_WEBHOOK_BYTES = 5 * 1024 * 1024


@router.get("/api/integrations/github")
async def get_connection(
    user: CurrentUser, ctx: VersionsDep, session: SessionDep
) -> GitHubConnectionRead:
    connection = await service.connection_of(session, user.id)
    if connection is None:
        return GitHubConnectionRead(connected=False)
    return GitHubConnectionRead(
        connected=True,
        login=connection.login,
        token=mask_secret(ctx.secrets.decrypt(connection.token_encrypted)),
        scopes=connection.scopes,
        connected_at=connection.updated_at,
    )


@router.put("/api/integrations/github")
async def set_connection(
    body: GitHubTokenSet, user: CurrentUser, ctx: VersionsDep, session: SessionDep
) -> GitHubConnectionRead:
    """Connect with a token (validated by ``GET /user``; stored encrypted)."""
    connection, token = await service.connect(session, ctx, user, body.token)
    return GitHubConnectionRead(
        connected=True,
        login=connection.login,
        token=mask_secret(token),
        scopes=connection.scopes,
        connected_at=connection.updated_at,
    )


@router.delete("/api/integrations/github", status_code=status.HTTP_204_NO_CONTENT)
async def delete_connection(user: CurrentUser, session: SessionDep) -> None:
    await service.disconnect(session, user)


def _link_of(ctx: VersionsServices, project: Project) -> GitHubLinkRead:
    if not project.github_clone_url:
        return GitHubLinkRead(linked=False)
    return GitHubLinkRead(
        linked=True,
        repo_url=project.github_repo_url,
        clone_url=project.github_clone_url,
        default_branch=project.github_default_branch,
        webhook_url=service.webhook_url(ctx, project),
        webhook_secret=service.webhook_secret(ctx, project),
    )


@router.get("/api/projects/{project_id}/github")
async def get_link(
    project_id: uuid.UUID, user: CurrentUser, ctx: VersionsDep, session: SessionDep
) -> GitHubLinkRead:
    """The project's repository and its webhook URL and secret (owner only)."""
    project = await get_project(session, user, project_id)
    return _link_of(ctx, project)


@router.post("/api/projects/{project_id}/github/repository", status_code=status.HTTP_201_CREATED)
async def create_repository(
    project_id: uuid.UUID,
    body: RepositoryCreate,
    user: CurrentUser,
    ctx: VersionsDep,
    session: SessionDep,
) -> GitHubLinkRead:
    """Create a repository (``POST /user/repos``) and link it; push to fill it."""
    project = await get_project(session, user, project_id)
    await service.create_repository(
        session,
        ctx,
        user,
        project,
        name=body.name,
        private=body.private,
        description=body.description,
    )
    return _link_of(ctx, project)


@router.put("/api/projects/{project_id}/github/repository")
async def link_repository(
    project_id: uuid.UUID,
    body: RepositoryLink,
    user: CurrentUser,
    ctx: VersionsDep,
    session: SessionDep,
) -> GitHubLinkRead:
    """Link an existing repository ``owner/name`` the token can see."""
    project = await get_project(session, user, project_id)
    await service.link_repository(session, ctx, user, project, body.full_name)
    return _link_of(ctx, project)


@router.delete(
    "/api/projects/{project_id}/github/repository", status_code=status.HTTP_204_NO_CONTENT
)
async def unlink_repository(project_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> None:
    project = await get_project(session, user, project_id)
    await service.unlink_repository(session, project)


@router.post("/api/projects/{project_id}/github/push")
async def push(
    project_id: uuid.UUID,
    body: PushRequest,
    user: CurrentUser,
    ctx: VersionsDep,
    session: SessionDep,
) -> PushRead:
    """Push the current branch (or ``branch``); 409 ``PushRejected`` means pull first."""
    project = await get_project(session, user, project_id)
    result = await service.push(session, ctx, project, branch=body.branch, force=body.force)
    return PushRead(
        branch=result.branch,
        remote_branch=result.remote_branch,
        head=result.head,
        repo_url=project.github_repo_url,
    )


@router.post("/api/projects/{project_id}/github/pull")
async def pull(
    project_id: uuid.UUID,
    body: PullRequest,
    user: CurrentUser,
    ctx: VersionsDep,
    session: SessionDep,
) -> MergeRead:
    """Fetch and merge; 409 ``MergeConflict`` with ``files`` (the merge was aborted)."""
    project = await get_project(session, user, project_id)
    return MergeRead.of(await service.pull(session, ctx, project, branch=body.branch))


def _answer(status_code: int, error: str, detail: str) -> JSONResponse:
    return JSONResponse({"error": error, "detail": detail}, status_code=status_code)


@router.post("/api/webhooks/github/{project_id}")
async def webhook(
    project_id: uuid.UUID,
    request: Request,
    ctx: VersionsDep,
    deploy: DeployDep,
    session: SessionDep,
) -> JSONResponse:
    """GitHub's webhook: ``X-Hub-Signature-256`` verified (401 otherwise); ``push`` to the
    current branch pulls, and publishes it when the project publishes on push; ``ping``
    answers ok; other events are ignored."""
    project = await project_by_id(session, project_id)
    secret = service.webhook_secret(ctx, project) if project is not None else None
    if project is None or secret is None:
        return _answer(404, "NotFound", "No GitHub repository is linked to this project.")
    body = await request.body()
    if len(body) > MAX_WEBHOOK_BYTES:
        return _answer(413, "PayloadTooLarge", "The delivery is too large.")
    if not service.signature_valid(secret, body, request.headers.get("x-hub-signature-256")):
        log.warning("github.webhook_bad_signature project=%s", project_id)
        return _answer(401, "InvalidSignature", "The X-Hub-Signature-256 signature does not match.")
    event = request.headers.get("x-github-event", "")
    if event == "ping":
        return JSONResponse({"status": "ok"})
    if event != "push":
        return JSONResponse({"status": "ignored", "reason": f"event {event!r} not handled"})
    text = body
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        # GitHub's other content type: the JSON in a form field named "payload".
        text = parse_qs(body.decode("utf-8", "replace")).get("payload", [""])[0].encode()
    try:
        payload = json.loads(text)
    except ValueError:
        return _answer(400, "BadRequest", "The delivery is not JSON.")
    if not isinstance(payload, dict):
        return _answer(400, "BadRequest", "The delivery is not a JSON object.")
    answer = await service.on_push_event(session, ctx, project, payload)
    if answer["status"] in ("pulled", "up_to_date"):
        pushed = str(payload.get("after", ""))
        deployment, answer["publish"] = await publish_on_push(session, deploy, project, pushed)
        if deployment is not None:
            await session.commit()
            deploy.publisher.start(deployment.id)
            answer["deployment_id"] = str(deployment.id)
    return JSONResponse(answer)
