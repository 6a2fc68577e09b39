"""Base pieces for request schemas shared by every domain."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, field_validator


def reject_nul(value: str) -> str:
    """Text may not contain NUL characters (no database stores them, no person types them)."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


NoNulStr = Annotated[str, AfterValidator(reject_nul)]


class InputModel(BaseModel):
    """Base of request bodies: every text field is checked for NUL characters."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if isinstance(value, str):
            return reject_nul(value)
        return value
