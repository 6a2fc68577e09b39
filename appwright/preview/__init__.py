"""The preview gateway: private, instrumented reverse proxy to projects' dev servers."""

from appwright.preview.auth import COOKIE_NAME, PreviewAuth
from appwright.preview.gateway import GatewayConfig, PreviewGateway
from appwright.preview.token import (
    InvalidPreviewToken,
    PreviewClaims,
    sign_preview_token,
    verify_preview_token,
)

__all__ = [
    "COOKIE_NAME",
    "GatewayConfig",
    "InvalidPreviewToken",
    "PreviewAuth",
    "PreviewClaims",
    "PreviewGateway",
    "sign_preview_token",
    "verify_preview_token",
]
