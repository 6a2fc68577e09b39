"""Signed preview tokens: what lets only a project's owner see its preview.

The platform signs a short-lived *link* token for the iframe URL
(``/__appwright/auth?token=…``); the gateway exchanges it for a longer-lived *cookie*
token on the preview origin. Both are ``base64url(json).base64url(hmac_sha256)`` with a
``typ`` field, so a cookie value cannot be replayed as a link token or the other way
round, and a token for one project is refused on another project's host.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Literal

TokenType = Literal["link", "cookie"]

LINK_TTL_S = 120
"""Default lifetime of a link token: long enough for the iframe to load it once."""
COOKIE_TTL_S = 12 * 3600
"""Default lifetime of the preview cookie."""


class InvalidPreviewToken(Exception):
    """The token is malformed, forged, expired or for another project."""


@dataclass(frozen=True)
class PreviewClaims:
    """Who may see which project's preview, until when."""

    project_id: str
    user_id: str
    expires_at: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _derive(key: bytes | str) -> bytes:
    # The platform's secret also signs other things; a derived key keeps preview tokens
    # useless anywhere else.
    raw = key.encode() if isinstance(key, str) else key
    return hmac.new(raw, b"appwright-preview-token-v1", hashlib.sha256).digest()


def sign_preview_token(
    key: bytes | str,
    project_id: str,
    user_id: str,
    *,
    ttl_s: int = LINK_TTL_S,
    typ: TokenType = "link",
    now: float | None = None,
) -> str:
    """A token letting ``user_id`` open ``project_id``'s preview for ``ttl_s`` seconds."""
    issued = int(time.time() if now is None else now)
    payload = {"p": project_id, "u": user_id, "exp": issued + ttl_s, "typ": typ}
    body = _b64(json.dumps(payload, separators=(",", ":")).encode())
    mac = hmac.new(_derive(key), body.encode(), hashlib.sha256).digest()
    return f"{body}.{_b64(mac)}"


def verify_preview_token(
    key: bytes | str,
    token: str,
    project_id: str,
    *,
    typ: TokenType = "link",
    now: float | None = None,
) -> PreviewClaims:
    """Check signature, type, project and expiry; raise ``InvalidPreviewToken`` if wrong."""
    body, sep, mac = token.partition(".")
    if not sep or not body or not mac:
        raise InvalidPreviewToken("malformed token")
    expected = hmac.new(_derive(key), body.encode(), hashlib.sha256).digest()
    try:
        given = _unb64(mac)
        payload = json.loads(_unb64(body))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidPreviewToken("malformed token") from exc
    if not hmac.compare_digest(expected, given):
        raise InvalidPreviewToken("bad signature")
    if not isinstance(payload, dict) or payload.get("typ") != typ:
        raise InvalidPreviewToken("wrong token type")
    if payload.get("p") != project_id:
        raise InvalidPreviewToken("token for another project")
    expires_at = payload.get("exp")
    current = time.time() if now is None else now
    if not isinstance(expires_at, int) or expires_at <= current:
        raise InvalidPreviewToken("token expired")
    user_id = payload.get("u")
    if not isinstance(user_id, str):
        raise InvalidPreviewToken("malformed token")
    return PreviewClaims(project_id=project_id, user_id=user_id, expires_at=expires_at)
