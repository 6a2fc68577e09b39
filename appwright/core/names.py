"""DNS names and addresses as the platform's settings and proxies read them."""

from __future__ import annotations

import ipaddress
import re
import socket

LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"
"""One label of a (lower-case) host name: letters, digits, ``-`` and ``_``, 1-63 long."""

_NAME = re.compile(rf"{LABEL}(?:\.{LABEL})*")
MAX_NAME = 253


def is_host_name(name: str) -> bool:
    """Whether a lower-case name without a trailing dot is a plain DNS name."""
    return 0 < len(name) <= MAX_NAME and _NAME.fullmatch(name) is not None


def is_ip_literal(host: str) -> bool:
    """An address rather than a name, in any spelling a resolver accepts (``1.1.1.1``,
    ``[::1]``, ``2130706433``, ``0x7f.1``, ``017700000001``)."""
    bare = host.strip("[]").split("%")[0]
    try:
        ipaddress.ip_address(bare)
        return True
    except ValueError:
        pass
    try:
        socket.inet_aton(bare)  # the numeric forms of inet_aton(3)
        return True
    except OSError:
        pass
    last = bare.rsplit(".", 1)[-1]
    return last.isdigit() or last.startswith("0x")  # no top-level domain is numeric


def name_pattern_problem(entry: str) -> str | None:
    """Why ``entry`` (normalised) is neither a host name nor ``*.domain``; None if it is."""
    name = entry.removeprefix("*.")
    if is_ip_literal(name):
        return f"{entry!r} is an IP address, not a host name"
    if not is_host_name(name) or (name != entry and "." not in name):
        return f"{entry!r} is not a host name or a *.domain pattern"
    return None


def is_ip_address(value: str) -> bool:
    """Whether ``value`` is an IPv4 or IPv6 address in its usual spelling."""
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def parse_nameservers(value: str) -> tuple[tuple[str, int], ...]:
    """``"10.0.0.2, 127.0.0.1:5353, [::1]:53"`` → ((address, port), ...) (port 53 when
    omitted); ``ValueError`` naming the first entry that is not an address."""
    servers: list[tuple[str, int]] = []
    for entry in (e.strip() for e in value.split(",")):
        if not entry:
            continue
        address, port = entry, "53"
        if entry.startswith("["):
            address, _, rest = entry[1:].partition("]")
            port = rest.removeprefix(":") if rest.startswith(":") else ("" if rest else "53")
        elif entry.count(":") == 1:
            address, port = entry.split(":")
        if not is_ip_address(address) or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"{entry!r} is not an IP address with an optional port")
        servers.append((address, int(port)))
    return tuple(servers)
