"""Egress proxy: the only way out of a sandbox's network namespace.

An HTTP proxy (CONNECT for https, absolute-form requests for plain http) listening on the
host end of each sandbox's veth. Names are resolved on the host and every resolved address
is checked before connecting — loopback, private, link-local, multicast, the sandbox range
and the host's own networks are refused — and the connection goes to the checked address,
so DNS rebinding cannot smuggle a host service in. Package managers use it through the
standard ``HTTPS_PROXY`` / ``npm_config_https_proxy`` variables set in the sandbox.

Only names on an allow-list (package registries and git hosts by default,
``APPWRIGHT_SANDBOX_EGRESS_ALLOW``) are reached; IP literals in any spelling are refused,
so code in a sandbox cannot send what it read to a server of its choosing. Every
connection is metered (both directions): past the per-connection limit, or past the
sandbox's budget for the current hour, it is closed. Each allowed connection is logged
with its byte counts; no path, query string or header is ever logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from appwright.core.names import is_host_name, is_ip_literal, name_pattern_problem

log = logging.getLogger("appwright.sandbox")

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

ALWAYS_DENIED: tuple[str, ...] = (
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "224.0.0.0/4",
    "240.0.0.0/4",
    "::/127",
    "::ffff:0:0/96",
    "64:ff9b::/96",
    "fc00::/7",
    "fe80::/10",
    "ff00::/8",
)

DEFAULT_ALLOWED_HOSTS: tuple[str, ...] = (
    "registry.npmjs.org",
    "registry.yarnpkg.com",
    "nodejs.org",
    "github.com",
    "codeload.github.com",
    "objects.githubusercontent.com",
    "raw.githubusercontent.com",
    "release-assets.githubusercontent.com",
    "pypi.org",
    "files.pythonhosted.org",
)
"""Package registries and git hosts: what installing dependencies and cloning needs (the
templates' packages, Next.js' SWC and esbuild's binaries come from the npm registry;
``nodejs.org`` serves node-gyp's headers, GitHub release assets prebuilt native addons)."""

_HEADER_LIMIT = 64 * 1024
_CONNECT_TIMEOUT_S = 15.0
_WINDOW_S = 3600.0
_SETTING = "APPWRIGHT_SANDBOX_EGRESS_ALLOW"


def normalise_host(host: str) -> str:
    """Lower case, no trailing dot: the form names are matched in."""
    return host.strip().lower().rstrip(".")


@dataclass(frozen=True)
class EgressPolicy:
    """Which destinations sandboxes may reach, and how much they may send and receive."""

    denied: tuple[IPNetwork, ...]
    allowed_ports: frozenset[int]
    allowed_hosts: tuple[str, ...] = DEFAULT_ALLOWED_HOSTS
    """Exact names or ``*.suffix`` patterns (normalised)."""
    max_connection_bytes: int = 512 * 1024**2
    """Bytes one connection may carry (both directions) before it is closed."""
    max_sandbox_bytes_per_hour: int = 4 * 1024**3
    """Bytes all of a sandbox's connections may carry within a clock hour."""

    @classmethod
    def build(
        cls,
        extra_denied: Iterable[IPNetwork | str],
        allowed_ports: Iterable[int],
        *,
        allowed_hosts: Iterable[str] = DEFAULT_ALLOWED_HOSTS,
        max_connection_bytes: int = 512 * 1024**2,
        max_sandbox_bytes_per_hour: int = 4 * 1024**3,
    ) -> EgressPolicy:
        """The fixed deny list plus ``extra_denied`` (host networks, sandbox range...)."""
        nets = [ipaddress.ip_network(n) for n in ALWAYS_DENIED]
        nets += [ipaddress.ip_network(n, strict=False) for n in extra_denied]
        hosts = tuple(h for h in (normalise_host(h) for h in allowed_hosts) if h)
        for entry in hosts:
            if problem := name_pattern_problem(entry):
                raise ValueError(f"{_SETTING}: {problem} (IP addresses are never reachable)")
        return cls(
            tuple(nets),
            frozenset(allowed_ports),
            hosts,
            max_connection_bytes,
            max_sandbox_bytes_per_hour,
        )

    def host_allowed(self, host: str) -> bool:
        """Whether the (normalised) name is on the allow-list."""
        for pattern in self.allowed_hosts:
            if pattern.startswith("*."):
                if host.endswith(pattern[1:]) and len(host) > len(pattern) - 1:
                    return True
            elif host == pattern:
                return True
        return False

    def check_host(self, host: str) -> str:
        """The normalised name, or ``EgressError`` saying why it is refused."""
        name = normalise_host(host)
        if not name:
            raise EgressError(400, "no destination host")
        if is_ip_literal(name):
            raise EgressError(
                403, f"IP address {host} refused: sandboxes reach allowed host names only"
            )
        if not is_host_name(name):
            raise EgressError(400, f"{host!r} is not a host name")
        if not self.host_allowed(name):
            raise EgressError(403, f"host {name} is not on the allow-list ({_SETTING})")
        return name

    def address_allowed(self, addr: str) -> bool:
        """Whether connecting to ``addr`` is permitted."""
        ip = ipaddress.ip_address(addr.split("%")[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        return not any(ip.version == n.version and ip in n for n in self.denied)


class EgressError(Exception):
    """A request the proxy refuses; ``status`` is the HTTP status sent back."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass
class _Budget:
    """What one sandbox's connections carried in the current window."""

    window_start: float = field(default_factory=time.monotonic)
    used: int = 0


class _Meter:
    """Counts one connection's bytes against its own and its sandbox's limits."""

    def __init__(self, policy: EgressPolicy, budget: _Budget) -> None:
        self.policy, self.budget = policy, budget
        self.up = self.down = 0
        self.exceeded: str | None = None

    def _roll(self) -> None:
        now = time.monotonic()
        if now - self.budget.window_start >= _WINDOW_S:
            self.budget.window_start, self.budget.used = now, 0

    def check_budget(self) -> None:
        """``EgressError`` (429) when the sandbox's budget of this hour is used up."""
        self._roll()
        if self.budget.used >= self.policy.max_sandbox_bytes_per_hour:
            raise EgressError(
                429,
                f"sandbox limit of {self.policy.max_sandbox_bytes_per_hour} bytes per hour "
                "reached (APPWRIGHT_SANDBOX_EGRESS_MAX_SANDBOX_MB_PER_HOUR)",
            )

    def count(self, n: int, *, upstream: bool) -> bool:
        """Record ``n`` bytes; False once a limit is passed (the connection must end)."""
        self._roll()
        if upstream:
            self.up += n
        else:
            self.down += n
        self.budget.used += n
        if self.up + self.down > self.policy.max_connection_bytes:
            self.exceeded = f"connection limit of {self.policy.max_connection_bytes} bytes"
        elif self.budget.used > self.policy.max_sandbox_bytes_per_hour:
            self.exceeded = (
                f"sandbox limit of {self.policy.max_sandbox_bytes_per_hour} bytes per hour"
            )
        return self.exceeded is None


class EgressProxy:
    """One listener per sandbox, sharing one policy."""

    def __init__(self, policy: EgressPolicy) -> None:
        self.policy = policy
        self._servers: dict[str, asyncio.Server] = {}
        self._budgets: dict[str, _Budget] = {}

    async def listen(self, label: str, host: str, port: int) -> None:
        """Serve the proxy on ``host:port`` for the sandbox ``label`` (a project id)."""
        await self.close(label)

        async def handler(r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
            await self._handle(label, r, w)

        self._servers[label] = await asyncio.start_server(handler, host, port, reuse_address=True)

    async def close(self, label: str) -> None:
        """Stop the listener of ``label`` (open tunnels end with their sandbox)."""
        server = self._servers.pop(label, None)
        if server is not None:
            server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), 1.0)

    async def close_all(self) -> None:
        """Stop every listener."""
        for label in list(self._servers):
            await self.close(label)

    def sandbox_bytes(self, label: str) -> int:
        """Bytes the sandbox ``label`` moved through the proxy in the current window."""
        budget = self._budgets.get(label)
        return budget.used if budget else 0

    async def _resolve(self, host: str, port: int) -> list[str]:
        """The checked addresses of the (allowed, normalised) name ``host``."""
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise EgressError(502, f"cannot resolve {host}") from exc
        addrs = [str(info[4][0]) for info in infos]
        # One forbidden answer taints the name: refuse rather than pick the "good" one.
        if not addrs or not all(self.policy.address_allowed(a) for a in addrs):
            raise EgressError(403, f"destination {host} not allowed")
        return list(dict.fromkeys(addrs))

    async def _handle(
        self, label: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        upstream: asyncio.StreamWriter | None = None
        meter = _Meter(self.policy, self._budgets.setdefault(label, _Budget()))
        host, port, started = "", 0, time.monotonic()
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30.0)
            if len(head) > _HEADER_LIMIT:
                raise EgressError(431, "headers too large")
            lines = head.decode("latin-1").split("\r\n")
            method, target, version = _request_line(lines[0])
            if method == "CONNECT":
                host, port = _split_host_port(target, 443)
            else:
                host, port, path = _absolute_url(target)
            name = self.policy.check_host(host)
            if port not in self.policy.allowed_ports:
                raise EgressError(403, f"port {port} not allowed")
            meter.check_budget()
            addr = await self._resolve(name, port)
            up_r, upstream = await _open(addr, port)
            if method == "CONNECT":
                writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                await writer.drain()
                # The tunnel must carry TLS to the name that was checked: a different
                # server name would reach another tenant of the same CDN address.
                hello = await asyncio.wait_for(_read_client_hello(reader), 30.0)
                sni = _server_name(hello)
                if sni != name:
                    raise _TunnelRefused(
                        f"TLS server name {sni or '(none)'} is not the CONNECT host {name}"
                    )
                data = hello
            else:
                # The Host header is the checked name: never another site on that address.
                authority = name if port == 80 else f"{name}:{port}"
                headers = [
                    ln
                    for ln in lines[1:]
                    if ln and not ln.lower().startswith(_DROPPED_HEADERS) and ln[:1] not in " \t"
                ]
                # One request per connection keeps the relay a dumb byte pipe.
                request = [
                    f"{method} {path} {version}",
                    f"Host: {authority}",
                    *headers,
                    "Connection: close",
                    "",
                    "",
                ]
                data = "\r\n".join(request).encode("latin-1")
            meter.count(len(data), upstream=True)
            upstream.write(data)
            await _pipe_both(reader, writer, up_r, upstream, meter)
            level = logging.WARNING if meter.exceeded else logging.INFO
            log.log(
                level,
                "sandbox.egress.%s project=%s host=%s port=%d up=%d down=%d ms=%d%s",
                "cut" if meter.exceeded else "allowed",
                label, name, port, meter.up, meter.down,
                (time.monotonic() - started) * 1000,
                f" reason={meter.exceeded!r}" if meter.exceeded else "",
            )  # fmt: skip
        except _TunnelRefused as exc:  # after "200 Connection established": just close
            _log_refusal(label, host, port, exc)
        except EgressError as exc:
            _log_refusal(label, host, port, exc)
            await _reply(writer, exc.status, exc.reason)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
            pass
        except OSError as exc:
            error = EgressError(502, f"upstream error: {exc.strerror or exc}")
            _log_refusal(label, host, port, error)
            await _reply(writer, error.status, error.reason)
        finally:
            for w in (writer, upstream):
                if w is not None:
                    w.close()


class _TunnelRefused(EgressError):
    """Refused once the tunnel is established: no HTTP answer is possible any more."""

    def __init__(self, reason: str) -> None:
        super().__init__(403, reason)


_DROPPED_HEADERS = ("host:", "proxy-", "connection:", "keep-alive:")


def _printable(text: str, limit: int = 200) -> str:
    """``text`` safe for a log line or a status line: visible ASCII only, bounded."""
    return "".join(c if " " <= c <= "~" else "?" for c in text[:limit])


def _log_refusal(label: str, host: str, port: int, exc: EgressError) -> None:
    """``denied`` (the policy said no) or ``failed`` (the destination did not answer)."""
    log.warning(
        "sandbox.egress.%s project=%s host=%s port=%d reason=%r",
        "failed" if exc.status >= 500 else "denied",
        label, _printable(normalise_host(host)) or "-", port, _printable(exc.reason),
    )  # fmt: skip


async def _read_client_hello(reader: asyncio.StreamReader) -> bytes:
    """The TLS records that carry the client's first handshake message (its ClientHello),
    as read; ``_TunnelRefused`` when the tunnel does not start with TLS."""
    raw = bytearray()
    handshake = bytearray()
    while len(handshake) < 4 or len(handshake) < 4 + int.from_bytes(handshake[1:4], "big"):
        header = await reader.readexactly(5)
        length = int.from_bytes(header[3:5], "big")
        if header[0] != 0x16 or header[1] != 3 or not 0 < length <= 16384 + 2048:
            raise _TunnelRefused("the tunnel does not start with a TLS handshake")
        body = await reader.readexactly(length)
        raw += header + body
        handshake += body
        if len(raw) > _HEADER_LIMIT:
            raise _TunnelRefused("TLS ClientHello too large")
    if handshake[0] != 0x01:
        raise _TunnelRefused("the tunnel does not start with a TLS ClientHello")
    return bytes(raw)


def _server_name(records: bytes) -> str | None:
    """The (normalised) server name of a ClientHello, None without exactly one."""
    hs = bytearray()
    at = 0
    while at + 5 <= len(records):
        length = int.from_bytes(records[at + 3 : at + 5], "big")
        hs += records[at + 5 : at + 5 + length]
        at += 5 + length
    try:
        body = memoryview(bytes(hs))[4 : 4 + int.from_bytes(hs[1:4], "big")]
        at = 2 + 32  # client_version, random
        at += 1 + body[at]  # session_id
        at += 2 + int.from_bytes(body[at : at + 2], "big")  # cipher_suites
        at += 1 + body[at]  # compression_methods
        end = at + 2 + int.from_bytes(body[at : at + 2], "big")
        at += 2
        names: list[str] = []
        while at + 4 <= end:
            kind = int.from_bytes(body[at : at + 2], "big")
            size = int.from_bytes(body[at + 2 : at + 4], "big")
            ext = body[at + 4 : at + 4 + size]
            at += 4 + size
            if kind != 0:  # server_name
                continue
            i = 2
            while i + 3 <= len(ext):
                n = int.from_bytes(ext[i + 1 : i + 3], "big")
                if ext[i] == 0:  # host_name
                    names.append(bytes(ext[i + 3 : i + 3 + n]).decode("ascii"))
                i += 3 + n
    except (IndexError, UnicodeDecodeError):
        return None
    if len(names) != 1:
        return None
    return normalise_host(names[0])


def _request_line(line: str) -> tuple[str, str, str]:
    parts = line.split()
    if len(parts) != 3:
        raise EgressError(400, "bad request line")
    return parts[0].upper(), parts[1], parts[2]


def _split_host_port(target: str, default: int) -> tuple[str, int]:
    host, sep, port = target.rpartition(":")
    if not sep or not port.isdigit():
        return target.strip("[]"), default
    return host.strip("[]"), int(port)


def _absolute_url(target: str) -> tuple[str, int, str]:
    if not target.lower().startswith("http://"):
        raise EgressError(400, "only absolute http:// URLs or CONNECT are proxied")
    rest = target[len("http://") :]
    authority, slash, path = rest.partition("/")
    host, port = _split_host_port(authority.rpartition("@")[2], 80)
    return host, port, slash + path or "/"


async def _open(addrs: list[str], port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """Connect to the first checked address that answers (e.g. IPv6 may be unrouted)."""
    error: Exception = EgressError(502, "no address")
    for addr in addrs:
        try:
            return await asyncio.wait_for(asyncio.open_connection(addr, port), _CONNECT_TIMEOUT_S)
        except TimeoutError:
            error = EgressError(504, "upstream connect timeout")
        except OSError as exc:
            error = exc
    raise error


_PHRASES = {
    400: "Bad Request",
    403: "Forbidden",
    429: "Too Many Requests",
    431: "Request Header Fields Too Large",
    502: "Bad Gateway",
    504: "Gateway Timeout",
}


async def _reply(writer: asyncio.StreamWriter, status: int, reason: str) -> None:
    """The refusal, in the body and in the status line's reason phrase: npm shows the
    latter (a refused CONNECT has no body a client shows) and ``curl -v`` both."""
    text = f"appwright egress: {_printable(reason)}"
    body = f"{text}\n".encode()
    head = (
        f"HTTP/1.1 {status} {_PHRASES.get(status, 'Refused')} ({text})\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    with contextlib.suppress(OSError):
        writer.write(head.encode() + body)
        await writer.drain()


async def _pipe(
    src: asyncio.StreamReader, dst: asyncio.StreamWriter, meter: _Meter, *, upstream: bool
) -> None:
    try:
        while chunk := await src.read(65536):
            if not meter.count(len(chunk), upstream=upstream):
                break
            dst.write(chunk)
            await dst.drain()
    except OSError:
        pass
    finally:
        if meter.exceeded:
            dst.close()  # both directions end: the other pipe's reads fail at once
        else:
            with contextlib.suppress(OSError):
                if dst.can_write_eof():
                    dst.write_eof()


async def _pipe_both(
    cr: asyncio.StreamReader,
    cw: asyncio.StreamWriter,
    ur: asyncio.StreamReader,
    uw: asyncio.StreamWriter,
    meter: _Meter,
) -> None:
    a = asyncio.create_task(_pipe(cr, uw, meter, upstream=True))
    b = asyncio.create_task(_pipe(ur, cw, meter, upstream=False))
    while not (a.done() and b.done()):
        await asyncio.wait({a, b}, return_when=asyncio.FIRST_COMPLETED)
        if meter.exceeded:
            for task in (a, b):
                task.cancel()
            await asyncio.gather(a, b, return_exceptions=True)
            for w in (cw, uw):
                w.close()
            return
