"""Where a project's preview lives and the key its tokens are signed with."""

from __future__ import annotations

from urllib.parse import urlsplit

from appwright.core.config import Settings
from appwright.core.security import derive_key


def preview_key(settings: Settings) -> bytes:
    """The key preview tokens are signed with (derived: useless for anything else)."""
    return derive_key(settings.effective_secret_key, "preview-token")


def preview_origin(settings: Settings, project_id: str) -> str:
    """``http://{project}.{preview_domain}[:port]``, matching the platform's scheme/port."""
    base = urlsplit(settings.base_url)
    port = f":{base.port}" if base.port else ""
    return f"{base.scheme}://{project_id}.{settings.preview_domain}{port}"
