"""The preview gateway: private, instrumented reverse proxy to projects' dev servers."""

from appwright.preview.auth import COOKIE_NAME, PreviewAuth
from appwright.preview.gateway import GatewayConfig, PreviewGateway
from appwright.preview.token import (
    InvalidPreviewToken,
    PreviewClaims,
    sign_preview_token,
    verify_preview_token,
)
from appwright.preview.wiring import (
    PreviewSupervisor,
    gateway_for_supervisor,
    preview_auth_url,
    preview_origin,
)

__all__ = [
    "COOKIE_NAME",
    "GatewayConfig",
    "InvalidPreviewToken",
    "PreviewAuth",
    "PreviewClaims",
    "PreviewGateway",
    "PreviewSupervisor",
    "gateway_for_supervisor",
    "preview_auth_url",
    "preview_origin",
    "sign_preview_token",
    "verify_preview_token",
]
