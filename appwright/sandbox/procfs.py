"""Reading and signalling sandbox processes through /proc (blocking; call via a thread).

Every local sandbox runs under its own uid, so "the processes of sandbox X" is "the
processes whose real uid is X's uid"; a sandboxed command's own processes are the tree
under the bubblewrap pid the platform started. No cgroup needed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterable
from dataclasses import dataclass

_CLK_TCK = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class ProcEntry:
    """One process as seen in /proc."""

    pid: int
    ppid: int
    uid: int
    rss_bytes: int
    cpu_seconds: float


def _read_entry(pid: int, *, real_uid: bool) -> ProcEntry | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read().decode(errors="replace")
        uid = os.stat(f"/proc/{pid}").st_uid
        if real_uid:
            uid = _real_uid(pid, uid)
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The command name may contain spaces and parentheses: split after the last ')'.
    fields = stat[stat.rfind(")") + 2 :].split()
    ppid = int(fields[1])
    cpu = (int(fields[11]) + int(fields[12])) / _CLK_TCK
    rss = int(fields[21]) * _PAGE
    return ProcEntry(pid, ppid, uid, rss, cpu)


def _real_uid(pid: int, fallback: int) -> int:
    with open(f"/proc/{pid}/status", "rb") as fh:
        for line in fh:
            if line.startswith(b"Uid:"):
                return int(line.split()[1])
    return fallback


def snapshot() -> dict[int, ProcEntry]:
    """Every process on the host. (This kernel lacks /proc/PID/task/TID/children, so a
    process tree is rebuilt from the parent pids of a full scan — ~100 µs per process.)"""
    out: dict[int, ProcEntry] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            entry = _read_entry(int(name), real_uid=False)
            if entry is not None:
                out[entry.pid] = entry
    return out


def tree(procs: dict[int, ProcEntry], root_pid: int) -> list[ProcEntry]:
    """``root_pid`` and all its descendants in ``procs``. Orphans inside a sandbox are
    re-parented to its pid 1, which is itself under ``root_pid``: nothing escapes."""
    children: dict[int, list[int]] = {}
    for e in procs.values():
        children.setdefault(e.ppid, []).append(e.pid)
    out: list[ProcEntry] = []
    stack = [root_pid]
    while stack:
        pid = stack.pop()
        if pid in procs:
            out.append(procs[pid])
            stack += children.get(pid, [])
    return out


def by_uid(uids: Iterable[int]) -> dict[int, list[ProcEntry]]:
    """Processes grouped by real uid, for the given uids only."""
    wanted = set(uids)
    out: dict[int, list[ProcEntry]] = {u: [] for u in wanted}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            # The owner of /proc/PID (effective uid) filters cheaply before parsing.
            if os.stat(f"/proc/{name}").st_uid not in wanted:
                continue
        except FileNotFoundError:
            continue
        entry = _read_entry(int(name), real_uid=True)
        if entry is not None and entry.uid in wanted:
            out[entry.uid].append(entry)
    return out


def kill_uid(uid: int, *, timeout_s: float = 5.0) -> int:
    """SIGKILL every process of ``uid`` until none is left; return how many were signalled.

    A fork bomb may spawn while we kill, so loop: a SIGKILLed process forks no more and
    RLIMIT_NPROC caps how many can be in flight.
    """
    if uid == 0 or uid == os.getuid():
        raise ValueError("refusing to kill the platform's own uid")
    killed = 0
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        procs = by_uid([uid])[uid]
        if not procs:
            break
        for p in procs:
            with contextlib.suppress(ProcessLookupError):
                os.kill(p.pid, signal.SIGKILL)
                killed += 1
        time.sleep(0.02)
    return killed


def signal_pids(pids: Iterable[int], sig: int) -> None:
    """Signal processes, ignoring those already gone."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
