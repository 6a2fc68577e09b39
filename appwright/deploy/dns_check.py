"""Checking a custom domain's DNS records with a real resolver (dnspython).

The resolver is the system's, or the servers of ``APPWRIGHT_DNS_NAMESERVERS``; answers
are not cached, so a record a person just fixed is seen on the next check (as far as the
DNS servers themselves have it). A CNAME is looked up as such; an A/AAAA lookup follows
CNAMEs, so a name pointed at the platform either way has the platform's address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass

import dns.asyncresolver
import dns.exception
import dns.name
import dns.nameserver
import dns.rdatatype
import dns.resolver

from appwright.deploy.domain_schemas import DnsRecord, RecordProblem

TIMEOUT_S = 2.0
LIFETIME_S = 6.0


class LookupFailed(Exception):
    """No DNS server answered (timeout, SERVFAIL, no configuration): try again later."""


@dataclass(frozen=True, slots=True)
class Lookup:
    values: tuple[str, ...]
    exists: bool
    """Whether the name exists at all (False: NXDOMAIN)."""


class DnsChecker:
    def __init__(self, nameservers: Sequence[tuple[str, int]] = ()) -> None:
        self.nameservers = tuple(nameservers)

    def _resolver(self) -> dns.asyncresolver.Resolver:
        try:
            resolver = dns.asyncresolver.Resolver(configure=not self.nameservers)
        except dns.resolver.NoResolverConfiguration:
            raise LookupFailed("this server has no DNS resolver configured") from None
        if self.nameservers:
            servers = [dns.nameserver.Do53Nameserver(a, p) for a, p in self.nameservers]
            resolver.nameservers = servers
        resolver.timeout, resolver.lifetime, resolver.cache = TIMEOUT_S, LIFETIME_S, None
        return resolver

    async def lookup(self, name: str, rdtype: str) -> Lookup:
        resolver = self._resolver()
        try:
            answer = await resolver.resolve(dns.name.from_text(name), rdtype, search=False)
        except dns.resolver.NXDOMAIN:
            return Lookup((), exists=False)
        except dns.resolver.NoAnswer:
            return Lookup((), exists=True)
        except dns.resolver.LifetimeTimeout:
            raise LookupFailed("no DNS server answered in time") from None
        except dns.resolver.NoNameservers:
            raise LookupFailed("the DNS servers could not answer") from None
        except dns.exception.DNSException as exc:
            raise LookupFailed(str(exc) or type(exc).__name__) from None
        return Lookup(tuple(_value(rdata) for rdata in answer), exists=True)

    async def problems(self, records: Sequence[DnsRecord]) -> list[RecordProblem]:
        """What is wrong with each of ``records`` as the DNS answers now; [] when all hold."""
        found: list[RecordProblem] = []
        for record in records:
            problem = await self._problem(record)
            if problem is not None:
                found.append(problem)
        return found

    async def _problem(self, record: DnsRecord) -> RecordProblem | None:
        def problem(reason: str, message: str, values: tuple[str, ...] = ()) -> RecordProblem:
            return RecordProblem.model_validate(
                {
                    "type": record.type,
                    "name": record.name,
                    "reason": reason,
                    "expected": record.value,
                    "found": list(values),
                    "message": message,
                }
            )

        article = "an" if record.type in ("A", "AAAA") else "a"
        add = f"add {article} {record.type} record {record.name} with the value {record.value}"
        try:
            got = await self.lookup(record.name, record.type)
        except LookupFailed as exc:
            return problem(
                "lookup_failed",
                f"The {record.type} record of {record.name} could not be looked up ({exc}); "
                "try again in a minute.",
            )
        if not got.exists:
            return problem("missing", f"{record.name} does not exist in the DNS yet: {add}.")
        if not got.values:
            return problem("missing", f"{record.name} has no {record.type} record: {add}.")
        if _matches(record, got.values):
            return None
        shown = ", ".join(got.values[:5])
        return problem(
            "wrong",
            f"The {record.type} record of {record.name} is {shown}, not {record.value}: "
            "change it (DNS providers can take a few minutes to publish a change).",
            got.values,
        )


def _value(rdata: object) -> str:
    strings = getattr(rdata, "strings", None)
    if strings is not None:  # TXT: its strings make one value
        return b"".join(strings).decode("utf-8", errors="replace")
    target = getattr(rdata, "target", None)
    if isinstance(target, dns.name.Name):  # CNAME
        return target.to_text(omit_final_dot=True).lower()
    return str(rdata)


def _matches(record: DnsRecord, values: tuple[str, ...]) -> bool:
    if record.type in ("A", "AAAA"):
        want = ipaddress.ip_address(record.value)
        return any(ipaddress.ip_address(v) == want for v in values)
    if record.type == "CNAME":
        return record.value.lower().rstrip(".") in values
    return record.value in values
