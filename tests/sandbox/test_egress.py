"""The egress proxy: allowed host names only, no IP literals, metered connections.

Reproduction (issue "sandbox boundary", 8): the proxy allowed any public address on
80/443, IP literals included, so code in a sandbox could send secrets anywhere.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest

from appwright.sandbox.egress import EgressPolicy, EgressProxy, is_ip_literal
from appwright.sandbox.local import LocalSandboxBackend

from .conftest import run

pytestmark = [pytest.mark.anyio, pytest.mark.sandbox]


async def test_ip_literals_and_unlisted_hosts_are_refused_from_a_sandbox(
    isolated: LocalSandboxBackend, caplog: pytest.LogCaptureFixture
) -> None:
    sb = await isolated.create("p1")
    urls = (
        "https://1.1.1.1/",
        "https://[2606:4700:4700::1111]/",
        "http://16843009/",  # 1.1.1.1 as one integer
        "http://0x01010101/",
        "http://1.1.1.1/",
    )
    with caplog.at_level(logging.INFO, logger="appwright.sandbox"):
        for url in urls:
            out, _, ev = await run(
                isolated, sb, f"curl --noproxy '' -x $HTTPS_PROXY -sS -m 10 {url} 2>&1"
            )
            if url.startswith("https://"):  # the CONNECT is answered 403
                assert ev.exit_code != 0 and "response 403" in out, (url, out)
            else:  # plain http shows the proxy's answer itself
                assert "sandboxes reach allowed host names only" in out, (url, out)
        out, _, _ = await run(
            isolated, sb, "curl --noproxy '' -x $HTTPS_PROXY -sS -m 10 http://example.com/"
        )
    assert "host example.com is not on the allow-list (APPWRIGHT_SANDBOX_EGRESS_ALLOW)" in out
    denied = [r.getMessage() for r in caplog.records if "sandbox.egress.denied" in r.getMessage()]
    assert len(denied) == len(urls) + 1
    assert all(r.levelno == logging.WARNING for r in caplog.records if "denied" in r.getMessage())
    assert not any("sandbox.egress.allowed" in r.getMessage() for r in caplog.records)


async def test_the_npm_registry_is_reachable_through_the_proxy(
    isolated: LocalSandboxBackend,
) -> None:
    sb = await isolated.create("p1")
    out, err, ev = await run(
        isolated,
        sb,
        "curl -sS -m 30 -o /dev/null -w '%{http_code}' https://registry.npmjs.org/is-number",
        timeout=60,
    )
    assert ev.exit_code == 0, out + err
    assert out == "200"


@pytest.mark.parametrize(
    ("host", "literal"),
    [
        ("1.1.1.1", True),
        ("[::1]", True),
        ("2130706433", True),
        ("0x7f.1", True),
        ("017700000001", True),
        ("10.1", True),
        ("registry.npmjs.org", False),
        ("cafe.example", False),
        ("deadbeef.com", False),
    ],
)
def test_ip_literals_in_every_spelling(host: str, literal: bool) -> None:
    assert is_ip_literal(host) is literal


def test_allow_list_patterns() -> None:
    policy = EgressPolicy.build([], [443], allowed_hosts=["Registry.NPMjs.org.", "*.example.com"])
    assert policy.check_host("registry.npmjs.org.") == "registry.npmjs.org"
    assert policy.check_host("a.b.example.com") == "a.b.example.com"
    for refused in ("example.com", "evilexample.com", "registry.npmjs.org.evil.io"):
        with pytest.raises(Exception, match="not on the allow-list"):
            policy.check_host(refused)


# ---------------------------------------------------------------- byte limits, locally


@pytest.fixture
async def upstream() -> AsyncIterator[int]:
    """A local server that answers every connection with 1 MiB, then closes."""

    async def serve(r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        try:
            w.write(b"x" * 1024**2)
            await w.drain()
        except OSError:
            pass
        finally:
            w.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield port
    finally:
        server.close()


async def _proxy(policy: EgressPolicy) -> tuple[EgressProxy, int]:
    proxy = EgressProxy(policy)
    probe = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = probe.sockets[0].getsockname()[1]
    probe.close()
    await probe.wait_closed()
    await proxy.listen("p1", "127.0.0.1", port)
    return proxy, port


async def _fetch_through(proxy_port: int, upstream_port: int) -> tuple[bytes, int]:
    r, w = await asyncio.open_connection("127.0.0.1", proxy_port)
    w.write(f"CONNECT localhost:{upstream_port} HTTP/1.1\r\n\r\n".encode())
    await w.drain()
    head = await r.readuntil(b"\r\n\r\n")
    body = await asyncio.wait_for(r.read(), 10)
    w.close()
    return head, len(body)


async def test_a_connection_past_its_limit_is_closed_and_logged(
    upstream: int, caplog: pytest.LogCaptureFixture
) -> None:
    # A policy for a local test upstream: no address deny list, "localhost" allowed.
    policy = EgressPolicy(
        denied=(),
        allowed_ports=frozenset({upstream}),
        allowed_hosts=("localhost",),
        max_connection_bytes=256 * 1024,
        max_sandbox_bytes_per_hour=10 * 1024**2,
    )
    proxy, port = await _proxy(policy)
    try:
        with caplog.at_level(logging.INFO, logger="appwright.sandbox"):
            head, got = await _fetch_through(port, upstream)
            await asyncio.sleep(0.1)
        assert head.startswith(b"HTTP/1.1 200")
        assert got <= 256 * 1024  # cut at the limit, not the whole MiB
        cut = [r.getMessage() for r in caplog.records if "sandbox.egress.cut" in r.getMessage()]
        assert cut and "host=localhost" in cut[0] and "connection limit" in cut[0]
        assert "down=" in cut[0]
    finally:
        await proxy.close_all()


async def test_the_sandbox_budget_spans_connections(
    upstream: int, caplog: pytest.LogCaptureFixture
) -> None:
    policy = EgressPolicy(
        denied=(),
        allowed_ports=frozenset({upstream}),
        allowed_hosts=("localhost",),
        max_connection_bytes=10 * 1024**2,
        max_sandbox_bytes_per_hour=int(2.5 * 1024**2),
    )
    proxy, port = await _proxy(policy)
    try:
        with caplog.at_level(logging.INFO, logger="appwright.sandbox"):
            sizes = [(await _fetch_through(port, upstream))[1] for _ in range(4)]
            await asyncio.sleep(0.1)
        assert sizes[0] == sizes[1] == 1024**2  # within budget: whole answers
        assert sizes[2] < 1024**2  # the third passes the budget mid-way
        assert sizes[3] == 0  # nothing more this hour
        assert proxy.sandbox_bytes("p1") >= int(2.5 * 1024**2)
        allowed = [
            r.getMessage() for r in caplog.records if "sandbox.egress.allowed" in r.getMessage()
        ]
        assert len(allowed) == 2 and f"down={1024**2}" in allowed[0]
        assert any("sandbox limit" in r.getMessage() for r in caplog.records)
    finally:
        await proxy.close_all()
