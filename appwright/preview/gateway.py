"""The preview gateway: the public HTTP port of the platform.

A raw asyncio HTTP/1.1 server (no ASGI on the hot path: a Starlette + httpx proxy cost
~3 ms per request here, this one a fraction of a millisecond). For each connection it
reads the first request head and routes by ``Host``:

* ``{project}.{preview_domain}`` → the project's dev server, after checking the preview
  cookie; HTML responses get the instrumentation script; WebSocket upgrades (Next.js
  ``/_next/webpack-hmr``, Vite HMR) become a plain byte tunnel after the 101;
* ``{slug}.{apps_domain}`` → the published app: a static deployment's files
  (``sites.py``) or its server's sandbox (woken when hibernated); public, no cookie, no
  instrumentation;
* a verified custom domain (``resolve_domain``) → the same as its project's slug; a name
  the platform does not answer to (``platform_host``) → the "nothing published" page;
* any other host → the platform app (uvicorn on a unix socket or loopback port), so the
  API, the SPA and the platform's WebSockets work unchanged on the same port.

Bodies are relayed with their original framing; only preview HTML is buffered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import cast

from appwright.core.hosts import host_name
from appwright.preview import pages
from appwright.preview.auth import PreviewAuth
from appwright.preview.http1 import (
    HOP_BY_HOP,
    MAX_HEAD_BYTES,
    Head,
    ProtocolError,
    pipe,
    read_body,
    read_head,
    relay_body,
    request_framing,
    response_framing,
)
from appwright.preview.inject import UnsupportedEncoding, decode_body, inject
from appwright.preview.sites import AppServer, Site, SiteFiles
from appwright.preview.upstream import UpstreamAddress, UpstreamConnection

log = logging.getLogger(__name__)

ResolveUpstream = Callable[[str], Awaitable[str | None]]
"""project id → URL of its running dev server (``SandboxBackend.upstream``), or None."""
WakeHook = Callable[[str], Awaitable[None]]
"""Called (as a background task, one at a time per project) when a preview is requested
but its dev server is not serving: wake it up (e.g. ``supervisor.ensure_running``)."""
TouchHook = Callable[[str], None]
ResolveSite = Callable[[str], Site | AppServer | None]
"""slug → the live deployment published under it, or None; in memory, cheap."""
ResolveDomain = Callable[[str], Site | AppServer | None]
"""host name (lower-case, no port) → the live deployment of the verified custom domain."""
LogTailHook = Callable[[str], list[str]]
"""The newest dev-server log lines of a project, for the "starting…" page."""
"""Called on every preview request (postpones idle hibernation); must be cheap."""

_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


@dataclass(frozen=True)
class GatewayConfig:
    """Settings of the gateway (built from ``core.config.Settings`` by the platform)."""

    preview_domain: str = "preview.localhost"
    apps_domain: str = "apps.localhost"
    platform_origin: str = "http://localhost:8000"
    """Origin of the workspace UI: the only origin that may frame previews and exchange
    messages with the injected script."""
    idle_timeout_s: float = 75.0
    """How long an idle keep-alive client connection is kept."""
    connect_timeout_s: float = 3.0
    response_timeout_s: float = 300.0
    """Dev servers compile on the first request of a page: allow them time."""
    max_html_bytes: int = 20 * 1024 * 1024
    trust_forwarded_for: bool = False
    """Keep a client's ``X-Forwarded-For`` (only behind a trusted load balancer); by
    default the gateway is the edge and replaces it with the peer address."""


class _Closed(Exception):
    """The client connection must end after the current response."""


class PreviewGateway:
    """Reverse proxy for previews in front of the platform app. ``start`` / ``stop``."""

    def __init__(
        self,
        config: GatewayConfig,
        auth: PreviewAuth,
        resolve_upstream: ResolveUpstream,
        *,
        fallback_upstream: str | None = None,
        on_wake: WakeHook | None = None,
        touch: TouchHook | None = None,
        log_tail: LogTailHook | None = None,
        resolve_site: ResolveSite | None = None,
        wake_app: WakeHook | None = None,
        resolve_domain: ResolveDomain | None = None,
        platform_host: Callable[[str], bool] | None = None,
    ) -> None:
        self.config = config
        self.auth = auth
        self.resolve_upstream = resolve_upstream
        self.fallback = UpstreamAddress.parse(fallback_upstream) if fallback_upstream else None
        self.on_wake = on_wake
        self.touch = touch
        self.log_tail = log_tail
        self.resolve_site = resolve_site
        self.wake_app = wake_app
        self.resolve_domain = resolve_domain
        self.platform_host = platform_host
        """Whether the platform app answers a host name; the others are published apps'."""
        self._suffix = "." + config.preview_domain.lower().strip(".")
        self._apps_suffix = "." + config.apps_domain.lower().strip(".")
        self._sites = SiteFiles()
        self._frame_policy = f"frame-ancestors 'self' {config.platform_origin}"
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self._waking: set[str] = set()
        self._wake_tasks: set[asyncio.Task[None]] = set()

    async def start(self, host: str, port: int) -> int:
        """Listen on ``host:port`` (0: any free port); return the bound port."""
        self._server = await asyncio.start_server(self._serve, host, port, limit=MAX_HEAD_BYTES)
        bound: int = self._server.sockets[0].getsockname()[1]
        log.info("preview gateway listening", extra={"host": host, "port": bound})
        return bound

    async def stop(self) -> None:
        """Stop listening and end open connections (tunnels included)."""
        if self._server is not None:
            self._server.close()
        pending = [*self._connections, *self._wake_tasks]
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    def project_of(self, host_header: str | None) -> str | None:
        """Project id addressed by a ``Host`` header, or ``None`` for other hosts."""
        return _label(host_header, self._suffix)

    def slug_of(self, host_header: str | None) -> str | None:
        """Published app's slug addressed by a ``Host`` header, or ``None``."""
        return _label(host_header, self._apps_suffix)

    def site_of(self, host_header: str | None) -> tuple[bool, Site | AppServer | None]:
        """Whether ``Host`` names a published app (slug or custom domain), and what is
        live there (None: nothing)."""
        slug = self.slug_of(host_header) if self.resolve_site else None
        if slug is not None and self.resolve_site is not None:
            return True, self.resolve_site(slug)
        name = host_name(host_header) if host_header and self.resolve_domain else None
        if name is None or self.resolve_domain is None or name.endswith(self._suffix):
            return False, None
        site = self.resolve_domain(name)
        if site is not None:
            return True, site
        return self.platform_host is not None and not self.platform_host(name), None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        upstream: UpstreamConnection | None = None
        peer = writer.get_extra_info("peername")
        client_ip = peer[0] if isinstance(peer, tuple) else "127.0.0.1"
        try:
            while True:
                async with asyncio.timeout(self.config.idle_timeout_s):
                    head = await read_head(reader, request=True)
                if head is None:
                    return
                published, site = self.site_of(head.get("host"))
                project_id = None if published else self.project_of(head.get("host"))
                if isinstance(site, AppServer):
                    upstream = await self._app(head, reader, writer, upstream, site, client_ip)
                elif published:
                    await self._site(head, reader, writer, site)
                elif project_id is None:
                    upstream = await self._forward(head, reader, writer, upstream, client_ip)
                else:
                    upstream = await self._preview(
                        head, reader, writer, upstream, project_id, client_ip
                    )
        except ProtocolError as exc:
            with contextlib.suppress(ConnectionError, OSError):
                await _respond(writer, 400, pages.bad_request_page(str(exc)), close=True)
        except (_Closed, TimeoutError, ConnectionError, OSError, asyncio.IncompleteReadError):
            pass
        finally:
            self._connections.discard(task)
            if upstream is not None:
                upstream.close()
            writer.close()

    async def _preview(
        self,
        head: Head,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        upstream: UpstreamConnection | None,
        project_id: str,
        client_ip: str,
    ) -> UpstreamConnection | None:
        target = head.first[1]
        if target.startswith("/__appwright/"):
            await _discard_body(head, reader)
            status, headers, body = await self.auth.handle_reserved(project_id, target)
            headers.append(("Content-Security-Policy", self._frame_policy))
            await _respond(writer, status, body, headers=headers)
            return upstream
        if not self.auth.allowed(project_id, head.get("cookie")):
            await _discard_body(head, reader)
            await _respond(writer, 401, pages.unauthorized_page(), headers=self._page_headers())
            return upstream
        if self.touch is not None:
            self.touch(project_id)
        url = await self.resolve_upstream(project_id)
        address = UpstreamAddress.parse(url) if url else None
        upstream = await self._connect(upstream, address)
        if upstream is None:
            await _discard_body(head, reader)
            self._wake(project_id)
            headers = [*self._page_headers(), ("Retry-After", "2")]
            lines = self.log_tail(project_id) if self.log_tail is not None else []
            await _respond(writer, 503, pages.starting_page(log_lines=lines), headers=headers)
            return None
        head.put("Cookie", self.auth.strip_cookie(head.get("cookie")))
        if not head.get("cookie"):
            head.remove("cookie")
        if "text/html" in (head.get("accept") or ""):
            # Ask for identity so the HTML can be instrumented without decompressing.
            head.put("Accept-Encoding", "identity")
        return await self._exchange(head, reader, writer, upstream, client_ip, preview=True)

    async def _app(
        self,
        head: Head,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        upstream: UpstreamConnection | None,
        app: AppServer,
        client_ip: str,
    ) -> UpstreamConnection | None:
        if self.touch is not None:
            self.touch(app.runtime_id)
        url = await self.resolve_upstream(app.runtime_id)
        upstream = await self._connect(upstream, UpstreamAddress.parse(url) if url else None)
        if upstream is None:
            await _discard_body(head, reader)
            if self.wake_app is not None and app.runtime_id not in self._waking:
                self._waking.add(app.runtime_id)
                task = asyncio.create_task(self._run_wake(self.wake_app, app.runtime_id))
                self._wake_tasks.add(task)
                task.add_done_callback(self._wake_tasks.discard)
            headers = [("Content-Type", "text/html; charset=utf-8"), ("Retry-After", "2")]
            await _respond(writer, 503, pages.waking_page(), headers=headers)
            return None
        return await self._exchange(head, reader, writer, upstream, client_ip, preview=False)

    async def _site(
        self,
        head: Head,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        site: Site | None,
    ) -> None:
        await _discard_body(head, reader)
        method, target, version = head.first
        conn = head.tokens("connection")
        close = "close" in conn or (version == "HTTP/1.0" and "keep-alive" not in conn)
        if site is None:
            await _respond(writer, 404, pages.not_published_page(), close=close)
        else:
            answer = self._sites.respond(site, method, target, head.get("if-none-match"))
            headers = [*answer.headers, *([("Connection", "close")] if close else [])]
            reason = _REASONS.get(answer.status, "Status")
            writer.write(Head(("HTTP/1.1", str(answer.status), reason), headers).encode())
            writer.write(answer.body)
            await writer.drain()
        if close:
            raise _Closed

    def _wake(self, project_id: str) -> None:
        # In the background, once per project at a time: starting a dev server takes
        # seconds and the "starting…" page must be served right away.
        if self.on_wake is None or project_id in self._waking:
            return
        self._waking.add(project_id)
        task = asyncio.create_task(self._run_wake(self.on_wake, project_id))
        self._wake_tasks.add(task)
        task.add_done_callback(self._wake_tasks.discard)

    async def _run_wake(self, hook: WakeHook, project_id: str) -> None:
        try:
            await hook(project_id)
        except Exception:
            log.exception("waking a preview failed", extra={"project_id": project_id})
        finally:
            self._waking.discard(project_id)

    async def _forward(
        self,
        head: Head,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        upstream: UpstreamConnection | None,
        client_ip: str,
    ) -> UpstreamConnection | None:
        upstream = await self._connect(upstream, self.fallback)
        if upstream is None:
            await _discard_body(head, reader)
            await _respond(writer, 502, pages.bad_gateway_page(), close=True)
            raise _Closed
        return await self._exchange(head, reader, writer, upstream, client_ip, preview=False)

    async def _connect(
        self, current: UpstreamConnection | None, address: UpstreamAddress | None
    ) -> UpstreamConnection | None:
        if current is not None and current.address == address and current.usable:
            return current
        if current is not None:
            current.close()
        if address is None:
            return None
        try:
            return await UpstreamConnection.open(address, self.config.connect_timeout_s)
        except (OSError, TimeoutError):
            return None

    async def _exchange(
        self,
        head: Head,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        upstream: UpstreamConnection,
        client_ip: str,
        *,
        preview: bool,
    ) -> UpstreamConnection | None:
        """One request/response through ``upstream``; returns it if still reusable.

        Any other way out (either side closing, a tunnel ending, an error, cancellation)
        closes it here: the caller only holds the connection this returns.
        """
        try:
            return await self._round_trip(
                head, reader, writer, upstream, client_ip, preview=preview
            )
        except BaseException:
            upstream.close()
            raise

    async def _round_trip(
        self,
        head: Head,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        upstream: UpstreamConnection,
        client_ip: str,
        *,
        preview: bool,
    ) -> UpstreamConnection | None:
        method, _target, version = head.first
        conn = head.tokens("connection")
        client_close = "close" in conn or (version == "HTTP/1.0" and "keep-alive" not in conn)
        upgrade = head.get("upgrade") if "upgrade" in conn else None
        framing = request_framing(head)
        if "100-continue" in (head.get("expect") or "").lower():
            # Answer ourselves: relaying the upstream's interim response while the body
            # is still being relayed would need two concurrent directions.
            writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            head.remove("expect")
        head.remove(*HOP_BY_HOP)
        if upgrade:
            head.headers += [("Connection", "Upgrade"), ("Upgrade", upgrade)]
        forwarded_for = head.get("x-forwarded-for")
        if forwarded_for and self.config.trust_forwarded_for:
            head.put("X-Forwarded-For", f"{forwarded_for}, {client_ip}")
        else:
            # At the edge a client-sent X-Forwarded-For is a lie waiting to be believed.
            head.put("X-Forwarded-For", client_ip)
        head.put("X-Forwarded-Proto", "http")
        up_w = upstream.writer
        up_w.write(head.encode())
        await relay_body(framing, reader, up_w)
        await up_w.drain()

        try:
            async with asyncio.timeout(self.config.response_timeout_s):
                response = await read_head(upstream.reader, request=False)
                while response is not None and response.first[1] in ("100", "102", "103"):
                    response = await read_head(upstream.reader, request=False)
        except (ConnectionError, asyncio.IncompleteReadError):
            response = None
        if response is None:
            # The upstream went away before answering (a dev server that crashed or is
            # restarting, a stale keep-alive connection): answer rather than drop the
            # client, which would show a blank "empty response" error in the preview.
            if preview:
                headers = [*self._page_headers(), ("Retry-After", "2")]
                await _respond(writer, 503, pages.starting_page(), headers=headers, close=True)
            else:
                await _respond(writer, 502, pages.bad_gateway_page(), close=True)
            raise _Closed

        if response.first[1] == "101" and upgrade:
            if preview:
                response.remove("x-frame-options")
            writer.write(response.encode())
            await writer.drain()
            await asyncio.gather(pipe(reader, up_w), pipe(upstream.reader, writer))
            raise _Closed

        out = response_framing(response, method)
        upstream_close = "close" in response.tokens("connection") or out.kind == "close"
        response.remove(*HOP_BY_HOP)
        if preview:
            response.remove("x-frame-options")
            response.headers.append(("Content-Security-Policy", self._frame_policy))
        content_type = (response.get("content-type") or "").lower()
        if preview and out.kind != "none" and content_type.startswith("text/html"):
            raw = await read_body(out, upstream.reader, self.config.max_html_bytes)
            body = self._instrument(raw, response)
            response.remove("transfer-encoding", "content-length")
            response.headers.append(("Content-Length", str(len(body))))
            if client_close:
                response.headers.append(("Connection", "close"))
            writer.write(response.encode() + body)
        else:
            closing = client_close or out.kind == "close"
            if closing:
                response.headers.append(("Connection", "close"))
            writer.write(response.encode())
            await relay_body(out, upstream.reader, writer)
        await writer.drain()
        if client_close or out.kind == "close":
            raise _Closed
        if upstream_close:
            upstream.close()
            return None
        return upstream

    def _instrument(self, raw: bytes, response: Head) -> bytes:
        encoding = response.get("content-encoding")
        try:
            html = decode_body(raw, encoding)
        except UnsupportedEncoding:
            return raw  # e.g. brotli despite identity requested: serve it untouched
        except (OSError, EOFError, ValueError):
            return raw  # corrupt compressed data: let the browser report it
        response.remove("content-encoding")
        return inject(html, self.config.platform_origin)

    def _page_headers(self) -> list[tuple[str, str]]:
        return [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Security-Policy", self._frame_policy),
        ]


_DISCARD_LIMIT = 16 * 1024 * 1024


class _Discard:
    """A sink for ``relay_body`` that drops what it is given, up to a limit."""

    def __init__(self, limit: int) -> None:
        self.left = limit

    def write(self, data: bytes) -> None:
        self.left -= len(data)
        if self.left < 0:
            raise ProtocolError("body too large")

    async def drain(self) -> None:
        return None


_REASONS = {200: "OK", 302: "Found", 304: "Not Modified", 400: "Bad Request"}
_REASONS |= {401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed"}
_REASONS |= {502: "Bad Gateway", 503: "Service Unavailable"}


def _label(host_header: str | None, suffix: str) -> str | None:
    """The one DNS label in front of ``suffix`` in a ``Host`` header, or None."""
    if not host_header:
        return None
    host = host_header.lower()
    if host.startswith("["):
        return None
    host = host.rsplit(":", 1)[0] if ":" in host else host
    if not host.endswith(suffix):
        return None
    label = host[: -len(suffix)]
    return label if _LABEL.match(label) else None


async def _discard_body(head: Head, reader: asyncio.StreamReader) -> None:
    # A response written before the request body was read would desynchronise the
    # connection: the unread body would be parsed as the next request. It is read and
    # dropped chunk by chunk, never held: an unauthenticated request costs no memory.
    framing = request_framing(head)
    if framing.kind == "length" and framing.length > _DISCARD_LIMIT:
        raise ProtocolError("body too large")
    sink = cast(asyncio.StreamWriter, _Discard(_DISCARD_LIMIT))
    await relay_body(framing, reader, sink)


async def _respond(
    writer: asyncio.StreamWriter,
    status: int,
    body: bytes,
    *,
    headers: list[tuple[str, str]] | None = None,
    close: bool = False,
) -> None:
    reasons = _REASONS
    all_headers = list(headers or [("Content-Type", "text/html; charset=utf-8")])
    all_headers += [("Content-Length", str(len(body))), ("Cache-Control", "no-store")]
    if close:
        all_headers.append(("Connection", "close"))
    head = Head(("HTTP/1.1", str(status), reasons.get(status, "Status")), all_headers)
    writer.write(head.encode() + body)
    await writer.drain()
