from __future__ import annotations

from pydantic import Field, HttpUrl

from appwright.auth.schemas import EditorSettings, Theme
from appwright.core.schemas import InputModel


class UserUpdate(InputModel):
    name: str | None = Field(default=None, min_length=1, max_length=255)
    avatar_url: HttpUrl | None = Field(default=None)
    theme: Theme | None = None
    editor_settings: EditorSettings | None = Field(
        default=None, description="replaces the editor settings as a whole"
    )
