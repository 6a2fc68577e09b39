"""Custom-domain endpoints (under ``/api/deploy``): add, list, verify, remove, and the
question a TLS proxy asks before getting a certificate."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Query, status

from appwright.auth.deps import CurrentUser
from appwright.core.deps import SessionDep
from appwright.core.schemas import error_responses
from appwright.deploy import domains as service
from appwright.deploy.deps import DeployDep
from appwright.deploy.domain_schemas import DomainAllowed, DomainCheck, DomainCreate, DomainRead

router = APIRouter(
    prefix="/api/deploy", tags=["deploy"], responses=error_responses(400, 401, 403, 404, 409)
)


@router.get("/domains/check", responses=error_responses(400, 404))
async def check_domain(
    ctx: DeployDep, domain: str = Query(max_length=300, description="The name to ask about.")
) -> DomainAllowed:
    """200 for a verified custom domain, 404 for any other name; public.

    The ``ask`` endpoint of a reverse proxy that gets certificates on demand (Caddy's
    ``on_demand_tls``), so it never asks for one for a name nobody verified.
    """
    return service.allowed(ctx, domain)


@router.get("/{project_id}/domains")
async def list_domains(
    project_id: uuid.UUID, user: CurrentUser, ctx: DeployDep, session: SessionDep
) -> list[DomainRead]:
    """The project's custom domains, verified or not, with the records each needs."""
    return await service.list_domains(session, ctx, user, project_id)


@router.post("/{project_id}/domains", status_code=status.HTTP_201_CREATED)
async def add_domain(
    project_id: uuid.UUID,
    body: DomainCreate,
    user: CurrentUser,
    ctx: DeployDep,
    session: SessionDep,
) -> DomainRead:
    """Add a domain to a published project; answers the DNS records to create.

    Published here: the domain serves nothing until ``…/verify`` finds both records.
    Live on Vercel: the domain is attached to the person's Vercel project (``target``
    ``vercel``) and the records are the ones Vercel asks for; 400 when Vercel no longer
    accepts the person's token. 409 when another project (here, or on Vercel in Vercel's
    words) has the name, or this one is not published yet.
    """
    read = await service.add_domain(session, ctx, user, project_id, body)
    await session.commit()
    return read


@router.post("/{project_id}/domains/{name}/verify")
async def verify_domain(
    project_id: uuid.UUID, name: str, user: CurrentUser, ctx: DeployDep, session: SessionDep
) -> DomainCheck:
    """Look the domain's records up now (a Vercel domain: ask Vercel to verify it):
    verified (it serves the app) or, in ``problems``, which record is missing or wrong."""
    domain, check = await service.verify_domain(session, ctx, user, project_id, name)
    await session.commit()
    service.route(ctx, domain)
    return check


@router.delete("/{project_id}/domains/{name}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_domain(
    project_id: uuid.UUID, name: str, user: CurrentUser, ctx: DeployDep, session: SessionDep
) -> None:
    """The domain stops serving the app at once (a Vercel domain is detached from the
    Vercel project too)."""
    domain = await service.remove_domain(session, ctx, user, project_id, name)
    await session.commit()
    service.unroute(ctx, domain)
