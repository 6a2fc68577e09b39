"""Double-submit CSRF protection for cookie-authenticated unsafe requests.

The server sets a readable cookie ``appwright_csrf``; the SPA echoes it in ``X-CSRF-Token``.
A page on another origin can make the browser send the cookie but cannot read it, so it
cannot produce the header. Requests authenticated by a Bearer API key carry no ambient
authority and are exempt.
"""

from __future__ import annotations

import hmac
from http.cookies import SimpleCookie

from starlette.types import ASGIApp, Receive, Scope, Send

from appwright.core.asgi import send_error

CSRF_COOKIE = "appwright_csrf"
CSRF_HEADER = b"x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CSRFMiddleware:
    def __init__(self, app: ASGIApp, *, exempt_prefixes: tuple[str, ...] = ()) -> None:
        self.app = app
        self.exempt_prefixes = exempt_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] in SAFE_METHODS
            or not scope["path"].startswith("/api/")
            or scope["path"].startswith(self.exempt_prefixes)
        ):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if headers.get(b"authorization", b"").lower().startswith(b"bearer "):
            await self.app(scope, receive, send)
            return
        cookie_value = _cookie(headers.get(b"cookie", b"").decode("latin-1"), CSRF_COOKIE)
        header_value = headers.get(CSRF_HEADER, b"").decode("latin-1")
        if cookie_value and header_value and hmac.compare_digest(cookie_value, header_value):
            await self.app(scope, receive, send)
            return
        detail = (
            "Missing or invalid CSRF token: send the value of the appwright_csrf cookie in the "
            "X-CSRF-Token header (GET /api/auth/session sets the cookie), or authenticate "
            "with an API key (Authorization: Bearer ...)."
        )
        await send_error(send, 403, "CSRFError", detail)


def _cookie(header: str, name: str) -> str | None:
    if not header:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except Exception:  # a malformed Cookie header means no token, not a server error
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None
