"""Render every error as ``{"error": ..., "detail": ...}`` with a status a client can act on."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from appwright.core.errors import AppError

log = logging.getLogger("appwright.errors")

_STATUS_NAMES = {
    400: "BadRequest",
    401: "NotAuthenticated",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    413: "PayloadTooLarge",
    415: "UnsupportedMediaType",
}


_UPSTREAM = frozenset({502, 503, 504})
"""Statuses that name another service's failure (a remote, a registry): their message
says what to do and is shown."""

_INTERNAL = {
    "error": "InternalError",
    "detail": "Something went wrong on our side. It was logged.",
}


def _describe(error: dict[str, Any]) -> str:
    loc = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
    return f"{loc}: {error.get('msg', 'invalid')}" if loc else str(error.get("msg", "invalid"))


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def app_error(request: Request, exc: AppError) -> JSONResponse:
        if exc.status_code >= 500 and exc.status_code not in _UPSTREAM:
            # Our own failure (a git command, say): logged, answered without its output.
            # Details carry no secrets (git's output is redacted where it is raised).
            log.error(
                "internal_error path=%s error=%s detail=%s",
                request.url.path,
                exc.error_name,
                exc.detail,
            )
            return JSONResponse(_INTERNAL, status_code=500)
        return JSONResponse(exc.body(), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        fields = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in errors]
        detail = "; ".join(_describe(e) for e in errors[:5]) or "The request is not valid."
        return JSONResponse(
            jsonable_encoder({"error": "ValidationError", "detail": detail, "fields": fields}),
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        name = _STATUS_NAMES.get(exc.status_code, "HTTPError")
        return JSONResponse(
            {"error": name, "detail": str(exc.detail)},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", extra={"path": request.url.path})
        return JSONResponse(_INTERNAL, status_code=500)
