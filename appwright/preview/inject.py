"""Injecting the instrumentation script into preview HTML."""

from __future__ import annotations

import gzip
import json
import re
import zlib
from functools import cache
from importlib import resources

MARKER = "data-appwright-preview"
"""Attribute on the injected ``<script>``: how tests and the script itself find it."""

_HEAD = re.compile(rb"<head(?:\s[^>]*)?>", re.IGNORECASE)
_HTML = re.compile(rb"<html(?:\s[^>]*)?>", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!doctype[^>]*>", re.IGNORECASE)


@cache
def script_tag(platform_origin: str) -> bytes:
    """The ``<script>`` element for ``platform_origin`` (built once per origin)."""
    source = resources.files("appwright.preview").joinpath("preview.js").read_text("utf-8")
    # json.dumps gives a JS string literal; "</" is escaped so the origin cannot end the
    # script element early.
    literal = json.dumps(platform_origin).replace("</", "<\\/")
    body = source.replace("__PLATFORM_ORIGIN__", literal)
    return f"<script {MARKER}>{body}</script>".encode()


def inject(html: bytes, platform_origin: str) -> bytes:
    """Insert the script as early as possible: right after ``<head>``, else after ``<html>``
    or the doctype, else at the start. Pages that already carry it are left alone."""
    if MARKER.encode() in html:
        return html
    tag = script_tag(platform_origin)
    for pattern in (_HEAD, _HTML, _DOCTYPE):
        match = pattern.search(html)
        if match:
            return html[: match.end()] + tag + html[match.end() :]
    return tag + html


class UnsupportedEncoding(Exception):
    """The body uses a content encoding the gateway cannot decode (e.g. brotli)."""


def decode_body(body: bytes, encoding: str | None) -> bytes:
    """Undo ``Content-Encoding`` (gzip, deflate, identity)."""
    codings = [c.strip().lower() for c in (encoding or "").split(",") if c.strip()]
    for coding in reversed(codings):
        if coding in ("gzip", "x-gzip"):
            body = gzip.decompress(body)
        elif coding == "deflate":
            try:
                body = zlib.decompress(body)
            except zlib.error:
                body = zlib.decompress(body, -zlib.MAX_WBITS)  # raw deflate, seen in the wild
        elif coding != "identity":
            raise UnsupportedEncoding(coding)
    return body
