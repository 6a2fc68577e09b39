"""Typed errors of the LLM layer. Messages are fit to show a user; they never hold keys."""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Mapping

__all__ = [
    "LLMAuthError",
    "LLMError",
    "LLMRateLimited",
    "LLMRequestError",
    "LLMStallError",
    "error_detail",
    "from_status",
    "parse_retry_after",
]


class LLMError(Exception):
    """A model call failed. ``retryable`` says whether trying again may help."""

    def __init__(
        self, message: str, *, retryable: bool = False, status_code: int | None = None
    ) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.status_code = status_code


class LLMAuthError(LLMError):
    """The provider refused the API key (401/403)."""


class LLMRequestError(LLMError):
    """The provider refused the request itself (400/404/413/422): retrying cannot help."""


class LLMRateLimited(LLMError):
    """The provider rate-limited the call (429). ``retry_after`` is in seconds when known."""

    def __init__(
        self, message: str, *, retry_after: float | None = None, status_code: int | None = 429
    ) -> None:
        super().__init__(message, retryable=True, status_code=status_code)
        self.retry_after = retry_after


class LLMStallError(LLMError):
    """The stream stopped delivering events for longer than the stall timeout, twice."""


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds to wait from ``retry-after-ms`` / ``retry-after`` (seconds or an HTTP date)."""
    lowered = {k.lower(): v for k, v in headers.items()}
    ms = lowered.get("retry-after-ms")
    if ms is not None:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = lowered.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def error_detail(body: object) -> str:
    """The human part of a provider's JSON error body (``{"error": {"message": ...}}``)."""
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and "message" in error:
            return str(error["message"])
        return json.dumps(body)[:500]
    return ""


def from_status(
    service: str, status: int, detail: str, headers: Mapping[str, str]
) -> LLMError | None:
    """The typed error for an HTTP error status from ``service`` (a name to show a person).

    401/403 the key, 429 the rate limit (with ``Retry-After``), 5xx/408/409 worth a
    retry, other 4xx a refused request; ``None`` for a status that is not an error.
    """
    if status in (401, 403):
        return LLMAuthError(
            f"{service} refused the API key ({status}). Check it in settings.", status_code=status
        )
    if status == 429:
        return LLMRateLimited(
            f"{service} rate limit reached: {detail}", retry_after=parse_retry_after(headers)
        )
    if status >= 500 or status in (408, 409):
        return LLMError(f"{service} error {status}: {detail}", retryable=True, status_code=status)
    if status >= 400:
        return LLMRequestError(
            f"{service} rejected the request ({status}): {detail}", status_code=status
        )
    return None
