"""Preview privacy: link token → host-only cookie on the preview origin.

The iframe URL the platform hands out is ``http://{project}.{domain}/__appwright/auth?
token=…&next=/``. The gateway checks the link token, sets its own cookie on the preview
host and redirects to ``next``. Every other preview request needs that cookie; it is
removed before the request reaches the dev server, so code written by the AI never sees it.

Cookie attributes: the workspace (``localhost``) and the preview
(``x.preview.localhost``) are different *sites* (``localhost`` is a top-level domain,
so each ``*.localhost`` name is its own registrable domain), which makes the preview a
third-party iframe. ``SameSite=Lax`` cookies are not sent there; the cookie must be
``SameSite=None; Secure`` (Chromium accepts ``Secure`` on ``http://*.localhost``, a
potentially trustworthy origin) and ``Partitioned`` (CHIPS), which keeps it working when
third-party cookies are blocked: it lives in the workspace's partition only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs, urlsplit

from appwright.preview import pages
from appwright.preview.token import (
    COOKIE_TTL_S,
    InvalidPreviewToken,
    PreviewClaims,
    sign_preview_token,
    verify_preview_token,
)

COOKIE_NAME = "__appwright_preview"
AUTH_PATH = "/__appwright/auth"
DEFAULT_COOKIE_ATTRIBUTES = "Path=/; HttpOnly; SameSite=None; Secure; Partitioned"

Authorize = Callable[[PreviewClaims], Awaitable[bool]]
"""Extra check at exchange time (e.g. the user still owns the project)."""

Reply = tuple[int, list[tuple[str, str]], bytes]


class PreviewAuth:
    """Verifies link tokens and preview cookies for the gateway."""

    def __init__(
        self,
        key: bytes | str,
        *,
        authorize: Authorize | None = None,
        cookie_ttl_s: int = COOKIE_TTL_S,
        cookie_attributes: str = DEFAULT_COOKIE_ATTRIBUTES,
    ) -> None:
        self.key = key
        self.authorize = authorize
        self.cookie_ttl_s = cookie_ttl_s
        self.cookie_attributes = cookie_attributes

    def allowed(self, project_id: str, cookie_header: str | None) -> bool:
        """Whether the request carries a valid preview cookie for ``project_id``."""
        value = _cookie_value(cookie_header, COOKIE_NAME)
        if value is None:
            return False
        try:
            verify_preview_token(self.key, value, project_id, typ="cookie")
        except InvalidPreviewToken:
            return False
        return True

    @staticmethod
    def strip_cookie(cookie_header: str | None) -> str:
        """The ``Cookie`` header without the gateway's cookie (the app must not see it)."""
        if not cookie_header:
            return ""
        kept = [
            part.strip()
            for part in cookie_header.split(";")
            if part.strip() and part.split("=", 1)[0].strip() != COOKIE_NAME
        ]
        return "; ".join(kept)

    async def handle_reserved(self, project_id: str, target: str) -> Reply:
        """Serve a ``/__appwright/…`` path on a preview host."""
        parts = urlsplit(target)
        html = [("Content-Type", "text/html; charset=utf-8")]
        if parts.path != AUTH_PATH:
            return 404, html, pages.bad_request_page("There is nothing at this address.")
        query = parse_qs(parts.query)
        token = (query.get("token") or [""])[0]
        next_path = (query.get("next") or ["/"])[0]
        if not next_path.startswith("/") or next_path.startswith("//") or "\\" in next_path:
            next_path = "/"  # only same-origin paths: no open redirect
        try:
            claims = verify_preview_token(self.key, token, project_id, typ="link")
        except InvalidPreviewToken:
            return 401, html, pages.unauthorized_page()
        if self.authorize is not None and not await self.authorize(claims):
            return 401, html, pages.unauthorized_page()
        cookie = sign_preview_token(
            self.key, project_id, claims.user_id, ttl_s=self.cookie_ttl_s, typ="cookie"
        )
        set_cookie = (
            f"{COOKIE_NAME}={cookie}; Max-Age={self.cookie_ttl_s}; {self.cookie_attributes}"
        )
        headers = [*html, ("Location", next_path), ("Set-Cookie", set_cookie)]
        return 302, headers, b""


def _cookie_value(header: str | None, name: str) -> str | None:
    if not header or name not in header:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except CookieError:
        # One malformed cookie of the app's must not lock the owner out: scan by hand.
        for part in header.split(";"):
            key, _, value = part.strip().partition("=")
            if key == name:
                return value
        return None
    morsel = jar.get(name)
    return morsel.value if morsel is not None else None
