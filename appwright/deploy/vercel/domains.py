"""Custom domains on the person's Vercel project: the records Vercel asks for, read from
its ``ProjectDomain``, and what its refusals mean to a person.

Vercel routes a domain with a CNAME to ``cname.vercel-dns.com`` (a subdomain) or an A
record to ``76.76.21.21`` (an apex domain, which cannot have a CNAME). A domain that
belongs to another Vercel account first needs the TXT record of its ``verification``.
"""

from __future__ import annotations

from typing import get_args

from appwright.core.errors import Conflict
from appwright.deploy.domain_schemas import DnsRecord, RecordType
from appwright.deploy.target import HostedDomain
from appwright.deploy.vercel.errors import VercelAuthError, VercelError
from appwright.deploy.vercel.wire import ProjectDomain

CNAME = "cname.vercel-dns.com"
APEX_ADDRESS = "76.76.21.21"
_TYPES: frozenset[str] = frozenset(get_args(RecordType))


class VercelDomainTaken(Conflict):
    """Vercel will not attach the domain: another project or account has it."""


class VercelDomainGone(Conflict):
    """The domain is no longer on the Vercel project (removed there)."""


def route_record(domain: ProjectDomain) -> DnsRecord:
    if domain.name == domain.apex_name:
        return DnsRecord(type="A", name=domain.name, value=APEX_ADDRESS)
    return DnsRecord(type="CNAME", name=domain.name, value=CNAME)


def hosted_domain(domain: ProjectDomain, problem: str | None = None) -> HostedDomain:
    """The route record, then the records of its pending verification."""
    proofs = [
        DnsRecord.model_validate({"type": c.type, "name": c.domain, "value": c.value})
        for c in domain.verification
        if c.type in _TYPES and c.domain and c.value
    ]
    return HostedDomain(
        verified=domain.verified,
        records=(route_record(domain), *proofs),
        problem=None if domain.verified else problem or "Vercel has not verified it yet.",
    )


def refusal(exc: VercelError, name: str, slug: str) -> Exception:
    """What a person sees when Vercel refuses a domain call (a refused token as is)."""
    if isinstance(exc, VercelAuthError):
        return exc
    if exc.status in (403, 409):
        return VercelDomainTaken(f"Vercel will not add {name}: {exc.message}")
    if exc.status == 404:
        return VercelDomainGone(
            f"{name} is no longer a domain of the Vercel project {slug}: remove it here "
            "and add it again."
        )
    return exc
