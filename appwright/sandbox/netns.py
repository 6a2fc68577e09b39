"""Per-sandbox network: a network namespace joined to the host by a veth pair.

Each sandbox slot ``n`` owns a /30 of the configured range: the host end of the veth gets
``.1``, the sandbox end ``.2``. The namespace has no default route, so the only thing a
sandbox can reach is the host end — where the egress proxy listens — and the firewall chain
installed here lets only the proxy port through (replies to connections the platform opens
to the dev server pass as ESTABLISHED). Host loopback is unreachable: inside the namespace
127.0.0.1 is the namespace's own loopback. IPv6 is disabled on both ends so that link-local
addresses do not open a second path to the host.

All of it needs root; ``network_supported`` tells whether the backend can use it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
from dataclasses import dataclass

from appwright.core import hostbin
from appwright.sandbox.config import LocalSandboxConfig

log = logging.getLogger("appwright.sandbox")


class NetworkSetupError(RuntimeError):
    """A command setting up a sandbox network failed."""


@dataclass(frozen=True)
class SlotNetwork:
    """Names and addresses of one sandbox slot's network."""

    namespace: str
    host_if: str
    sandbox_if: str
    host_ip: str
    sandbox_ip: str


def slot_network(cfg: LocalSandboxConfig, slot: int) -> SlotNetwork:
    """The deterministic names/addresses of ``slot`` (interface names fit IFNAMSIZ)."""
    base = cfg.network.network_address + 4 * slot
    p = cfg.name_prefix
    return SlotNetwork(
        namespace=f"{p}-sb{slot}",
        host_if=f"{p}h{slot}",
        sandbox_if=f"{p}s{slot}",
        host_ip=str(base + 1),
        sandbox_ip=str(base + 2),
    )


def chain_name(cfg: LocalSandboxConfig) -> str:
    """The iptables chain guarding the host from this backend's sandboxes."""
    return f"{cfg.name_prefix.upper()}-SANDBOX"


def network_supported() -> bool:
    """Root with ``ip`` and ``iptables`` available: namespaces and firewall can be set up."""
    return os.geteuid() == 0 and all(hostbin.find(t) for t in ("ip", "iptables"))


async def _run(*argv: str, check: bool = True) -> tuple[int, str]:
    # Root commands: absolute program, fixed environment, a cwd no sandbox can write.
    proc = await asyncio.create_subprocess_exec(
        hostbin.require(argv[0]),
        *argv[1:],
        env=hostbin.ROOT_ENV,
        cwd=hostbin.ROOT_CWD,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await hostbin.reaped(proc, proc.communicate())
    code = proc.returncode if proc.returncode is not None else -1
    text = out.decode(errors="replace").strip()
    if check and code != 0:
        raise NetworkSetupError(f"{' '.join(argv)} failed ({code}): {text}")
    return code, text


async def _ensure_rule(table_args: list[str], rule: list[str]) -> None:
    code, _ = await _run("iptables", *table_args, "-C", *rule, check=False)
    if code != 0:
        await _run("iptables", *table_args, "-I", *rule)


async def setup_firewall(cfg: LocalSandboxConfig) -> None:
    """Install (idempotently) the chain that limits sandboxes to the egress proxy port."""
    chain = chain_name(cfg)
    iface = f"{cfg.name_prefix}h+"
    await _run("iptables", "-w", "-N", chain, check=False)
    await _run("iptables", "-w", "-F", chain)
    rules = [
        ["-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT"],
        ["-p", "tcp", "-d", cfg.subnet, "--dport", str(cfg.proxy_port), "-j", "ACCEPT"],
        # REJECT rather than DROP: a refused connection fails at once instead of hanging.
        ["-p", "tcp", "-j", "REJECT", "--reject-with", "tcp-reset"],
        ["-j", "REJECT", "--reject-with", "icmp-port-unreachable"],
    ]
    for rule in rules:
        await _run("iptables", "-w", "-A", chain, *rule)
    await _ensure_rule(["-w"], ["INPUT", "-i", iface, "-j", chain])
    # Nothing is routed from or to a sandbox, even if someone enables ip_forward.
    await _ensure_rule(["-w"], ["FORWARD", "-i", iface, "-j", "DROP"])
    await _ensure_rule(["-w"], ["FORWARD", "-o", iface, "-j", "DROP"])


async def teardown_firewall(cfg: LocalSandboxConfig) -> None:
    """Remove what ``setup_firewall`` installed."""
    chain = chain_name(cfg)
    iface = f"{cfg.name_prefix}h+"
    for rule in (
        ["INPUT", "-i", iface, "-j", chain],
        ["FORWARD", "-i", iface, "-j", "DROP"],
        ["FORWARD", "-o", iface, "-j", "DROP"],
    ):
        while (await _run("iptables", "-w", "-D", *rule, check=False))[0] == 0:
            pass
    await _run("iptables", "-w", "-F", chain, check=False)
    await _run("iptables", "-w", "-X", chain, check=False)


async def create_slot_network(cfg: LocalSandboxConfig, slot: int) -> SlotNetwork:
    """Create the namespace and veth pair of ``slot`` (replacing leftovers of a crash)."""
    net = slot_network(cfg, slot)
    await delete_slot_network(cfg, slot)
    await _run("ip", "netns", "add", net.namespace)
    try:
        await _run("ip", "link", "add", net.host_if, "type", "veth", "peer", "name", net.sandbox_if)
        await _run("ip", "link", "set", net.sandbox_if, "netns", net.namespace)
        _write_sysctl(f"/proc/sys/net/ipv6/conf/{net.host_if}/disable_ipv6", "1")
        await _run("ip", "addr", "add", f"{net.host_ip}/30", "dev", net.host_if)
        await _run("ip", "link", "set", net.host_if, "up")
        inner = (
            "echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6 && "
            "echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6 && "
            f"ip addr add {net.sandbox_ip}/30 dev {net.sandbox_if} && "
            f"ip link set {net.sandbox_if} up && ip link set lo up"
        )
        await _run("ip", "netns", "exec", net.namespace, "/bin/sh", "-c", inner)
    except BaseException:
        await delete_slot_network(cfg, slot)
        raise
    return net


def _write_sysctl(path: str, value: str) -> None:
    # Tiny procfs write; not worth a thread hop.
    with open(path, "w") as fh:
        fh.write(value)


async def delete_slot_network(cfg: LocalSandboxConfig, slot: int) -> None:
    """Remove the namespace and veth of ``slot`` if they exist."""
    net = slot_network(cfg, slot)
    # Deleting the host end removes its peer as well.
    await _run("ip", "link", "del", net.host_if, check=False)
    await _run("ip", "netns", "del", net.namespace, check=False)


async def cleanup_stale(cfg: LocalSandboxConfig, keep: set[int]) -> int:
    """Delete namespaces/veths of this prefix whose slot is not in ``keep``; count them."""
    removed = 0
    _, out = await _run("ip", "netns", "list", check=False)
    prefix = f"{cfg.name_prefix}-sb"
    for line in out.splitlines():
        name = line.split()[0] if line.strip() else ""
        if name.startswith(prefix) and name[len(prefix) :].isdigit():
            slot = int(name[len(prefix) :])
            if slot not in keep:
                await delete_slot_network(cfg, slot)
                removed += 1
    _, links = await _run("ip", "-o", "link", "show", check=False)
    host_prefix = f"{cfg.name_prefix}h"
    for line in links.splitlines():
        parts = line.split(":")
        if len(parts) < 2:
            continue
        ifname = parts[1].strip().split("@")[0]
        rest = ifname[len(host_prefix) :]
        if ifname.startswith(host_prefix) and rest.isdigit() and int(rest) not in keep:
            await _run("ip", "link", "del", ifname, check=False)
            removed += 1
    if removed:
        log.info("sandbox.network.stale_removed count=%d prefix=%s", removed, cfg.name_prefix)
    return removed


async def host_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Networks of the host's own interfaces (their addresses and on-link neighbours)."""
    nets: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
    _, out = await _run("ip", "-o", "addr", "show", check=False)
    for line in out.splitlines():
        parts = line.split()
        for i, tok in enumerate(parts[:-1]):
            if tok in ("inet", "inet6"):
                try:
                    nets.append(ipaddress.ip_interface(parts[i + 1]).network)
                except ValueError:
                    continue
    return nets
