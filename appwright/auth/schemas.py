from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from appwright.core.schemas import InputModel
from appwright.models import User

Theme = Literal["light", "dark", "system"]
EditorTheme = Literal["auto", "vs-light", "vs-dark"]


class EditorSettings(BaseModel):
    """The code editor's preferences (docs/PRODUCT.md §9), kept per person.

    ``theme: "auto"`` follows the app's light/dark theme.
    """

    model_config = ConfigDict(extra="forbid")

    theme: EditorTheme = "auto"
    font_size: int = Field(default=14, ge=8, le=40)
    tab_size: int = Field(default=2, ge=1, le=8)
    auto_save: bool = True
    auto_save_delay_ms: int = Field(default=1000, ge=200, le=60_000)
    format_on_save: bool = False
    minimap: bool = True
    word_wrap: bool = False

    @classmethod
    def stored(cls, value: object) -> EditorSettings:
        """The stored JSON as settings; defaults when unset or no longer valid."""
        if not isinstance(value, dict):
            return cls()
        try:
            return cls.model_validate(value)
        except ValueError:
            return cls()


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    name: str | None
    avatar_url: str | None
    email_verified: bool
    subscription_tier: str
    theme: Theme
    editor_settings: EditorSettings
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> UserRead:
        return cls(
            id=user.id,
            email=user.email,
            name=user.name,
            avatar_url=user.avatar_url,
            email_verified=user.email_verified_at is not None,
            subscription_tier=user.subscription_tier,
            theme=user.theme,  # stored values are validated on write
            editor_settings=EditorSettings.stored(user.editor_settings),
            created_at=user.created_at,
        )


class SessionRead(BaseModel):
    user: UserRead | None


class UserEnvelope(BaseModel):
    user: UserRead


def _clean_name(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("name must not be blank")
    return value


class SignupRequest(InputModel):
    email: EmailStr = Field(max_length=255)
    password: str = Field(min_length=8, max_length=256)
    name: str = Field(min_length=1, max_length=255)

    _name = field_validator("name")(_clean_name)


class SigninRequest(InputModel):
    email: EmailStr = Field(max_length=255)
    password: str = Field(min_length=1, max_length=256)


class TokenRequest(InputModel):
    token: str = Field(min_length=1, max_length=512)


class ResetRequest(InputModel):
    email: EmailStr = Field(max_length=255)


class ResetConfirm(InputModel):
    token: str = Field(min_length=1, max_length=512)
    password: str = Field(min_length=8, max_length=256)


class ApiKeyCreate(InputModel):
    name: str = Field(min_length=1, max_length=100)

    _name = field_validator("name")(_clean_name)


class ApiKeyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


class ApiKeyCreated(ApiKeyRead):
    key: str = Field(description="The full key. It is shown only once.")
