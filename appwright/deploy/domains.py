"""Custom domains: a person points a domain of theirs at a published project.

Adding a domain answers the two records to create at its DNS provider: one that routes it
to the platform (a CNAME to ``{slug}.{apps_domain}``, or an A/AAAA record to
``APPWRIGHT_PUBLIC_ADDRESS`` when that is set) and a TXT record
``_appwright.{name}`` = ``appwright-verify={token}`` that proves the person controls the
domain. A check looks both up with a real resolver; once both hold the domain is
verified and the gateway serves the project's live deployment under it. A later check
that finds a record gone or wrong unverifies it (one that could not reach a DNS server
changes nothing).

A name belongs to one project on the server. A claim nobody verified within
``CLAIM_DAYS`` lapses: another project may then add the name (so nobody can hold a
domain they do not control by adding it first).

When the project's live deployment is on a hosted target (Vercel), the domain is attached
to the person's project there instead (``HostedTarget.add_domain``, with their own
credentials): the records are the ones that platform asks for (Vercel: a CNAME to
``cname.vercel-dns.com``, an A record for an apex domain, and a TXT record when the domain
belongs to another Vercel account), a check asks that platform to verify it, and removing
it detaches it there too. The row keeps its ``target``, so the domain stays where it was
added whatever is live later; the gateway never answers a hosted domain.

As in ``service.py``, the endpoint commits and only then changes what the gateway serves.
"""

from __future__ import annotations

import secrets
import uuid
from contextlib import suppress
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from appwright.auth.access import get_project
from appwright.auth.service import require_verified
from appwright.core.config import Settings
from appwright.core.errors import AppError, Conflict, ResourceNotFound
from appwright.deploy import repository
from appwright.deploy.deps import DeployServices
from appwright.deploy.dns_check import DnsChecker
from appwright.deploy.domain_names import check_domain, normalise_domain
from appwright.deploy.domain_schemas import (
    DnsRecord,
    DomainAllowed,
    DomainCheck,
    DomainCreate,
    DomainRead,
    RecordProblem,
)
from appwright.deploy.service import hosted_target
from appwright.deploy.target import HostedDomain
from appwright.models import Project, ProjectDomain, User

MAX_DOMAINS = 10
"""Domains per project."""
CLAIM_DAYS = 7
TXT_PREFIX = "_appwright."
TXT_VALUE = "appwright-verify="


class DomainTaken(Conflict):
    """The domain is another project's (or this one's already)."""


class NotPublishedHere(Conflict):
    """A domain serves the project's live deployment on this server: there is none yet."""


class TooManyDomains(Conflict):
    pass


class DomainNotFound(ResourceNotFound):
    pass


def _now() -> datetime:
    return datetime.now(UTC)


def records(settings: Settings, slug: str, domain: ProjectDomain) -> list[DnsRecord]:
    """The records that route ``domain`` to the platform and prove who controls it."""
    if settings.public_address:
        kind = "AAAA" if ":" in settings.public_address else "A"
        route = DnsRecord(type=kind, name=domain.name, value=settings.public_address)
    else:
        target = f"{slug}.{settings.apps_domain.lower().strip('.')}"
        route = DnsRecord(type="CNAME", name=domain.name, value=target)
    proof = DnsRecord(
        type="TXT",
        name=TXT_PREFIX + domain.name,
        value=TXT_VALUE + domain.verification_token,
    )
    return [route, proof]


def _records_of(settings: Settings, slug: str, domain: ProjectDomain) -> list[DnsRecord]:
    if domain.target == "local":
        return records(settings, slug, domain)
    return [DnsRecord.model_validate(r) for r in domain.hosted_records or []]


def _read(settings: Settings, slug: str, domain: ProjectDomain) -> DomainRead:
    verified = domain.verified_at is not None
    url = None
    if verified:  # a hosted platform serves its domains over HTTPS
        local = domain.target == "local"
        url = settings.site_url(domain.name) if local else f"https://{domain.name}/"
    return DomainRead(
        name=domain.name,
        target=domain.target,
        verified=verified,
        url=url,
        records=_records_of(settings, slug, domain),
        created_at=domain.created_at,
        verified_at=domain.verified_at,
        last_checked_at=domain.last_checked_at,
        last_error=domain.last_error,
    )


async def _live(session: AsyncSession, project: Project) -> tuple[str, str]:
    """The project's address and where its live deployment is (``local``: here)."""
    live = (
        await repository.deployment_of(session, project.id, project.live_deployment_id)
        if project.live_deployment_id
        else None
    )
    if live is None or project.publish_slug is None:
        raise NotPublishedHere(
            "Publish first: a domain serves the project's published app, and it has none yet."
        )
    return project.publish_slug, live.target


async def _own_domain(session: AsyncSession, project: Project, name: str) -> ProjectDomain:
    domain = await repository.domain_named(session, normalise_domain(name))
    if domain is None or domain.project_id != project.id:
        raise DomainNotFound("This project has no such domain.")
    return domain


async def list_domains(
    session: AsyncSession, ctx: DeployServices, user: User, project_id: uuid.UUID
) -> list[DomainRead]:
    project = await get_project(session, user, project_id)
    domains = await repository.domains_of(session, project.id)
    slug = project.publish_slug or ""
    return [_read(ctx.settings, slug, d) for d in domains]


async def add_domain(
    session: AsyncSession,
    ctx: DeployServices,
    user: User,
    project_id: uuid.UUID,
    body: DomainCreate,
) -> DomainRead:
    """A new domain of the project and the records to create for it (attached to the
    hosted project first when the live deployment is hosted)."""
    require_verified(user)
    project = await get_project(session, user, project_id)
    name = check_domain(body.name, ctx.settings)
    slug, target = await _live(session, project)
    existing = await repository.domain_named(session, name)
    if existing is not None:
        if existing.project_id == project.id:
            raise DomainTaken(f"{name} is already a domain of this project.")
        lapsed = existing.verified_at is None and existing.created_at < _now() - timedelta(
            days=CLAIM_DAYS
        )
        if not lapsed:
            raise DomainTaken(f"{name} is a domain of another app on this server.")
    if await repository.count_domains(session, project.id) >= MAX_DOMAINS:
        raise TooManyDomains(f"A project has at most {MAX_DOMAINS} domains; remove one first.")
    domain = ProjectDomain(
        project_id=project.id, name=name, verification_token=secrets.token_hex(16)
    )
    hosted: HostedDomain | None = None
    if target != "local":
        hosted = await hosted_target(ctx, target).add_domain(user.id, slug, name)
        domain.target = target
        _record_hosted(domain, hosted, checked=False)
    if existing is not None:
        await session.delete(existing)
        await session.flush()
    session.add(domain)
    try:
        await session.flush()
    except IntegrityError:  # another project added it meanwhile
        if hosted is not None:  # detached again, as far as the hosted platform lets us
            with suppress(AppError):
                await hosted_target(ctx, target).remove_domain(user.id, slug, name)
        raise DomainTaken(f"{name} is a domain of another app on this server.") from None
    return _read(ctx.settings, slug, domain)


async def verify_domain(
    session: AsyncSession,
    ctx: DeployServices,
    user: User,
    project_id: uuid.UUID,
    name: str,
) -> tuple[ProjectDomain, DomainCheck]:
    """Look the domain's records up now (or ask its hosted platform) and record what was
    found; the endpoint commits and then ``route``s it."""
    require_verified(user)
    project = await get_project(session, user, project_id)
    domain = await _own_domain(session, project, name)
    if domain.target == "local":
        slug, target = await _live(session, project)
        if target != "local":
            raise NotPublishedHere(
                "Publish on this server again: this domain serves an app published here, "
                f"and this project's live deployment is on {target}."
            )
        expected = records(ctx.settings, slug, domain)
        problems = await DnsChecker(ctx.settings.nameservers).problems(expected)
        _record_check(domain, problems)
    else:
        slug = project.publish_slug or ""
        found = await hosted_target(ctx, domain.target).verify_domain(user.id, slug, domain.name)
        problems = _record_hosted(domain, found, checked=True)
    await session.flush()
    read = _read(ctx.settings, slug, domain)
    return domain, DomainCheck(**read.model_dump(), problems=problems)


def _record_hosted(
    domain: ProjectDomain, found: HostedDomain, *, checked: bool
) -> list[RecordProblem]:
    """Keep what the hosted platform said about the domain; the problems it names."""
    domain.hosted_records = [r.model_dump() for r in found.records]
    if checked:
        domain.last_checked_at = _now()
    if found.verified:
        domain.verified_at = domain.verified_at or _now()
        domain.last_error = None
        return []
    domain.verified_at = None
    domain.last_error = found.problem
    proofs = list(found.records[1:]) or list(found.records[:1])
    return [
        RecordProblem(
            type=r.type,
            name=r.name,
            reason="missing",
            expected=r.value,
            found=[],
            message=f"{found.problem} Add the {r.type} record {r.name} with the value "
            f"{r.value}, then check again.",
        )
        for r in proofs
    ]


def _record_check(domain: ProjectDomain, problems: list[RecordProblem]) -> None:
    now = _now()
    domain.last_checked_at = now
    if not problems:
        domain.verified_at = domain.verified_at or now
        domain.last_error = None
        return
    domain.last_error = " ".join(p.message for p in problems)
    if any(p.reason != "lookup_failed" for p in problems):
        domain.verified_at = None  # a record is gone or wrong: no longer the person's to serve


def route(ctx: DeployServices, domain: ProjectDomain) -> None:
    """Serve the (committed) domain if it is verified here, else not."""
    if domain.verified_at is not None and domain.target == "local":
        ctx.publisher.domains.add(domain.name, domain.project_id)
    else:
        ctx.publisher.domains.discard(domain.name)


async def remove_domain(
    session: AsyncSession,
    ctx: DeployServices,
    user: User,
    project_id: uuid.UUID,
    name: str,
) -> ProjectDomain:
    """Delete the domain's row (detached from its hosted project first, if it is on
    one); the endpoint commits, then ``unroute``s it."""
    require_verified(user)
    project = await get_project(session, user, project_id)
    domain = await _own_domain(session, project, name)
    if domain.target != "local":
        slug = project.publish_slug or ""
        await hosted_target(ctx, domain.target).remove_domain(user.id, slug, domain.name)
    await session.delete(domain)
    await session.flush()
    return domain


def unroute(ctx: DeployServices, domain: ProjectDomain) -> None:
    ctx.publisher.domains.discard(domain.name)


def allowed(ctx: DeployServices, domain: str) -> DomainAllowed:
    """The domain if it is verified (a TLS proxy may get a certificate for it)."""
    name = normalise_domain(domain)
    if not ctx.publisher.domains.verified(name):
        raise DomainNotFound(f"{name} is not a verified domain of this server.")
    return DomainAllowed(domain=name)
