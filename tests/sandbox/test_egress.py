"""The egress proxy: allowed host names only, no IP literals, metered connections.

Reproduction (issue "sandbox boundary", 8): the proxy allowed any public address on
80/443, IP literals included, so code in a sandbox could send secrets anywhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import AsyncIterator

import pytest

from appwright.core.names import is_ip_literal
from appwright.sandbox.egress import EgressPolicy, EgressProxy
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
    """A local server that answers every connection's first bytes with 1 MiB, then closes."""

    async def serve(r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        try:
            # Read what came first (the ClientHello): closing a socket with unread data
            # resets the connection, which may drop the answer's tail before it is relayed.
            await r.read(65536)
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


def _local_policy(upstream_port: int, *, connection: int, hourly: int) -> EgressPolicy:
    """A policy for a local test upstream: no address deny list, "localhost" allowed."""
    return EgressPolicy(
        denied=(),
        allowed_ports=frozenset({upstream_port}),
        allowed_hosts=("localhost",),
        max_connection_bytes=connection,
        max_sandbox_bytes_per_hour=hourly,
    )


async def _proxy(policy: EgressPolicy) -> tuple[EgressProxy, int]:
    proxy = EgressProxy(policy)
    probe = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = probe.sockets[0].getsockname()[1]
    probe.close()
    await probe.wait_closed()
    await proxy.listen("p1", "127.0.0.1", port)
    return proxy, port


def client_hello(server_name: str) -> bytes:
    """The first TLS records a real client sends to ``server_name`` (Python's own TLS)."""
    tls = ssl.create_default_context().wrap_bio(
        ssl.MemoryBIO(), out := ssl.MemoryBIO(), server_hostname=server_name
    )
    with contextlib.suppress(ssl.SSLWantReadError):  # it waits for the server's answer
        tls.do_handshake()
    return out.read()


async def _fetch_through(
    proxy_port: int, upstream_port: int, server_name: str = "localhost"
) -> tuple[bytes, int]:
    r, w = await asyncio.open_connection("127.0.0.1", proxy_port)
    w.write(f"CONNECT localhost:{upstream_port} HTTP/1.1\r\n\r\n".encode())
    await w.drain()
    head = await r.readuntil(b"\r\n\r\n")
    if head.startswith(b"HTTP/1.1 200"):
        w.write(client_hello(server_name))
        await w.drain()
    body = await asyncio.wait_for(r.read(), 10)
    w.close()
    return head, len(body)


async def test_a_connection_past_its_limit_is_closed_and_logged(
    upstream: int, caplog: pytest.LogCaptureFixture
) -> None:
    proxy, port = await _proxy(_local_policy(upstream, connection=256 * 1024, hourly=10 * 1024**2))
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
    proxy, port = await _proxy(
        _local_policy(upstream, connection=10 * 1024**2, hourly=int(2.5 * 1024**2))
    )
    try:
        with caplog.at_level(logging.INFO, logger="appwright.sandbox"):
            answers = [await _fetch_through(port, upstream) for _ in range(4)]
            await asyncio.sleep(0.1)
        sizes = [size for _, size in answers]
        assert sizes[0] == sizes[1] == 1024**2  # within budget: whole answers
        assert sizes[2] < 1024**2  # the third passes the budget mid-way
        head = answers[3][0].decode()  # nothing more this hour, and the answer says why
        assert head.startswith("HTTP/1.1 429 Too Many Requests (appwright egress: sandbox limit")
        assert proxy.sandbox_bytes("p1") >= int(2.5 * 1024**2)
        allowed = [
            r.getMessage() for r in caplog.records if "sandbox.egress.allowed" in r.getMessage()
        ]
        assert len(allowed) == 2 and f"down={1024**2}" in allowed[0]
        assert any("sandbox limit" in r.getMessage() for r in caplog.records)
    finally:
        await proxy.close_all()


async def test_a_tunnel_carries_tls_to_the_name_it_asked_for_only(
    upstream: int, caplog: pytest.LogCaptureFixture
) -> None:
    # Domain fronting: CONNECT to an allowed name, then a TLS server name of another
    # site behind the same address. And a tunnel that carries no TLS at all.
    proxy, port = await _proxy(
        _local_policy(upstream, connection=10 * 1024**2, hourly=100 * 1024**2)
    )
    try:
        with caplog.at_level(logging.INFO, logger="appwright.sandbox"):
            fronted = await _fetch_through(port, upstream, server_name="attacker.example")
            r, w = await asyncio.open_connection("127.0.0.1", port)
            w.write(f"CONNECT localhost:{upstream} HTTP/1.1\r\n\r\n".encode())
            await r.readuntil(b"\r\n\r\n")
            w.write(b"GET / HTTP/1.1\r\nHost: attacker.example\r\n\r\n")
            plain = await asyncio.wait_for(r.read(), 10)
            w.close()
            honest = await _fetch_through(port, upstream, server_name="localhost")
            await asyncio.sleep(0.1)
        assert fronted[1] == 0 and plain == b""  # closed: nothing of the upstream came back
        assert honest[1] == 1024**2
        denied = [r.getMessage() for r in caplog.records if "egress.denied" in r.getMessage()]
        assert len(denied) == 2
        assert "TLS server name attacker.example is not the CONNECT host localhost" in denied[0]
        assert "does not start with a TLS handshake" in denied[1]
    finally:
        await proxy.close_all()


async def test_plain_http_goes_to_the_checked_name_whatever_the_host_header(
    caplog: pytest.LogCaptureFixture,
) -> None:
    seen: list[bytes] = []

    async def echo(r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        seen.append(await r.readuntil(b"\r\n\r\n"))
        w.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        await w.drain()
        w.close()

    server = await asyncio.start_server(echo, "127.0.0.1", 0)
    up = server.sockets[0].getsockname()[1]
    proxy, port = await _proxy(_local_policy(up, connection=1024**2, hourly=1024**2))
    try:
        r, w = await asyncio.open_connection("127.0.0.1", port)
        w.write(
            f"GET http://localhost:{up}/x HTTP/1.1\r\nHost: attacker.example\r\n"
            " folded: continuation\r\nAccept: */*\r\n\r\n".encode()
        )
        answer = await asyncio.wait_for(r.read(), 10)
        w.close()
    finally:
        await proxy.close_all()
        server.close()
    assert answer.endswith(b"ok")
    request = seen[0].decode().split("\r\n")
    assert request[0] == "GET /x HTTP/1.1"
    hosts = [line for line in request if line.lower().startswith("host:")]
    assert hosts == [f"Host: localhost:{up}"]
    assert "Accept: */*" in request and not any(line.startswith(" ") for line in request)


@pytest.mark.parametrize("entry", ["1.2.3.4", "*.com", "exa mple.com", "[::1]", "a..b"])
def test_allow_list_entries_that_are_not_host_names_are_refused(entry: str) -> None:
    problem = r"APPWRIGHT_SANDBOX_EGRESS_ALLOW: .* is (an IP address|not a host name)"
    with pytest.raises(ValueError, match=problem):
        EgressPolicy.build([], [443], allowed_hosts=["registry.npmjs.org", entry])


async def test_curl_cannot_front_another_site_through_an_allowed_name(
    isolated: LocalSandboxBackend,
) -> None:
    # curl asks the proxy for registry.npmjs.org but speaks TLS to example.com (a site
    # behind another address would do the same): the tunnel ends at the ClientHello.
    sb = await isolated.create("p1")
    out, _, ev = await run(
        isolated,
        sb,
        "curl -ksS -m 20 -o /dev/null -w %{http_code} "
        "--connect-to example.com:443:registry.npmjs.org:443 https://example.com/ 2>&1",
        timeout=60,
    )
    # Before, the fronted request reached the CDN and got its answer ("404", exit 0).
    assert ev.exit_code == 35 and out.endswith("000"), out  # the tunnel closed at the hello
