"""One error hierarchy for the whole platform, rendered as ``{"error": ..., "detail": ...}``.

Services raise these; endpoints never raise ``HTTPException``.
"""

from __future__ import annotations

from typing import Any, ClassVar


class AppError(Exception):
    """Base of every error a person may see. ``status_code`` is the HTTP status."""

    status_code: ClassVar[int] = 400

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}

    @property
    def error_name(self) -> str:
        """The ``error`` of the answer: the class name (``MergeConflict``)."""
        return type(self).__name__

    def body(self) -> dict[str, Any]:
        return {"error": self.error_name, "detail": self.detail}


class BadRequest(AppError):
    status_code = 400


class ConfirmationMismatch(BadRequest):
    pass


class InvalidToken(BadRequest):
    pass


class Unauthorized(AppError):
    status_code = 401


class NotAuthenticated(Unauthorized):
    pass


class InvalidCredentials(Unauthorized):
    pass


class Forbidden(AppError):
    status_code = 403


class CSRFError(Forbidden):
    pass


class EmailNotVerified(Forbidden):
    pass


class PlanLimitExceeded(Forbidden):
    pass


class NotFound(AppError):
    status_code = 404


class ResourceNotFound(NotFound):
    pass


class Conflict(AppError):
    status_code = 409


class AlreadyExists(Conflict):
    pass


class PayloadTooLarge(AppError):
    status_code = 413


class TooManyRequests(AppError):
    status_code = 429

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(max(1, retry_after))})
        self.retry_after = retry_after


class TooManyAttempts(TooManyRequests):
    pass
