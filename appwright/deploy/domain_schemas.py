"""Request and response models of the custom-domain API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from appwright.core.schemas import InputModel, NoNulStr

RecordType = Literal["CNAME", "A", "AAAA", "TXT"]


class DomainCreate(InputModel):
    name: NoNulStr = Field(
        max_length=300,
        description="The domain, such as ``www.example.com`` (international names too).",
    )


class DnsRecord(BaseModel):
    """A record to create at the domain's DNS provider."""

    type: RecordType
    name: str
    value: str


class RecordProblem(BaseModel):
    """Why a record does not count yet."""

    type: RecordType
    name: str
    reason: Literal["missing", "wrong", "lookup_failed"]
    expected: str
    found: list[str] = Field(description="What the DNS answered for that name and type.")
    message: str


class DomainRead(BaseModel):
    name: str = Field(description="As a ``Host`` header carries it (``xn--`` form).")
    target: str = Field(
        description="Who serves it: ``local`` (this server) or the hosted platform it was "
        "added on while the live deployment was there (``vercel``)."
    )
    verified: bool = Field(description="Whether the domain serves the project's live app.")
    url: str | None = Field(description="The app at this domain; null until verified.")
    records: list[DnsRecord] = Field(description="The records that verify and route it.")
    created_at: datetime
    verified_at: datetime | None
    last_checked_at: datetime | None
    last_error: str | None = Field(description="What the last check found wrong.")


class DomainCheck(DomainRead):
    """The domain after a DNS check: what each record still lacks, if anything."""

    problems: list[RecordProblem]


class DomainAllowed(BaseModel):
    domain: str
