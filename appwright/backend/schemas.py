"""Requests and answers of the project database API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from appwright.core.schemas import InputModel

ProviderName = Literal["local", "supabase"]


class BackendCreate(InputModel):
    provider: ProviderName = "local"


class BackendRead(BaseModel):
    provider: str
    status: str
    env: list[str] = Field(description="The project variables this backend set")
    created_at: datetime


class SqlRun(InputModel):
    query: str = Field(min_length=1, max_length=100_000)
    read_only: bool = Field(
        default=True, description="Run in a READ ONLY transaction (one statement only)"
    )


class QueryResult(BaseModel):
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = Field(default=False, description="More rows than the cap were left out")


class MigrationCreate(InputModel):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_]{0,59}$", description="e.g. create_todos")
    sql: str = Field(min_length=1, max_length=200_000)
    down_sql: str | None = Field(default=None, max_length=200_000)
    apply: bool = False


class MigrationRead(BaseModel):
    version: str
    path: str = Field(description="The migration file in the project's workspace")
    applied: bool


class Column(BaseModel):
    name: str
    type: str
    nullable: bool
    default: str | None


class ForeignKey(BaseModel):
    name: str
    columns: list[str]
    references_table: str
    references_columns: list[str]


class Policy(BaseModel):
    name: str
    command: str
    roles: list[str]
    permissive: bool
    using: str | None
    with_check: str | None


class Table(BaseModel):
    schema_name: str = Field(description="The PostgreSQL schema (``public``…)")
    name: str
    columns: list[Column]
    primary_key: list[str]
    foreign_keys: list[ForeignKey]
    rls_enabled: bool
    policies: list[Policy]


class DatabaseSchema(BaseModel):
    tables: list[Table]
