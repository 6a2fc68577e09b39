"""What reaches a project's database: role names, passwords, address."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass


def database_name(project_id: str) -> str:
    """``p_{hex}``: the project's database (its roles are ``{name}_owner``, ``{name}_app``)."""
    return f"p_{uuid.UUID(project_id).hex}"


@dataclass(frozen=True)
class PgCredentials:
    host: str
    port: int
    database: str
    owner_password: str
    app_password: str

    @property
    def owner(self) -> str:
        return f"{self.database}_owner"

    @property
    def app(self) -> str:
        return f"{self.database}_app"

    @classmethod
    def new(cls, project_id: str, host: str, port: int) -> PgCredentials:
        # Hex only: safe inside a quoted literal of CREATE ROLE ... PASSWORD.
        return cls(
            host=host,
            port=port,
            database=database_name(project_id),
            owner_password=secrets.token_hex(24),
            app_password=secrets.token_hex(24),
        )

    def url(self, *, owner: bool) -> str:
        role, password = (
            (self.owner, self.owner_password) if owner else (self.app, self.app_password)
        )
        return f"postgresql://{role}:{password}@{self.host}:{self.port}/{self.database}"

    def as_mapping(self) -> dict[str, str]:
        return {k: str(v) for k, v in asdict(self).items()}

    @classmethod
    def from_mapping(cls, data: Mapping[str, str]) -> PgCredentials:
        return cls(
            host=data["host"],
            port=int(data["port"]),
            database=data["database"],
            owner_password=data["owner_password"],
            app_password=data["app_password"],
        )
