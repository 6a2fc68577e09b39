"""Request bodies are limited before anything parses them.

Every HTTP request gets a byte limit from the first rule matching its method and path
(the platform's default, ``APPWRIGHT_REQUEST_BODY_MAX_BYTES``, otherwise). A declared
``Content-Length`` over the limit is refused at once, before the app runs; a body
without one (chunked) is counted as the app reads it, and the first chunk past the limit
ends the read: whatever the app was doing, the answer is 413. So no handler, JSON parser
or multipart parser ever holds more than the limit of one request.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from appwright.core.asgi import send_error

MIB = 1024 * 1024


@dataclass(frozen=True)
class BodyRule:
    """Requests with one of ``methods`` whose whole path matches ``path`` get ``limit``."""

    methods: frozenset[str]
    path: re.Pattern[str]
    limit: int

    @classmethod
    def of(cls, methods: str, path: str, limit: int) -> BodyRule:
        return cls(frozenset(methods.split()), re.compile(path), limit)


class BodyTooLarge(Exception):
    """Raised by the counting ``receive`` once the body passes its limit."""


def describe_size(limit: int) -> str:
    """``1 MiB``, ``14.3 MiB``, ``512 KiB``, ``100 bytes``."""
    if limit >= MIB:
        return f"{limit / MIB:.1f}".removesuffix(".0") + " MiB"
    if limit >= 1024:
        return f"{limit / 1024:.1f}".removesuffix(".0") + " KiB"
    return f"{limit} bytes"


def _only_body_too_large(exc: BaseException) -> bool:
    if isinstance(exc, BodyTooLarge):
        return True
    if isinstance(exc, BaseExceptionGroup):
        return all(_only_body_too_large(e) for e in exc.exceptions)
    return False


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, default: int, rules: Sequence[BodyRule] = ()) -> None:
        self.app = app
        self.default = default
        self.rules = tuple(rules)

    def limit_for(self, method: str, path: str) -> int:
        for rule in self.rules:
            if method in rule.methods and rule.path.fullmatch(path):
                return rule.limit
        return self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["method"], scope["path"])
        detail = f"The request body is larger than {describe_size(limit)}."
        declared = next((v for k, v in scope["headers"] if k == b"content-length"), None)
        if declared is not None and declared.strip().isdigit() and int(declared) > limit:
            await send_error(send, 413, "PayloadTooLarge", detail)
            return

        received = 0
        exceeded = False
        started = False
        replaced = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            if exceeded:
                raise BodyTooLarge
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started, replaced
            if message["type"] == "http.response.start":
                if exceeded and not started:
                    # The app turned the failed read into an answer of its own (FastAPI
                    # makes any body error a 400): the client gets the 413 instead.
                    started = replaced = True
                    await send_error(send, 413, "PayloadTooLarge", detail)
                    return
                started = True
            elif replaced:
                return
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except BaseException as exc:
            if not _only_body_too_large(exc):
                raise
            if not started:
                started = True
                await send_error(send, 413, "PayloadTooLarge", detail)
