"""Refusals of the project database API."""

from __future__ import annotations

from typing import Any

from appwright.core.errors import AppError, BadRequest, Conflict, ResourceNotFound


class SqlError(BadRequest):
    """PostgreSQL refused the SQL; nothing of it was applied. ``position`` is 1-based."""

    def __init__(
        self,
        detail: str,
        *,
        position: int | None = None,
        hint: str | None = None,
        sqlstate: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.position, self.hint, self.sqlstate = position, hint, sqlstate

    def body(self) -> dict[str, Any]:
        return {
            **super().body(),
            "position": self.position,
            "hint": self.hint,
            "sqlstate": self.sqlstate,
        }


class BackendExists(Conflict):
    pass


class NoBackend(ResourceNotFound):
    pass


class ProviderNotAvailable(BadRequest):
    pass


class BackendUnavailable(AppError):
    """The database server cannot be reached or started."""

    status_code = 503
