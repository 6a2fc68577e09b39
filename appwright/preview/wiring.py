"""Helpers for the platform: the iframe URL and a gateway wired to the supervisor.

The gateway depends on the sandbox supervisor only through ``PreviewSupervisor``, the three
calls it makes, so tests and remote engines can stand in for it.
"""

from __future__ import annotations

from typing import Any, Protocol
from urllib.parse import quote, urlsplit

from appwright.preview.auth import AUTH_PATH, Authorize, PreviewAuth
from appwright.preview.gateway import GatewayConfig, PreviewGateway
from appwright.preview.token import sign_preview_token


class PreviewSupervisor(Protocol):
    """What the gateway needs from ``appwright.sandbox.supervisor``."""

    def upstream(self, project_id: str) -> str | None:
        """URL of the running dev server, else ``None``."""
        ...

    def touch(self, project_id: str) -> None:
        """Record preview traffic (postpones idle hibernation)."""
        ...

    async def ensure_running(self, project_id: str, *, wait: bool = True) -> Any:
        """Wake the project's dev server."""
        ...


def preview_origin(platform_url: str, preview_domain: str, project_id: str) -> str:
    """``http://{project}.{domain}[:port]``: scheme and port follow the platform's URL."""
    parts = urlsplit(platform_url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{project_id}.{preview_domain}{port}"


def preview_auth_url(
    key: bytes | str,
    platform_url: str,
    preview_domain: str,
    project_id: str,
    user_id: str,
    next_path: str = "/",
) -> str:
    """The iframe URL for ``user_id``: signs a short-lived link token for the project."""
    token = sign_preview_token(key, project_id, user_id)
    origin = preview_origin(platform_url, preview_domain, project_id)
    return f"{origin}{AUTH_PATH}?token={token}&next={quote(next_path, safe='/')}"


def gateway_for_supervisor(
    supervisor: PreviewSupervisor,
    *,
    key: bytes | str,
    platform_url: str,
    preview_domain: str,
    fallback_upstream: str,
    authorize: Authorize | None = None,
) -> PreviewGateway:
    """A gateway resolving previews through ``supervisor`` and forwarding everything else
    to the platform app at ``fallback_upstream`` (``unix:/path`` or ``http://host:port``)."""
    parts = urlsplit(platform_url)
    config = GatewayConfig(
        preview_domain=preview_domain, platform_origin=f"{parts.scheme}://{parts.netloc}"
    )

    async def resolve(project_id: str) -> str | None:
        return supervisor.upstream(project_id)

    async def wake(project_id: str) -> None:
        await supervisor.ensure_running(project_id, wait=False)

    return PreviewGateway(
        config,
        PreviewAuth(key, authorize=authorize),
        resolve,
        fallback_upstream=fallback_upstream,
        on_wake=wake,
        touch=supervisor.touch,
    )
