"""Settings of the local sandbox backend.

Kept as a plain dataclass so the backend has no import-time dependency on the platform's
settings; ``appwright.core.config`` (or a test) builds one and hands it to
``LocalSandboxBackend``.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from appwright.sandbox.base import SandboxLimits
from appwright.sandbox.egress import DEFAULT_ALLOWED_HOSTS


@dataclass(frozen=True)
class LocalSandboxConfig:
    """Where the local backend keeps its state and how it isolates sandboxes."""

    data_dir: Path
    """The platform's data dir: ``workspaces/{project}`` holds the projects' files and the
    backend keeps ``sandbox/`` (allocations, homes) and ``logs/`` under it."""
    workspaces_dir: Path | None = None
    """Defaults to ``data_dir / "workspaces"``."""
    subnet: str = "10.213.0.0/16"
    """Range cut into one /30 per sandbox (host end .1, sandbox end .2)."""
    name_prefix: str = "aw"
    """Prefix of network namespaces, veth interfaces and the firewall chain. ≤ 4 chars."""
    uid_base: int = 160_000
    """Sandbox slot ``n`` runs as uid/gid ``uid_base + n``: one unprivileged uid per
    sandbox, so per-uid limits (RLIMIT_NPROC) and /proc accounting are per sandbox."""
    proxy_port: int = 3128
    """Port of the egress proxy on the host end of each sandbox's veth."""
    proxy_allowed_ports: tuple[int, ...] = (80, 443)
    """Destination ports the egress proxy allows (package registries, git over https)."""
    proxy_allowed_hosts: tuple[str, ...] = DEFAULT_ALLOWED_HOSTS
    """Host names (or ``*.suffix`` patterns) the egress proxy connects to; IPs never."""
    proxy_max_connection_bytes: int = 512 * 1024**2
    """Bytes one proxied connection may carry (both directions)."""
    proxy_max_sandbox_bytes_per_hour: int = 4 * 1024**3
    """Bytes all of one sandbox's proxied connections may carry within an hour."""
    proxy_extra_denied: tuple[str, ...] = ()
    """CIDRs refused by the egress proxy in addition to loopback/private/link-local/host."""
    limits: SandboxLimits = field(default_factory=SandboxLimits)
    watchdog_interval_s: float = 0.25
    nice: int = 5
    """Sandboxed processes run at this niceness so the platform keeps its CPU share."""
    extra_ro_binds: tuple[tuple[Path, str], ...] = ()
    """Additional host paths made visible read-only (e.g. a shared package store)."""
    isolation: Literal["auto", "bubblewrap", "unsafe-local"] = "auto"
    """``auto``: bubblewrap when root + bwrap + iproute2/iptables work, else ``unsafe-local``
    with a loud warning. ``bubblewrap``: refuse to run without it. ``unsafe-local``: never
    isolate (development on a laptop without root)."""

    @property
    def workspaces(self) -> Path:
        """Directory holding one workspace per project."""
        return self.workspaces_dir or self.data_dir / "workspaces"

    @property
    def state_dir(self) -> Path:
        """The backend's own state (slot allocations, sandbox homes)."""
        return self.data_dir / "sandbox"

    @property
    def logs_dir(self) -> Path:
        """Process logs of the supervisor."""
        return self.data_dir / "logs"

    @property
    def network(self) -> ipaddress.IPv4Network:
        """The sandbox address range."""
        return ipaddress.IPv4Network(self.subnet)

    @property
    def max_slots(self) -> int:
        """How many sandboxes fit in the range (one /30 each)."""
        return self.network.num_addresses // 4
