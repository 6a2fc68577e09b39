"""Which ``Host`` names the platform app answers to; every other name is refused.

A web page can point a name it controls at this server's address (DNS rebinding) and then
read the answers as its own origin. The browser still sends that name in ``Host``, so the
app answers only to names the operator configured:

* the host of ``APPWRIGHT_PUBLIC_URL`` (or of the default base URL, ``localhost``);
* ``localhost``, ``127.0.0.1`` and ``::1`` in development (any port: the Vite dev server
  proxies with its own port in ``Host``);
* ``{slug}.{APPWRIGHT_APPS_DOMAIN}`` (one DNS label);
* the names listed in ``APPWRIGHT_ALLOWED_HOSTS`` (``*.example.com`` matches every name
  under ``example.com``; a lone ``*`` switches the check off).

Only the name decides, not the port: an attacker controls the name a browser sends, and
the port is the one the browser connected to. Preview names (``{project}.{preview
domain}``) never reach the app: the gateway serves them itself.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from appwright.core.asgi import send_error, send_websocket_denial
from appwright.core.config import Settings
from appwright.core.names import is_host_name

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})

_APP_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


def host_name(header: str) -> str | None:
    """The lower-case name of a ``Host`` header value (port dropped), or None if malformed."""
    value = header.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        name, rest = value[1:end], value[end + 1 :]
        if end < 0 or (rest and not (rest[:1] == ":" and rest[1:].isdigit())):
            return None
        try:
            return str(ipaddress.IPv6Address(name))
        except ValueError:
            return None
    name, sep, port = value.rpartition(":")
    if not sep:
        name = value
    elif not port.isdigit():
        return None
    if name.endswith("."):
        name = name[:-1]  # the absolute form of a name is the same name
    if not is_host_name(name):
        return None
    return name


@dataclass(frozen=True)
class HostPolicy:
    """The names the platform app answers to (see the module docstring)."""

    names: frozenset[str]
    suffixes: tuple[str, ...] = ()
    """``.example.com`` from ``*.example.com``: any name ending so."""
    label_domains: tuple[str, ...] = ()
    """``.apps.localhost``: one label followed by it."""
    any_host: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> HostPolicy:
        names: set[str] = set()
        base = urlsplit(settings.base_url).hostname
        if base:
            names.add(base.lower().rstrip("."))
        if settings.is_development:
            names |= LOOPBACK_NAMES
        suffixes: list[str] = []
        any_host = False
        for entry in allowed_host_entries(settings.allowed_hosts):
            if entry == "*":
                any_host = True
            elif entry.startswith("*."):
                suffixes.append(entry[1:])
            else:
                names.add(entry)
        apps = "." + settings.apps_domain.lower().strip(".")
        return cls(frozenset(names), tuple(suffixes), (apps,), any_host)

    def allows(self, name: str) -> bool:
        if self.any_host or name in self.names:
            return True
        if any(name.endswith(suffix) for suffix in self.suffixes):
            return True
        for domain in self.label_domains:
            if name.endswith(domain) and _APP_LABEL.fullmatch(name[: -len(domain)]):
                return True
        return False


def allowed_host_entries(value: str) -> list[str]:
    """``APPWRIGHT_ALLOWED_HOSTS``: names separated by commas or spaces, lower-cased."""
    entries = []
    for raw in re.split(r"[,\s]+", value.strip()):
        if not raw:
            continue
        entry = raw.lower().rstrip(".")
        if entry.startswith("[") and entry.endswith("]"):
            entry = entry[1:-1]
        entries.append(entry)
    return entries


class HostCheckMiddleware:
    """Refuse HTTP requests and WebSocket handshakes whose ``Host`` is not the platform's.

    A name the platform does not serve gets 421 Misdirected Request, a missing or
    malformed ``Host`` 400, before any route, session or body is looked at.
    """

    def __init__(self, app: ASGIApp, *, policy: HostPolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        raw = next((v for k, v in scope["headers"] if k == b"host"), None)
        name = host_name(raw.decode("latin-1")) if raw is not None else None
        if name is not None and self.policy.allows(name):
            await self.app(scope, receive, send)
            return
        if raw is None:
            status, error, detail = 400, "BadRequest", "The request has no Host header."
        elif name is None:
            status, error, detail = 400, "BadRequest", "The Host header is not a valid host name."
        else:
            status, error = 421, "MisdirectedRequest"
            detail = (
                f"This server does not answer to the host name {name[:100]!r}. If it is yours, "
                "set APPWRIGHT_PUBLIC_URL to the address people use, or add the name to "
                "APPWRIGHT_ALLOWED_HOSTS."
            )
        if scope["type"] == "http":
            await send_error(send, status, error, detail)
        else:
            await send_websocket_denial(scope, receive, send, status, error, detail)
