"""Egress proxy: the only way out of a sandbox's network namespace.

An HTTP proxy (CONNECT for https, absolute-form requests for plain http) listening on the
host end of each sandbox's veth. Names are resolved on the host and every resolved address
is checked before connecting — loopback, private, link-local, multicast, the sandbox range
and the host's own networks are refused — and the connection goes to the checked address,
so DNS rebinding cannot smuggle a host service in. Package managers use it through the
standard ``HTTPS_PROXY`` / ``npm_config_https_proxy`` variables set in the sandbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import socket
from collections.abc import Iterable
from dataclasses import dataclass

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

_HEADER_LIMIT = 64 * 1024
_CONNECT_TIMEOUT_S = 15.0


@dataclass(frozen=True)
class EgressPolicy:
    """Which destinations sandboxes may reach."""

    denied: tuple[IPNetwork, ...]
    allowed_ports: frozenset[int]

    @classmethod
    def build(
        cls, extra_denied: Iterable[IPNetwork | str], allowed_ports: Iterable[int]
    ) -> EgressPolicy:
        """The fixed deny list plus ``extra_denied`` (host networks, sandbox range...)."""
        nets = [ipaddress.ip_network(n) for n in ALWAYS_DENIED]
        nets += [ipaddress.ip_network(n, strict=False) for n in extra_denied]
        return cls(tuple(nets), frozenset(allowed_ports))

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


class EgressProxy:
    """One listener per sandbox, sharing one policy."""

    def __init__(self, policy: EgressPolicy) -> None:
        self.policy = policy
        self._servers: dict[str, asyncio.Server] = {}

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

    async def _resolve(self, host: str, port: int) -> list[str]:
        if port not in self.policy.allowed_ports:
            raise EgressError(403, f"port {port} not allowed")
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
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30.0)
            if len(head) > _HEADER_LIMIT:
                raise EgressError(431, "headers too large")
            lines = head.decode("latin-1").split("\r\n")
            method, target, version = _request_line(lines[0])
            if method == "CONNECT":
                host, port = _split_host_port(target, 443)
                addr = await self._resolve(host, port)
                up_r, upstream = await _open(addr, port)
                writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                await writer.drain()
            else:
                host, port, path = _absolute_url(target)
                addr = await self._resolve(host, port)
                up_r, upstream = await _open(addr, port)
                headers = [
                    ln
                    for ln in lines[1:]
                    if ln and not ln.lower().startswith(("proxy-", "connection:", "keep-alive:"))
                ]
                # One request per connection keeps the relay a dumb byte pipe.
                request = [f"{method} {path} {version}", *headers, "Connection: close", "", ""]
                upstream.write("\r\n".join(request).encode("latin-1"))
            await _pipe_both(reader, writer, up_r, upstream)
        except EgressError as exc:
            log.info("sandbox.egress.denied project=%s reason=%s", label, exc.reason)
            await _reply(writer, exc.status, exc.reason)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
            pass
        except OSError as exc:
            await _reply(writer, 502, f"upstream error: {exc.strerror or exc}")
        finally:
            for w in (writer, upstream):
                if w is not None:
                    w.close()


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


async def _reply(writer: asyncio.StreamWriter, status: int, reason: str) -> None:
    body = f"{reason}\n".encode()
    head = f"HTTP/1.1 {status} Refused\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    with contextlib.suppress(OSError):
        writer.write(head.encode() + body)
        await writer.drain()


async def _pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
    try:
        while chunk := await src.read(65536):
            dst.write(chunk)
            await dst.drain()
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            if dst.can_write_eof():
                dst.write_eof()


async def _pipe_both(
    cr: asyncio.StreamReader,
    cw: asyncio.StreamWriter,
    ur: asyncio.StreamReader,
    uw: asyncio.StreamWriter,
) -> None:
    await asyncio.gather(_pipe(cr, uw), _pipe(ur, cw))
