"""Just enough HTTP/1.1 for a byte-level reverse proxy.

The gateway parses request and response heads, rewrites a few headers and relays
bodies with their original framing (Content-Length, chunked, or until close) without
decoding them, except HTML responses of previews, which are read whole to inject the
instrumentation script. Parsing is deliberately strict: anything ambiguous (both
Content-Length and chunked, bad sizes) is refused rather than guessed, which closes the
request-smuggling doors a lenient proxy opens.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

MAX_HEAD_BYTES = 64 * 1024
"""Largest request or response head accepted (the asyncio stream limit)."""

_CHUNK = 64 * 1024

HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "upgrade",
    }
)
"""Headers that describe one connection, not the message (RFC 9110 §7.6.1).
``transfer-encoding`` is kept: bodies are relayed with their original framing."""


class ProtocolError(Exception):
    """The peer sent something that is not acceptable HTTP/1.1."""


@dataclass
class Head:
    """A request or response head: start line parts plus ordered headers."""

    first: tuple[str, str, str]
    """Request: (method, target, version). Response: (version, status, reason)."""
    headers: list[tuple[str, str]] = field(default_factory=list)

    def get(self, name: str) -> str | None:
        """First value of header ``name`` (case-insensitive)."""
        lname = name.lower()
        for key, value in self.headers:
            if key.lower() == lname:
                return value
        return None

    def remove(self, *names: str) -> None:
        """Drop every header in ``names`` (case-insensitive)."""
        drop = {n.lower() for n in names}
        self.headers = [(k, v) for k, v in self.headers if k.lower() not in drop]

    def put(self, name: str, value: str) -> None:
        """Replace header ``name`` by one ``value``."""
        self.remove(name)
        self.headers.append((name, value))

    def tokens(self, name: str) -> set[str]:
        """Comma-separated tokens of all ``name`` headers, lower-cased."""
        lname = name.lower()
        found: set[str] = set()
        for key, value in self.headers:
            if key.lower() == lname:
                found.update(t.strip().lower() for t in value.split(",") if t.strip())
        return found

    def encode(self) -> bytes:
        """Serialise the head, ready to be written."""
        lines = [" ".join(self.first), *(f"{k}: {v}" for k, v in self.headers), "", ""]
        return "\r\n".join(lines).encode("latin-1")


def parse_head(raw: bytes, *, request: bool) -> Head:
    """Parse a head ending in CRLFCRLF; raises ``ProtocolError`` when malformed."""
    try:
        text = raw.decode("latin-1")
    except UnicodeDecodeError as exc:  # latin-1 decodes everything; kept for clarity
        raise ProtocolError("undecodable head") from exc
    lines = text.split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) != 3:
        if request or len(parts) != 2:
            raise ProtocolError(f"bad start line {lines[0]!r}")
        parts.append("")  # a response may omit the reason phrase
    version = parts[2] if request else parts[0]
    if version not in ("HTTP/1.1", "HTTP/1.0"):
        raise ProtocolError(f"unsupported version {version!r}")
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep or not name or name != name.strip() or " " in name:
            raise ProtocolError(f"bad header line {line!r}")
        headers.append((name, value.strip()))
    return Head((parts[0], parts[1], parts[2]), headers)


async def read_head(reader: asyncio.StreamReader, *, request: bool) -> Head | None:
    """Read one head; ``None`` on a clean end of stream before any byte."""
    try:
        raw = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if not exc.partial.strip():
            return None
        raise ProtocolError("connection closed inside a head") from exc
    except asyncio.LimitOverrunError as exc:
        raise ProtocolError("head too large") from exc
    return parse_head(raw, request=request)


@dataclass(frozen=True)
class Framing:
    """How a message body is delimited."""

    kind: str
    """``none``, ``length``, ``chunked`` or ``close`` (until the connection ends)."""
    length: int = 0


def request_framing(head: Head) -> Framing:
    """Body framing of a request (RFC 9112 §6.3)."""
    return _framing(head, default="none")


def response_framing(head: Head, method: str) -> Framing:
    """Body framing of a response to ``method``."""
    status = int(head.first[1]) if head.first[1].isdigit() else 0
    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        return Framing("none")
    return _framing(head, default="close")


def _framing(head: Head, *, default: str) -> Framing:
    te = head.tokens("transfer-encoding")
    lengths = [v for k, v in head.headers if k.lower() == "content-length"]
    if te:
        if lengths or te != {"chunked"}:
            raise ProtocolError("unsupported or ambiguous transfer-encoding")
        return Framing("chunked")
    if lengths:
        if len(set(lengths)) != 1 or not lengths[0].isdigit():
            raise ProtocolError("bad content-length")
        return Framing("length", int(lengths[0]))
    return Framing(default)


async def relay_body(
    framing: Framing, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    """Copy one body from ``reader`` to ``writer`` as is, keeping its framing."""
    if framing.kind == "length":
        remaining = framing.length
        while remaining:
            data = await reader.read(min(remaining, _CHUNK))
            if not data:
                raise ProtocolError("body shorter than content-length")
            writer.write(data)
            remaining -= len(data)
            await writer.drain()
    elif framing.kind == "chunked":
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = _chunk_size(size_line)
            writer.write(size_line)
            if size == 0:
                while True:  # trailers, then the empty line
                    line = await reader.readuntil(b"\r\n")
                    writer.write(line)
                    if line == b"\r\n":
                        break
                await writer.drain()
                return
            remaining = size + 2
            while remaining:
                data = await reader.read(min(remaining, _CHUNK))
                if not data:
                    raise ProtocolError("connection closed inside a chunk")
                writer.write(data)
                remaining -= len(data)
            # Flush per chunk: chunked responses are often event streams (SSE, logs).
            await writer.drain()
    elif framing.kind == "close":
        while data := await reader.read(_CHUNK):
            writer.write(data)
            await writer.drain()


async def read_body(framing: Framing, reader: asyncio.StreamReader, limit: int) -> bytes:
    """Read a whole body, decoding chunked framing; ``ProtocolError`` past ``limit``."""
    parts: list[bytes] = []
    total = 0
    if framing.kind == "length":
        if framing.length > limit:
            raise ProtocolError("body too large")
        return await reader.readexactly(framing.length)
    if framing.kind == "chunked":
        while True:
            size = _chunk_size(await reader.readuntil(b"\r\n"))
            if size == 0:
                while await reader.readuntil(b"\r\n") != b"\r\n":
                    pass
                return b"".join(parts)
            total += size
            if total > limit:
                raise ProtocolError("body too large")
            parts.append((await reader.readexactly(size + 2))[:-2])
    if framing.kind == "close":
        while data := await reader.read(_CHUNK):
            total += len(data)
            if total > limit:
                raise ProtocolError("body too large")
            parts.append(data)
        return b"".join(parts)
    return b""


def _chunk_size(line: bytes) -> int:
    text = line.split(b";", 1)[0].strip()
    try:
        size = int(text, 16)
    except ValueError as exc:
        raise ProtocolError(f"bad chunk size {text!r}") from exc
    if size < 0 or not text or len(text) > 16:
        raise ProtocolError("bad chunk size")
    return size


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Copy bytes until end of stream, then half-close ``writer`` (WebSocket tunnels)."""
    try:
        while data := await reader.read(_CHUNK):
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
    except (ConnectionError, OSError):
        pass
