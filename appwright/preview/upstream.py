"""Upstream connections of the gateway: where a request goes and the socket to it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urlsplit

from appwright.preview.http1 import MAX_HEAD_BYTES


@dataclass(frozen=True)
class UpstreamAddress:
    """``http://host:port`` or ``unix:/path/to.sock``."""

    host: str | None
    port: int | None
    unix_path: str | None

    @classmethod
    def parse(cls, url: str) -> UpstreamAddress:
        """Parse an upstream URL as returned by ``SandboxBackend.upstream``."""
        if url.startswith("unix:"):
            return cls(None, None, url.removeprefix("unix:"))
        parts = urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"unsupported upstream URL {url!r} (http:// or unix: only)")
        return cls(parts.hostname, parts.port or 80, None)


class UpstreamConnection:
    """One keep-alive connection to an upstream, reused across a client's requests."""

    def __init__(
        self, address: UpstreamAddress, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.address = address
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, address: UpstreamAddress, connect_timeout: float) -> UpstreamConnection:
        """Connect; ``OSError``/``TimeoutError`` when nothing listens."""
        async with asyncio.timeout(connect_timeout):
            if address.unix_path is not None:
                reader, writer = await asyncio.open_unix_connection(
                    address.unix_path, limit=MAX_HEAD_BYTES
                )
            else:
                reader, writer = await asyncio.open_connection(
                    address.host, address.port, limit=MAX_HEAD_BYTES
                )
        return cls(address, reader, writer)

    @property
    def usable(self) -> bool:
        """False once the upstream closed its end (a stale keep-alive connection)."""
        return not self.reader.at_eof() and not self.writer.is_closing()

    def close(self) -> None:
        """Close without waiting (the peer may be gone)."""
        self.writer.close()
