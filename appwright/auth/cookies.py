"""Session cookies: httpOnly access + refresh tokens, and the readable CSRF cookie."""

from __future__ import annotations

from fastapi import Request, Response

from appwright.core.config import Settings
from appwright.core.csrf import CSRF_COOKIE
from appwright.core.security import new_token

ACCESS_COOKIE = "appwright_access"
REFRESH_COOKIE = "appwright_refresh"
REFRESH_PATH = "/api/auth"


def _secure(settings: Settings) -> bool:
    return settings.base_url.startswith("https://")


def set_session_cookies(
    response: Response, settings: Settings, access_token: str, refresh_token: str | None
) -> None:
    secure = _secure(settings)
    response.set_cookie(
        ACCESS_COOKIE,
        access_token,
        max_age=settings.access_token_minutes * 60,
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )
    if refresh_token is not None:
        response.set_cookie(
            REFRESH_COOKIE,
            refresh_token,
            max_age=settings.refresh_token_days * 86400,
            httponly=True,
            samesite="lax",
            secure=secure,
            path=REFRESH_PATH,
        )


def clear_session_cookies(response: Response, settings: Settings) -> None:
    secure = _secure(settings)
    response.delete_cookie(ACCESS_COOKIE, path="/", httponly=True, samesite="lax", secure=secure)
    response.delete_cookie(
        REFRESH_COOKIE, path=REFRESH_PATH, httponly=True, samesite="lax", secure=secure
    )


def ensure_csrf_cookie(request: Request, response: Response, settings: Settings) -> None:
    """Give the browser a CSRF token if it has none (readable by the SPA on purpose)."""
    if request.cookies.get(CSRF_COOKIE):
        return
    response.set_cookie(
        CSRF_COOKIE,
        new_token(24),
        max_age=365 * 86400,
        httponly=False,
        samesite="lax",
        secure=_secure(settings),
        path="/",
    )
