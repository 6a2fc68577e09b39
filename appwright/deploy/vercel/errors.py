"""What can go wrong talking to Vercel, each with a message a person can act on.

No message ever holds the token: the client scrubs it from anything Vercel echoes back.
"""

from __future__ import annotations

from typing import ClassVar

from appwright.core.errors import AppError


class VercelError(AppError):
    """Vercel answered with an error (``code`` and ``message`` as Vercel sent them)."""

    status_code: ClassVar[int] = 502

    def __init__(
        self, code: str, message: str, *, status: int | None = None, detail: str | None = None
    ) -> None:
        super().__init__(detail or f"Vercel refused the request ({code}): {message}")
        self.code = code
        self.message = message
        self.status = status
        """The HTTP status Vercel answered with (``None``: Vercel was not reached)."""


class VercelAuthError(VercelError):
    """Vercel no longer accepts the token (revoked, expired or wrong)."""

    status_code: ClassVar[int] = 400

    def __init__(self, code: str, message: str, *, status: int | None = None) -> None:
        super().__init__(
            code,
            message,
            status=status,
            detail="Vercel no longer accepts the saved token (it was revoked, has expired "
            "or is wrong); reconnect Vercel in the integrations settings.",
        )


class VercelRateLimited(VercelError):
    """Vercel kept answering 429 after the client waited and retried."""

    status_code: ClassVar[int] = 503

    def __init__(self, retry_after: float, *, attempts: int) -> None:
        seconds = max(1, round(retry_after))
        super().__init__(
            "rate_limited",
            "Too many requests",
            status=429,
            detail=f"Vercel is limiting how many requests this account may make "
            f"({attempts} attempts); try again in {seconds} s.",
        )
        self.retry_after = retry_after
        self.headers = {"Retry-After": str(seconds)}


class VercelUnavailable(VercelError):
    """Vercel could not be reached (network error or timeout)."""

    def __init__(self) -> None:
        super().__init__(
            "unreachable",
            "Vercel could not be reached",
            detail="Vercel could not be reached; try again later.",
        )


class VercelMissingFiles(VercelError):
    """A deployment names files Vercel does not have yet (``missing``: their SHA-1s)."""

    def __init__(self, message: str, missing: tuple[str, ...]) -> None:
        super().__init__("missing_files", message, status=400)
        self.missing = missing
