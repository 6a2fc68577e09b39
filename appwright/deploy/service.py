"""Publishing: what a person may publish, where, and which deployment is live.

Services take the session, the deploy services, the acting person and the project id;
the endpoint commits and then hands a new deployment to the publisher, so the build
never starts for a row that was not saved.
"""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from appwright.auth.access import get_project
from appwright.auth.repository import project_by_id, user_by_id
from appwright.auth.service import require_verified
from appwright.core.errors import BadRequest, Conflict, ResourceNotFound
from appwright.deploy import repository
from appwright.deploy.artefacts import log_path
from appwright.deploy.deps import DeployServices
from appwright.deploy.schemas import (
    DeploymentRead,
    DeploySettings,
    DeployStatus,
    PublishRequest,
    VercelPublishRequest,
)
from appwright.deploy.slugs import check_slug, suggest_slug
from appwright.deploy.target import HostedTarget
from appwright.deploy.vercel.target import NOT_CONNECTED, VercelNotConnected
from appwright.models import Deployment, Project, User
from appwright.templates.catalogue import get_template
from appwright.versions.history import repo_for

DEPLOYMENT_NOT_FOUND = "No such deployment in this project."


class SlugTaken(Conflict):
    """Another project is published at that address."""


class PublishInProgress(Conflict):
    """A deployment of this project is still building."""


async def publish(
    session: AsyncSession,
    ctx: DeployServices,
    user: User,
    project_id: uuid.UUID,
    body: PublishRequest,
    target: str = "local",
) -> Deployment:
    """A queued deployment of the project's current (or chosen) version."""
    require_verified(user)
    project = await get_project(session, user, project_id)
    slug = (
        check_slug(body.slug)
        if body.slug is not None
        else project.publish_slug or suggest_slug(project.name, str(project.id))
    )
    owner = await repository.slug_owner(session, slug)
    if owner is not None and owner != project.id:
        raise SlugTaken(f"The address {slug!r} is taken by another app; choose another.")
    ctx.publisher.target(target).check(get_template(project.template))
    if await repository.building(session, project.id) is not None:
        raise PublishInProgress("This project is being published already; wait for it to end.")
    sha = await repo_for(ctx.runtime, str(project.id)).resolve(body.version or "HEAD")
    return await _queue(session, project, user.id, slug, target, sha)


async def _queue(
    session: AsyncSession,
    project: Project,
    user_id: uuid.UUID,
    slug: str,
    target: str,
    sha: str,
) -> Deployment:
    project.publish_slug = slug
    deployment = Deployment(
        project_id=project.id, user_id=user_id, target=target, commit_sha=sha, status="queued"
    )
    session.add(deployment)
    try:
        await session.flush()
    except IntegrityError:  # a concurrent publish took the address first
        raise SlugTaken(f"The address {slug!r} is taken by another app; choose another.") from None
    return deployment


async def publish_on_push(
    session: AsyncSession, ctx: DeployServices, project: Project, pushed: str
) -> tuple[Deployment | None, str]:
    """After a verified push was pulled: a queued deployment of ``pushed`` when the
    project publishes on push, else None — with the reason either way.

    Only the branch's newest commit is published, and only once: a delivery sent again
    (GitHub's redelivery, or a captured one replayed) publishes nothing.
    """
    if not project.deploy_on_push:
        return None, "publishing on push is off"
    owner = await user_by_id(session, project.user_id)
    if owner is None or owner.email_verified_at is None:
        return None, "the owner's email address is not verified"
    head = await repo_for(ctx.runtime, str(project.id)).resolve("HEAD")
    if head != pushed:
        return None, "the pushed commit is not the branch's newest"
    if await repository.has_deployment_of(session, project.id, head):
        return None, "this commit was published already"
    if await repository.building(session, project.id) is not None:
        return None, "a publish of this project is in progress"
    slug = project.publish_slug or suggest_slug(project.name, str(project.id))
    if await repository.slug_owner(session, slug) not in (None, project.id):
        return None, f"the address {slug!r} is taken"
    return await _queue(session, project, owner.id, slug, "local", head), "publishing"


async def update_settings(
    session: AsyncSession,
    ctx: DeployServices,
    user: User,
    project_id: uuid.UUID,
    body: DeploySettings,
) -> DeployStatus:
    project = await get_project(session, user, project_id)
    project.deploy_on_push = body.deploy_on_push
    await session.flush()
    return await status(session, ctx, user, project_id)


def hosted_target(ctx: DeployServices, name: str) -> HostedTarget:
    target = ctx.publisher.hosted.get(name)
    if target is None:
        raise BadRequest(f"Publishing to {name} is not set up on this server.")
    return target


async def publish_vercel(
    session: AsyncSession,
    ctx: DeployServices,
    user: User,
    project_id: uuid.UUID,
    body: VercelPublishRequest,
) -> Deployment:
    """A queued deployment to the person's Vercel account (named after the project's
    address label, which it takes if it has none yet)."""
    require_verified(user)
    await get_project(session, user, project_id)
    if not await hosted_target(ctx, "vercel").connected(user.id):
        raise VercelNotConnected(NOT_CONNECTED)
    return await publish(
        session, ctx, user, project_id, PublishRequest(version=body.version), target="vercel"
    )


def _live_url(ctx: DeployServices, project: Project, live: Deployment | None) -> str | None:
    """Where the live deployment is served: its hosted URL, else the address here."""
    if live is not None and live.target != "local":
        return live.url
    return ctx.publisher.url(project.publish_slug) if live and project.publish_slug else None


async def _promote(ctx: DeployServices, user: User, dep: Deployment) -> None:
    """Make a hosted deployment live again where it is hosted (before the pointer moves)."""
    if dep.external_id is None:
        raise Conflict("This deployment cannot be made live again; publish again.")
    await hosted_target(ctx, dep.target).promote(user.id, dep.external_id)


async def status(
    session: AsyncSession, ctx: DeployServices, user: User, project_id: uuid.UUID
) -> DeployStatus:
    project = await get_project(session, user, project_id)
    deployments = await repository.history(session, project.id, limit=1)
    live = (
        await repository.deployment_of(session, project.id, project.live_deployment_id)
        if project.live_deployment_id
        else None
    )
    return DeployStatus(
        slug=project.publish_slug,
        url=_live_url(ctx, project, live),
        live=DeploymentRead.model_validate(live) if live else None,
        latest=DeploymentRead.model_validate(deployments[0]) if deployments else None,
        deploy_on_push=project.deploy_on_push,
    )


async def history(session: AsyncSession, user: User, project_id: uuid.UUID) -> list[DeploymentRead]:
    project = await get_project(session, user, project_id)
    return [DeploymentRead.model_validate(d) for d in await repository.history(session, project.id)]


async def rollback(
    session: AsyncSession,
    ctx: DeployServices,
    user: User,
    project_id: uuid.UUID,
    deployment_id: uuid.UUID,
) -> Deployment:
    """Point the project at an earlier ready deployment (no rebuild); the endpoint commits,
    then ``serve`` makes the address answer with it."""
    require_verified(user)
    project = await get_project(session, user, project_id)
    dep = await repository.deployment_of(session, project.id, deployment_id)
    if dep is None:
        raise ResourceNotFound(DEPLOYMENT_NOT_FOUND)
    if dep.status != "ready":
        raise Conflict(f"Only a ready deployment can be made live again; this one is {dep.status}.")
    if project.publish_slug is None:
        raise Conflict("This project is not published.")
    if dep.target != "local":
        await _promote(ctx, user, dep)
    project.live_deployment_id = dep.id
    await session.flush()
    return dep


async def serve(session: AsyncSession, ctx: DeployServices, dep: Deployment) -> None:
    """Serve the (committed) live deployment ``dep`` at its project's address."""
    project = await project_by_id(session, dep.project_id)
    if project is not None and project.publish_slug and dep.target == "local":
        ctx.publisher.set_live(project.publish_slug, dep, project.template)
    elif dep.target != "local":
        ctx.publisher.live_elsewhere(dep.project_id)


async def deployment(
    session: AsyncSession, user: User, project_id: uuid.UUID, deployment_id: uuid.UUID
) -> Deployment:
    """One of the person's project's deployments (another's is not found)."""
    project = await get_project(session, user, project_id)
    dep = await repository.deployment_of(session, project.id, deployment_id)
    if dep is None:
        raise ResourceNotFound(DEPLOYMENT_NOT_FOUND)
    return dep


async def build_log(
    session: AsyncSession,
    ctx: DeployServices,
    user: User,
    project_id: uuid.UUID,
    deployment_id: uuid.UUID,
) -> str:
    dep = await deployment(session, user, project_id, deployment_id)
    path = log_path(ctx.publisher.artefact(dep.project_id, dep.id))
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""
