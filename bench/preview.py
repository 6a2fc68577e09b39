"""Live preview, end to end through the real product: create → page, HMR, gateway, RSS.

    .venv/bin/python bench/preview.py [--runs 5] [--cold-runs 1] [--requests 2000]
                                      [--max-cap 24] [--quick] [--skip-max]

Starts ``appwright run`` as a subprocess (temporary data dir, the bench's own sandbox
names/uids/subnet, a free port), signs in through the API (CSRF cookie echoed in the
header) and does what a person in the workspace does: ``POST /api/projects``, then the
preview link, exchanged for the preview cookie on ``{id}.preview.localhost``, then GETs
through the gateway until the template's page is served. Figures:

* create → preview serving the page: ``nextjs`` cold (fresh data dir: the package cache
  is empty, so ``npm ci`` runs; npm's own download cache in ``~/.npm`` is left as it is)
  and warm, ``react-vite`` and ``static`` warm; p50 of ``--runs``;
* file written through the file API → new text served through the gateway (Next.js);
* gateway overhead vs direct (alternating keep-alive GETs of ``/``, HTML so the
  instrumentation runs) against the ``static`` dev server, and against Next.js;
* RSS of a running Next.js project (the status API), processes left after idle
  hibernation (``/proc``: the sandbox's uid plus anything mentioning its workspace);
* how many Next.js previews run at once: started one after another until one is not
  ready in time, memory passes ``--mem-limit`` or ``--max-cap`` is reached.

Needs root and bubblewrap (real sandboxes). Ends with one ``RESULT`` line; targets live
in docs/PERFORMANCE.md. Every process, network namespace and the data dir are removed at
the end, Ctrl-C included.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from appwright.sandbox import netns, procfs
from appwright.sandbox.config import LocalSandboxConfig
from bench._common import (
    Api,
    Platform,
    RawClient,
    load_average,
    memory_used_fraction,
    p50,
    p99,
)
from bench.gateway import free_port

PREVIEW_COOKIE = "__appwright_preview"
PAGE_TEXT = "Your app starts here"
POLL_S = 0.05
WARMUP_REQUESTS = 100


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} load {load_average()}] {message}", flush=True)


@dataclass
class Preview:
    """A project and an authorised client for its preview host."""

    project: dict[str, Any]
    host: str
    client: httpx.Client

    @property
    def id(self) -> str:
        return str(self.project["id"])

    def get(self, path: str = "/") -> httpx.Response:
        return self.client.get(path, headers={"Host": self.host})


@dataclass
class Figures:
    """Everything measured, printed at the end."""

    values: dict[str, float | int | str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def put(self, name: str, value: float | int | str) -> None:
        self.values[name] = value
        log(f"{name} = {value}")


class Bench:
    """The platform under test plus what the bench knows about its projects."""

    def __init__(self, platform: Platform, api: Api) -> None:
        self.platform = platform
        self.api = api
        self.cfg = LocalSandboxConfig(
            data_dir=platform.data_dir.resolve(),
            subnet=platform.subnet,
            name_prefix=platform.sandbox_prefix,
            uid_base=platform.uid_base,
            proxy_port=platform.proxy_port,
        )
        self.next_phases: list[tuple[float, float]] = []

    # ------------------------------------------------------------------ projects

    def create(self, template: str) -> dict[str, Any]:
        name = f"bench-{template}-{uuid.uuid4().hex[:6]}"
        body = {"name": name, "template": template}
        project: dict[str, Any] = self.api.call("POST", "/api/projects", json=body).json()
        return project

    def delete(self, preview: Preview) -> None:
        preview.client.close()
        self.api.call(
            "DELETE",
            f"/api/projects/{preview.id}",
            params={"confirm_name": preview.project["name"]},
        )

    def open_preview(self, project: dict[str, Any]) -> Preview:
        """Preview link → cookie on the preview host, as the iframe's first load does."""
        link = self.api.call("POST", f"/api/sandbox/{project['id']}/preview-link").json()
        url = httpx.URL(link["url"])
        host = f"{url.host}:{url.port}"
        client = httpx.Client(
            base_url=self.platform.base_url,
            timeout=300,
            trust_env=False,
            headers={"Accept": "text/html,*/*"},
        )
        exchange = client.get(url.raw_path.decode(), headers={"Host": host})
        if exchange.status_code != 302:
            raise RuntimeError(f"preview link exchange answered {exchange.status_code}")
        # The cookie is Secure (for Chromium on *.localhost): httpx would not send it back
        # over http, so pass it by hand.
        match = re.search(rf"{PREVIEW_COOKIE}=([^;]+)", exchange.headers["set-cookie"])
        assert match is not None
        client.headers["Cookie"] = f"{PREVIEW_COOKIE}={match.group(1)}"
        return Preview(project, host, client)

    def next_phases_of(self, preview: Preview) -> tuple[float, float]:
        """Next's own report, from the dev-server log: (``Ready in``, ``Compiled / in``)."""
        lines = self.api.call("GET", f"/api/sandbox/{preview.id}/logs").json()
        found = {"Ready": float("nan"), "Compiled /": float("nan")}
        for line in lines:
            for key in found:
                match = re.search(rf"{key} in ([\d.]+)(ms|s)", line["text"])
                if match:
                    value = float(match.group(1))
                    found[key] = value / 1000 if match.group(2) == "ms" else value
        return found["Ready"], found["Compiled /"]

    def status(self, preview: Preview) -> dict[str, Any]:
        found: dict[str, Any] = self.api.call("GET", f"/api/sandbox/{preview.id}/status").json()
        return found

    def upstream(self, preview: Preview) -> tuple[str, int]:
        """The dev server's own address (sandbox end of its veth, port from the log)."""
        slots = json.loads((self.cfg.state_dir / "slots.json").read_text())
        ip = netns.slot_network(self.cfg, int(slots[preview.id])).sandbox_ip
        lines = self.api.call("GET", f"/api/sandbox/{preview.id}/logs").json()
        ports = [m.group(1) for x in lines if (m := re.search(r"on port (\d+)$", x["text"]))]
        return ip, int(ports[-1])

    def sandbox_processes(self, preview: Preview) -> int:
        """Processes of the project's sandbox: its uid's, plus root-owned wrappers
        (``ip netns exec`` / outer bubblewrap) whose command line names its workspace."""
        slots = json.loads((self.cfg.state_dir / "slots.json").read_text())
        uid = self.cfg.uid_base + int(slots[preview.id])
        count = len(procfs.by_uid([uid])[uid])
        workspace = str(self.cfg.workspaces / preview.id).encode()
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    count += workspace in (entry / "cmdline").read_bytes()
                except OSError:
                    continue
        return count

    # ------------------------------------------------------------------ waiting for pages

    def wait_page(
        self, preview: Preview, ready: Callable[[Preview], bool], timeout_s: float
    ) -> bool:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                if ready(preview):
                    return True
            except httpx.HTTPError:
                pass
            time.sleep(POLL_S)
        return False

    def create_and_serve(self, template: str, timeout_s: float) -> tuple[Preview | None, float]:
        """Create a project and wait until its preview serves the page: (preview, seconds)."""
        started = time.perf_counter()
        project = self.create(template)
        created = time.perf_counter()
        preview = self.open_preview(project)
        linked = time.perf_counter()
        ok = self.wait_page(preview, READY[template], timeout_s)
        elapsed = time.perf_counter() - started
        restarts = self.status(preview)["restarts"]
        if template == "nextjs":
            self.next_phases.append(self.next_phases_of(preview))
        log(
            f"{template}: POST /api/projects {created - started:.2f}s, preview link + cookie "
            f"{linked - created:.2f}s, then page after {elapsed - (linked - started):.2f}s "
            f"(dev server restarts: {restarts})"
        )
        if not ok:
            state = self.status(preview)
            log(f"{template} {preview.id} not serving after {timeout_s:.0f}s: {state}")
            return None, elapsed
        return preview, elapsed


def _has(preview: Preview, path: str, marker: str) -> str | None:
    response = preview.get(path)
    return response.text if response.status_code == 200 and marker in response.text else None


def _serves(preview: Preview, marker: str = PAGE_TEXT) -> bool:
    return _has(preview, "/", marker) is not None


def _vite_ready(preview: Preview) -> bool:
    # A browser needs the HTML, the entry module, the pre-bundled React it imports and
    # the component holding the page's text: all four must be served.
    if not _has(preview, "/", "/src/main.tsx"):
        return False
    entry = _has(preview, "/src/main.tsx", "import")
    if entry is None:
        return False
    dep = re.search(r"\"(/[^\"]*\.vite/deps/[^\"]+)\"", entry)
    if dep is None or preview.get(dep.group(1)).status_code != 200:
        return False
    return _has(preview, "/src/App.tsx", PAGE_TEXT) is not None


READY: dict[str, Callable[[Preview], bool]] = {
    "nextjs": _serves,
    "static": _serves,
    "react-vite": _vite_ready,
}
TIMEOUT_S = {"nextjs": 180.0, "react-vite": 90.0, "static": 30.0}


# ---------------------------------------------------------------------------- phases


def bench_create(bench: Bench, figures: Figures, runs: int) -> Preview | None:
    """Warm create → page per template; returns the last Next.js preview, still running."""
    # The first react-vite project fills its cache entry (its cold start): not counted.
    preview, elapsed = bench.create_and_serve("react-vite", 600)
    figures.put("cold_react_vite_s", round(elapsed, 2))
    if preview is not None:
        bench.delete(preview)
    kept: Preview | None = None
    for template in ("static", "react-vite", "nextjs"):
        times: list[float] = []
        for run in range(runs):
            preview, elapsed = bench.create_and_serve(template, TIMEOUT_S[template])
            log(f"warm {template} run {run + 1}: {elapsed:.2f}s")
            if preview is None:
                figures.notes.append(f"warm {template} run {run + 1} never served the page")
                continue
            times.append(elapsed)
            if template == "nextjs" and run == runs - 1:
                kept = preview
            else:
                bench.delete(preview)
        if template == "nextjs" and bench.next_phases:
            # What Next itself spends: boot to "Ready", then the first compile of /.
            phases = bench.next_phases[-runs:]
            for i, name in enumerate(("warm_nextjs_next_ready_s", "warm_nextjs_compile_index_s")):
                seen = [p[i] for p in phases if not math.isnan(p[i])]
                figures.put(name, round(p50(seen), 2) if seen else "nan")
        key = f"warm_{template.replace('-', '_')}_s"
        figures.put(key, round(p50(times), 2) if times else "nan")
        figures.put(key.replace("warm_", "warm_max_"), round(max(times), 2) if times else "nan")
    return kept


def bench_hmr(bench: Bench, figures: Figures, preview: Preview, runs: int) -> None:
    """Write pages/index.tsx through the file API; time until the gateway serves it."""
    original = (
        Path(__file__).resolve().parents[1] / "templates/nextjs/pages/index.tsx"
    ).read_text()
    times: list[float] = []
    for run in range(runs):
        text = f"Bench edit {run} {uuid.uuid4().hex[:8]}"
        started = time.perf_counter()
        bench.api.call(
            "PUT",
            f"/api/files/{preview.id}/pages/index.tsx",
            json={"content": original.replace(PAGE_TEXT, text)},
        )
        if bench.wait_page(preview, partial(_serves, marker=text), 60):
            times.append(time.perf_counter() - started)
            log(f"hmr run {run + 1}: {times[-1]:.2f}s")
        else:
            figures.notes.append(f"hmr run {run + 1}: edit not visible within 60 s")
    figures.put("hmr_visible_s", round(p50(times), 2) if times else "nan")
    # Put the template's page back: later phases (wake) look for its text.
    bench.api.call("PUT", f"/api/files/{preview.id}/pages/index.tsx", json={"content": original})
    bench.wait_page(preview, READY["nextjs"], 60)


def overhead(bench: Bench, preview: Preview, requests: int) -> tuple[float, float, float]:
    """Alternating GET / direct and through the gateway: (p50, p99 overhead, direct p50)."""
    ip, port = bench.upstream(preview)
    accept = "text/html,*/*"
    direct = RawClient(ip, port, {"Host": f"{ip}:{port}", "Accept": accept})
    via = RawClient(
        "127.0.0.1",
        bench.platform.port,
        {"Host": preview.host, "Accept": accept, "Cookie": preview.client.headers["Cookie"]},
    )
    try:
        for _ in range(WARMUP_REQUESTS):
            direct.get()
            via.get()
        d_times, g_times = [], []
        for _ in range(requests):
            ms, status, _ = direct.get()
            d_times.append(ms)
            ms, status2, body = via.get()
            g_times.append(ms)
            if status != 200 or status2 != 200:
                raise RuntimeError(f"overhead: direct {status}, gateway {status2}")
        assert PAGE_TEXT.encode() in body or b"Bench edit" in body
    finally:
        direct.close()
        via.close()
    log(
        f"direct p50={p50(d_times):.3f} p99={p99(d_times):.3f} ms; "
        f"gateway p50={p50(g_times):.3f} p99={p99(g_times):.3f} ms ({requests} each)"
    )
    return p50(g_times) - p50(d_times), p99(g_times) - p99(d_times), p50(d_times)


def bench_overhead(bench: Bench, figures: Figures, nextjs: Preview, requests: int) -> None:
    static, _ = bench.create_and_serve("static", 60)
    if static is None:
        figures.notes.append("static project for the gateway overhead never served")
        return
    d50, d99, direct = overhead(bench, static, requests)
    figures.put("gateway_overhead_p50_ms", round(d50, 3))
    figures.put("gateway_overhead_p99_ms", round(d99, 3))
    figures.put("direct_static_p50_ms", round(direct, 3))
    n50, n99, ndirect = overhead(bench, nextjs, max(100, requests // 5))
    figures.put("gateway_overhead_nextjs_p50_ms", round(n50, 3))
    figures.put("gateway_overhead_nextjs_p99_ms", round(n99, 3))
    figures.put("direct_nextjs_p50_ms", round(ndirect, 3))
    bench.delete(static)


def bench_hibernation(bench: Bench, figures: Figures, preview: Preview, idle_s: float) -> None:
    """Leave the project idle until the supervisor hibernates it; count what is left."""
    log(f"waiting up to {idle_s + 30:.0f}s for idle hibernation")
    deadline = time.monotonic() + idle_s + 30
    while time.monotonic() < deadline and bench.status(preview)["status"] != "hibernated":
        time.sleep(1)
    state = bench.status(preview)["status"]
    if state != "hibernated":
        figures.notes.append(f"project never hibernated (status {state})")
        figures.put("hibernated_processes", "nan")
        return
    time.sleep(1)  # the supervisor reports hibernated after the kill; let /proc settle
    figures.put("hibernated_processes", bench.sandbox_processes(preview))
    started = time.perf_counter()
    if bench.wait_page(preview, READY["nextjs"], 180):
        figures.put("wake_nextjs_s", round(time.perf_counter() - started, 2))


def bench_max(bench: Bench, figures: Figures, cap: int, mem_limit: float, timeout_s: float) -> None:
    """Start Next.js previews one after another while each still comes up in time."""
    running: list[Preview] = []
    reason = f"cap of {cap} reached"
    try:
        while len(running) < cap:
            if memory_used_fraction() > mem_limit:
                reason = f"memory above {mem_limit:.0%} of RAM"
                break
            preview, elapsed = bench.create_and_serve("nextjs", timeout_s)
            if preview is None:
                reason = f"preview {len(running) + 1} not serving within {timeout_s:.0f}s"
                break
            running.append(preview)
            stats = [bench.status(p)["stats"] for p in running]
            rss = sum(s["rss_bytes"] for s in stats if s)
            log(
                f"preview {len(running)} serving after {elapsed:.1f}s; sandboxes' RSS "
                f"{rss / 2**20:.0f} MB; memory used {memory_used_fraction():.0%}"
            )
        still = sum(1 for p in running if READY["nextjs"](p))
        figures.put("max_nextjs_previews", len(running))
        figures.put("max_still_serving", still)
        figures.put("max_stop_reason", reason.replace(" ", "_"))
        figures.put("max_memory_used_pct", round(memory_used_fraction() * 100))
    finally:
        for preview in running:
            preview.client.close()


# ---------------------------------------------------------------------------- cleanup


async def _teardown_network(cfg: LocalSandboxConfig) -> None:
    await netns.cleanup_stale(cfg, keep=set())
    await netns.teardown_firewall(cfg)


def cleanup(platform: Platform, cfg: LocalSandboxConfig, *, remove_data: bool = True) -> None:
    """Stop the platform, then remove anything of the bench's sandboxes it left."""
    platform.stop()
    uids = range(cfg.uid_base, cfg.uid_base + cfg.max_slots)
    for uid, procs in procfs.by_uid(uids).items():
        if procs:
            procfs.kill_uid(uid)
    if netns.network_supported():
        asyncio.run(_teardown_network(cfg))
    if remove_data:
        # rm is several times faster than shutil.rmtree on node_modules-sized trees.
        subprocess.run(["rm", "-rf", str(platform.root)], check=False)


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


# ---------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="warm runs per template")
    parser.add_argument("--cold-runs", type=int, default=1, help="cold nextjs runs")
    parser.add_argument("--hmr-runs", type=int, default=5)
    parser.add_argument("--requests", type=int, default=2000, help="gateway overhead GETs")
    parser.add_argument("--max-cap", type=int, default=24, help="most Next.js previews")
    parser.add_argument("--mem-limit", type=float, default=0.8, help="RAM share to stop at")
    parser.add_argument("--max-timeout", type=float, default=180, help="readiness bound (s)")
    parser.add_argument("--idle", type=float, default=30, help="idle hibernation (s)")
    parser.add_argument("--quick", action="store_true", help="2 runs, fewer requests, cap 4")
    parser.add_argument("--skip-max", action="store_true", help="skip max_nextjs_previews")
    parser.add_argument("--keep", action="store_true", help="keep the data dir (debugging)")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.hmr_runs, args.requests, args.max_cap = 2, 2, 500, 4
    signal.signal(signal.SIGTERM, _interrupt)

    figures = Figures()
    started = time.monotonic()
    root = Path(tempfile.mkdtemp(prefix="aw-bench-preview-"))
    platform = Platform(
        root, free_port(), extra_env={"APPWRIGHT_PREVIEW_IDLE_SECONDS": str(args.idle)}
    )
    email, password = "bench@example.com", "bench password 1"
    api = Api(platform.base_url, email, password)
    bench = Bench(platform, api)
    figures.put("load_start", load_average())
    try:
        platform.start()
        api.signup()
        # The free plan's project limit would stop the max phase: make the account
        # enterprise in the database (there is no API to change a plan).
        with sqlite3.connect(platform.data_dir / "appwright.db") as db:
            db.execute(
                "UPDATE users SET subscription_tier = 'enterprise' WHERE email = ?", (email,)
            )
        log(f"platform on {platform.base_url}, data dir {platform.data_dir}")

        cold: list[float] = []
        for run in range(args.cold_runs):
            if run:  # empty the package cache again: the next create runs npm ci
                shutil.rmtree(platform.data_dir / "cache" / "templates", ignore_errors=True)
            preview, elapsed = bench.create_and_serve("nextjs", 900)
            log(f"cold nextjs run {run + 1}: {elapsed:.2f}s")
            if preview is not None:
                cold.append(elapsed)
                bench.delete(preview)
        figures.put("cold_nextjs_s", round(p50(cold), 2) if cold else "nan")
        figures.put("cold_nextjs_runs", len(cold))

        nextjs = bench_create(bench, figures, args.runs)
        if nextjs is not None:
            rss = bench.status(nextjs)["stats"]["rss_bytes"]
            bench_hmr(bench, figures, nextjs, args.hmr_runs)
            bench_overhead(bench, figures, nextjs, args.requests)
            stats = bench.status(nextjs)["stats"]
            figures.put("running_rss_fresh_mb", round(rss / 2**20))
            figures.put("running_rss_mb", round(stats["rss_bytes"] / 2**20))
            figures.put("running_processes", stats["process_count"])
            bench_hibernation(bench, figures, nextjs, args.idle)
            bench.delete(nextjs)
        figures.put("load_after_phase1", load_average())

        if not args.skip_max:
            # Hibernation must not stop previews nobody looks at during this phase.
            platform.stop()
            platform.extra_env["APPWRIGHT_PREVIEW_IDLE_SECONDS"] = "86400"
            platform.start()
            api.signin()
            bench_max(bench, figures, args.max_cap, args.mem_limit, args.max_timeout)
        figures.put("load_end", load_average())
    except KeyboardInterrupt:
        figures.notes.append("interrupted")
    except Exception as exc:  # a benchmark reports what it got, then cleans up
        traceback.print_exc()
        figures.notes.append(f"stopped by {exc!r}")
    finally:
        api.close()
        cleanup(platform, bench.cfg, remove_data=not args.keep)
        if args.keep:
            print(f"kept {root}")
    figures.put("bench_minutes", round((time.monotonic() - started) / 60, 1))
    for note in figures.notes:
        print(f"note: {note}")
    order = [
        "warm_nextjs_s",
        "warm_react_vite_s",
        "warm_static_s",
        "cold_nextjs_s",
        "hmr_visible_s",
        "gateway_overhead_p50_ms",
        "gateway_overhead_p99_ms",
        "running_rss_mb",
        "hibernated_processes",
        "max_nextjs_previews",
    ]
    values = dict(figures.values)
    values.setdefault("max_nextjs_previews", "skipped")
    first = [f"{k}={values.pop(k, 'nan')}" for k in order]
    rest = [f"{k}={v}" for k, v in values.items()]
    print("RESULT " + " ".join(first + rest), flush=True)


if __name__ == "__main__":
    main()
