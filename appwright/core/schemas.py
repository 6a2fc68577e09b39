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


class ErrorBody(BaseModel):
    """Every error answer: the error's name and a message a person can act on. Some add
    fields of their own (``files`` of a merge conflict, ``current_etag`` of a lost write,
    ``fields`` of a validation error)."""

    error: str
    detail: str


_ERROR_MEANINGS = {
    400: "The request cannot be done as asked (the message says why).",
    401: "Not signed in, or the session expired.",
    403: "Not allowed (CSRF token missing, email not verified, plan limit).",
    404: "No such resource, or it belongs to someone else.",
    409: "Conflicts with the current state (the message says which).",
    412: "The file changed since it was read (``current_etag`` is its ETag now).",
    413: "The request body is too large.",
    422: "The request does not match the schema (``fields`` lists each problem).",
    429: "Too many requests: ``Retry-After`` says when to try again.",
    502: "A service the platform relies on failed (a git remote, a package registry).",
    503: "A server the platform runs is not available now (the project database's).",
    504: "A service the platform relies on did not answer in time.",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` for the errors a router's endpoints may answer."""
    return {code: {"model": ErrorBody, "description": _ERROR_MEANINGS[code]} for code in codes}
