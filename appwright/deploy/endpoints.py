"""Deploy endpoints: publish a version, see what is live, roll back, read a build's log."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import PlainTextResponse, StreamingResponse

from appwright.auth.deps import CurrentUser
from appwright.core.deps import SessionDep
from appwright.core.schemas import error_responses
from appwright.core.sse import SSE_HEADERS
from appwright.deploy import service
from appwright.deploy.deps import DeployDep
from appwright.deploy.logs import log_events
from appwright.deploy.schemas import (
    DeploymentRead,
    DeploySettings,
    DeployStatus,
    PublishRequest,
    RollbackRequest,
    VercelPublishRequest,
)

router = APIRouter(
    prefix="/api/deploy", tags=["deploy"], responses=error_responses(400, 401, 403, 404, 409)
)


@router.post("/{project_id}/local", status_code=status.HTTP_202_ACCEPTED)
async def publish_local(
    project_id: uuid.UUID,
    body: PublishRequest,
    user: CurrentUser,
    ctx: DeployDep,
    session: SessionDep,
) -> DeploymentRead:
    """Publish a version on this server at ``{slug}.{apps_domain}``.

    Answers the queued deployment at once; ``deployment:status`` and ``build:complete``
    on the project WebSocket (and ``GET …/status``) tell how it goes. The address serves
    the earlier deployment until this one is ready, and keeps doing so if it fails. Needs
    a verified email address (403 ``EmailNotVerified``).
    """
    deployment = await service.publish(session, ctx, user, project_id, body)
    await session.commit()
    ctx.publisher.start(deployment.id)
    return DeploymentRead.model_validate(deployment)


@router.post("/{project_id}/vercel", status_code=status.HTTP_202_ACCEPTED)
async def publish_vercel(
    project_id: uuid.UUID,
    body: VercelPublishRequest,
    user: CurrentUser,
    ctx: DeployDep,
    session: SessionDep,
) -> DeploymentRead:
    """Publish a version to the person's Vercel account (``PUT /api/integrations/vercel``
    first; 400 ``VercelNotConnected`` otherwise).

    Answers the queued deployment at once, as ``…/local`` does; Vercel's build events are
    in ``…/logs``; when ready, ``url`` is its production address on Vercel. Needs a
    verified email address (403 ``EmailNotVerified``).
    """
    deployment = await service.publish_vercel(session, ctx, user, project_id, body)
    await session.commit()
    ctx.publisher.start(deployment.id)
    return DeploymentRead.model_validate(deployment)


@router.get("/{project_id}/status")
async def deploy_status(
    project_id: uuid.UUID, user: CurrentUser, ctx: DeployDep, session: SessionDep
) -> DeployStatus:
    return await service.status(session, ctx, user, project_id)


@router.put("/{project_id}/settings")
async def deploy_settings(
    project_id: uuid.UUID,
    body: DeploySettings,
    user: CurrentUser,
    ctx: DeployDep,
    session: SessionDep,
) -> DeployStatus:
    """Publish on push (needs a linked GitHub repository to have an effect)."""
    return await service.update_settings(session, ctx, user, project_id, body)


@router.get("/{project_id}/history")
async def deploy_history(
    project_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> list[DeploymentRead]:
    """The project's deployments, newest first (the latest 50)."""
    return await service.history(session, user, project_id)


@router.post("/{project_id}/rollback", responses=error_responses(502))
async def rollback(
    project_id: uuid.UUID,
    body: RollbackRequest,
    user: CurrentUser,
    ctx: DeployDep,
    session: SessionDep,
) -> DeployStatus:
    """Make an earlier ready deployment live again (no rebuild; a Vercel deployment is
    promoted to production on Vercel, 502 when Vercel refuses)."""
    deployment = await service.rollback(session, ctx, user, project_id, body.deployment_id)
    await session.commit()
    await service.serve(session, ctx, deployment)
    return await service.status(session, ctx, user, project_id)


@router.get(
    "/{project_id}/logs",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/plain": {}, "text/event-stream": {}}}},
)
async def deploy_logs(
    project_id: uuid.UUID,
    deployment_id: uuid.UUID,
    request: Request,
    user: CurrentUser,
    ctx: DeployDep,
    session: SessionDep,
) -> Response:
    """A deployment's build log: the kept text, or with ``Accept: text/event-stream`` the
    log as it is written — ``log`` events ``{"text"}``, then one ``done`` event holding
    the finished deployment (as ``GET …/history`` shows it)."""
    if "text/event-stream" in request.headers.get("accept", ""):
        dep = await service.deployment(session, user, project_id, deployment_id)
        return StreamingResponse(
            log_events(ctx, dep.project_id, dep.id),
            media_type="text/event-stream",
            headers=SSE_HEADERS,
        )
    text = await service.build_log(session, ctx, user, project_id, deployment_id)
    return PlainTextResponse(text)
