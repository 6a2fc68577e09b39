"""Publishing, end to end through the real product: publish → ready, rollback, serving.

    .venv/bin/python bench/deploy.py [--runs 2] [--static-runs 5] [--flips 5]
                                     [--requests 500] [--floor-nice 0]
                                     [--sandbox-memory-mb MB] [--keep]

Starts ``appwright run`` as a subprocess (temporary data dir, the bench's own sandbox
names/uids/subnet, a free port, no dev server started on project creation so none
competes with the builds), creates a verified account with the CLI, signs in and does
what a person publishing does: edit a page, save a version, ``POST /api/deploy/{id}/local``,
then poll ``GET /api/deploy/{id}/history`` until the deployment is ``ready``. The
address is reached through the platform's port with ``Host: {slug}.apps.localhost``.
Figures:

* publish → ready for a ``nextjs`` project with one changed page: the first publish is
  a warm-up (it fills the package cache: ``npm ci``), then p50 of ``--runs``;
* the floor: the same app's bare ``next build``, interleaved with the publishes — the
  ready deployment's workspace (``workspaces/app-{hex}``) copied (``node_modules`` as
  hard links), ``.next`` removed, ``next build`` run directly on the host;
* publish → ready for a ``static`` project, p50 of ``--static-runs``;
* rollback: ``POST …/rollback`` → the address serves the earlier content, static
  (p50 of ``--flips``) and Next.js (the earlier deployment's server sleeps: until it
  serves again);
* what the platform adds when serving: alternating keep-alive GETs of ``/`` through the
  platform and straight to the ``next start`` server in its sandbox (p50 of each); the
  static site through the platform only.

Needs root and bubblewrap (real sandboxes). Ends with one ``RESULT`` line; targets live
in docs/PERFORMANCE.md. Every process, network namespace and the data dir are removed at
the end, Ctrl-C included.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from appwright.deploy.local import app_id
from appwright.sandbox import netns
from appwright.sandbox.config import LocalSandboxConfig
from bench._common import ROOT, Api, Platform, RawClient, load_average, p50
from bench.gateway import free_port
from bench.preview import Figures, cleanup, log

PAGE_TEXT = "Your app starts here"
NEXT_PAGE = "pages/index.tsx"
STATIC_PAGE = "index.html"
POLL_S = 0.05
WARMUP_REQUESTS = 50
PUBLISH_TIMEOUT_S = {"nextjs": 900.0, "static": 120.0}
WAKE_TIMEOUT_S = 180.0


@dataclass
class Published:
    """A project published at ``slug`` and the deployments made of it, oldest first."""

    project: dict[str, Any]
    slug: str
    deployments: list[tuple[str, str]]
    """(deployment id, the text its page shows)."""

    @property
    def id(self) -> str:
        return str(self.project["id"])


class Bench:
    """The platform under test, a signed-in client and a client for published apps."""

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
        self.visitor = httpx.Client(
            base_url=platform.base_url, timeout=30, trust_env=False, headers={"Accept": "text/html"}
        )

    def close(self) -> None:
        self.visitor.close()

    # ------------------------------------------------------------------ the person's side

    def create(self, template: str) -> Published:
        suffix = uuid.uuid4().hex[:6]
        body = {"name": f"bench-{template}-{suffix}", "template": template}
        project: dict[str, Any] = self.api.call("POST", "/api/projects", json=body).json()
        return Published(project, f"bench-{template}-{suffix}", [])

    def save_page(self, app: Published, path: str, original: str, text: str) -> None:
        """One changed page, saved as a version (what gets published)."""
        content = original.replace(PAGE_TEXT, text)
        self.api.call("PUT", f"/api/files/{app.id}/{path}", json={"content": content})
        saved = self.api.call(
            "POST", f"/api/version-history/{app.id}/save", json={"message": f"Bench: {text}"}
        ).json()
        if saved["version"] is None:
            raise RuntimeError(f"saving {path} made no version")

    def publish(self, app: Published, text: str, timeout_s: float) -> float:
        """POST publish → the deployment is ``ready``: seconds (raises if it failed)."""
        started = time.perf_counter()
        dep = self.api.call("POST", f"/api/deploy/{app.id}/local", json={"slug": app.slug}).json()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            history = self.api.call("GET", f"/api/deploy/{app.id}/history").json()
            row = next(d for d in history if d["id"] == dep["id"])
            if row["status"] in ("ready", "error", "canceled"):
                break
            time.sleep(POLL_S)
        else:
            raise RuntimeError(f"deployment {dep['id']} not ready after {timeout_s:.0f}s")
        elapsed = time.perf_counter() - started
        if row["status"] != "ready":
            build_log = self.api.call(
                "GET", f"/api/deploy/{app.id}/logs", params={"deployment_id": dep["id"]}
            ).text
            tail = "\n".join(build_log.splitlines()[-30:])
            raise RuntimeError(f"deployment {row['status']}: {row['error_summary']}\n{tail}")
        app.deployments.append((str(dep["id"]), text))
        return elapsed

    def rollback(self, app: Published, deployment_id: str) -> None:
        body = {"deployment_id": deployment_id}
        self.api.call("POST", f"/api/deploy/{app.id}/rollback", json=body)

    # ------------------------------------------------------------------ the visitor's side

    def host(self, app: Published) -> str:
        return f"{app.slug}.apps.localhost:{self.platform.port}"

    def serves(self, app: Published, text: str) -> bool:
        try:
            response = self.visitor.get("/", headers={"Host": self.host(app)})
        except httpx.HTTPError:
            return False
        return response.status_code == 200 and text in response.text

    def wait_serving(self, app: Published, text: str, timeout_s: float) -> float:
        """Seconds until the address serves ``text`` (raises past ``timeout_s``)."""
        started = time.perf_counter()
        deadline = time.monotonic() + timeout_s
        while not self.serves(app, text):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{app.slug} did not serve {text!r} within {timeout_s:.0f}s")
            time.sleep(POLL_S / 5)
        return time.perf_counter() - started

    # ------------------------------------------------------------------ a server app's sandbox

    def app_workspace(self, deployment_id: str) -> Path:
        return self.cfg.workspaces / app_id(deployment_id)

    def app_upstream(self, deployment_id: str) -> tuple[str, int]:
        """Where the deployment's ``next start`` listens: its sandbox's address, and the
        port found listening in the sandbox's network namespace."""
        slots = json.loads((self.cfg.state_dir / "slots.json").read_text())
        net = netns.slot_network(self.cfg, int(slots[app_id(deployment_id)]))
        listeners = subprocess.run(
            ["ip", "netns", "exec", net.namespace, "ss", "-ltnH"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        # ``LISTEN 0 511 0.0.0.0:3000 0.0.0.0:*``: the fourth column is the local address.
        ports = sorted({int(line.split()[3].rsplit(":", 1)[1]) for line in listeners})
        if not ports:
            raise RuntimeError(f"nothing listens in {net.namespace}")
        return net.sandbox_ip, ports[0]


# ---------------------------------------------------------------------------- phases


def next_build_floor(workspace: Path, scratch: Path, nice: int) -> float:
    """The app's bare ``next build`` on a copy of its built workspace: seconds."""
    copy = scratch / f"floor-{uuid.uuid4().hex[:8]}"
    copy.mkdir()
    try:
        for entry in workspace.iterdir():
            if entry.name == ".next":
                continue
            flags = "-al" if entry.name == "node_modules" else "-a"
            subprocess.run(["cp", flags, str(entry), str(copy / entry.name)], check=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("APPWRIGHT_")}
        env |= {"NODE_ENV": "production", "NEXT_TELEMETRY_DISABLED": "1"}
        started = time.perf_counter()
        done = subprocess.run(
            ["nice", "-n", str(nice), "./node_modules/.bin/next", "build"],
            cwd=copy,
            env=env,
            capture_output=True,
        )
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            out = done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
            raise RuntimeError(f"next build failed ({done.returncode}):\n{out[-3000:]}")
        return elapsed
    finally:
        subprocess.run(["rm", "-rf", str(copy)], check=False)


def bench_nextjs(bench: Bench, figures: Figures, runs: int, scratch: Path, nice: int) -> Published:
    """Warm-up publish, then ``runs`` publishes each followed by a bare ``next build``."""
    app = bench.create("nextjs")
    original = (ROOT / "templates/nextjs" / NEXT_PAGE).read_text()
    publishes: list[float] = []
    floors: list[float] = []
    for run in range(runs + 1):
        text = f"Published {run} {uuid.uuid4().hex[:8]}"
        bench.save_page(app, NEXT_PAGE, original, text)
        elapsed = bench.publish(app, text, PUBLISH_TIMEOUT_S["nextjs"])
        served = bench.wait_serving(app, text, 30)
        log(f"nextjs publish {run} (warm-up)" if not run else f"nextjs publish {run}")
        log(f"  POST → ready {elapsed:.2f}s, then served after {served * 1000:.0f} ms")
        if not run:
            figures.put("publish_nextjs_first_s", round(elapsed, 2))
            continue
        publishes.append(elapsed)
        floor = next_build_floor(bench.app_workspace(app.deployments[-1][0]), scratch, nice)
        floors.append(floor)
        log(f"  bare next build {floor:.2f}s")
    publish, floor = p50(publishes), p50(floors)
    figures.put("publish_nextjs_s", round(publish, 2))
    figures.put("next_build_floor_s", round(floor, 2))
    figures.put("publish_overhead_ratio", round(publish / floor, 2))
    figures.put("publish_overhead_s", round(publish - floor, 2))
    figures.put("publish_nextjs_runs", ",".join(f"{x:.2f}" for x in publishes))
    figures.put("next_build_floor_runs", ",".join(f"{x:.2f}" for x in floors))
    return app


def alternate(
    direct: RawClient | None, via: RawClient, requests: int, marker: str
) -> tuple[list[float], list[float]]:
    """Alternating GET ``/`` (direct, then through the platform): their milliseconds."""
    clients = [c for c in (direct, via) if c is not None]
    for _ in range(WARMUP_REQUESTS):
        for client in clients:
            client.get()
    d_times: list[float] = []
    v_times: list[float] = []
    body = b""
    for _ in range(requests):
        if direct is not None:
            ms, status, _ = direct.get()
            d_times.append(ms)
            if status != 200:
                raise RuntimeError(f"direct GET answered {status}")
        ms, status, body = via.get()
        v_times.append(ms)
        if status != 200:
            raise RuntimeError(f"GET through the platform answered {status}")
    if marker.encode() not in body:
        raise RuntimeError("the published page does not show the published text")
    return d_times, v_times


def bench_served(
    bench: Bench, figures: Figures, nextjs: Published, static: Published, requests: int
) -> None:
    """The platform's cost when serving: Next.js vs its server reached directly; static."""
    dep_id, text = nextjs.deployments[-1]
    ip, port = bench.app_upstream(dep_id)
    accept = {"Accept": "text/html,*/*"}
    direct = RawClient(ip, port, {"Host": f"{ip}:{port}", **accept})
    via = RawClient("127.0.0.1", bench.platform.port, {"Host": bench.host(nextjs), **accept})
    try:
        d_times, v_times = alternate(direct, via, requests, text)
    finally:
        direct.close()
        via.close()
    figures.put("served_overhead_p50_ms", round(p50(v_times) - p50(d_times), 3))
    figures.put("served_nextjs_p50_ms", round(p50(v_times), 3))
    figures.put("direct_nextjs_p50_ms", round(p50(d_times), 3))
    via = RawClient("127.0.0.1", bench.platform.port, {"Host": bench.host(static), **accept})
    try:
        _, s_times = alternate(None, via, requests, static.deployments[-1][1])
    finally:
        via.close()
    figures.put("served_static_p50_ms", round(p50(s_times), 3))


def bench_static(bench: Bench, figures: Figures, runs: int) -> Published:
    app = bench.create("static")
    original = (ROOT / "templates/static" / STATIC_PAGE).read_text()
    times: list[float] = []
    for run in range(runs):
        text = f"Published {run} {uuid.uuid4().hex[:8]}"
        bench.save_page(app, STATIC_PAGE, original, text)
        times.append(bench.publish(app, text, PUBLISH_TIMEOUT_S["static"]))
        bench.wait_serving(app, text, 10)
        log(f"static publish {run + 1}: POST → ready {times[-1]:.2f}s")
    figures.put("publish_static_s", round(p50(times), 2))
    figures.put("publish_static_max_s", round(max(times), 2))
    return app


def flip(bench: Bench, app: Published, to: tuple[str, str], timeout_s: float) -> float:
    """POST rollback → the address serves that deployment's page: seconds."""
    started = time.perf_counter()
    bench.rollback(app, to[0])
    bench.wait_serving(app, to[1], timeout_s)
    return time.perf_counter() - started


def bench_rollback(
    bench: Bench, figures: Figures, static: Published, nextjs: Published, flips: int
) -> None:
    first, last = static.deployments[0], static.deployments[-1]
    times = [flip(bench, static, first if i % 2 == 0 else last, 10) for i in range(flips)]
    log("static rollbacks: " + ", ".join(f"{x * 1000:.0f} ms" for x in times))
    figures.put("rollback_ms", round(p50(times) * 1000, 1))
    figures.put("rollback_max_ms", round(max(times) * 1000, 1))
    # The earlier Next.js deployment was put to sleep when the next one went live: the
    # rollback wakes it on the first request (a "waking up" page until it serves).
    back = flip(bench, nextjs, nextjs.deployments[-2], WAKE_TIMEOUT_S)
    forth = flip(bench, nextjs, nextjs.deployments[-1], WAKE_TIMEOUT_S)
    log(f"nextjs rollback {back:.2f}s, then forward again {forth:.2f}s")
    figures.put("rollback_nextjs_s", round(back, 2))
    figures.put("rollforward_nextjs_s", round(forth, 2))


# ---------------------------------------------------------------------------- main


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=2, help="Next.js publishes after the warm-up")
    parser.add_argument("--static-runs", type=int, default=5, help="static publishes")
    parser.add_argument("--flips", type=int, default=5, help="static rollbacks")
    parser.add_argument("--requests", type=int, default=500, help="GETs per serving figure")
    parser.add_argument(
        "--floor-nice", type=int, default=0, help="niceness of the bare next build (sandboxes: 5)"
    )
    parser.add_argument(
        "--sandbox-memory-mb",
        type=int,
        help="every sandbox's memory limit (APPWRIGHT_SANDBOX_MEMORY_MB), e.g. where builds "
        "have no limit of their own",
    )
    parser.add_argument("--keep", action="store_true", help="keep the data dir (debugging)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _interrupt)

    figures = Figures()
    started = time.monotonic()
    root = Path(tempfile.mkdtemp(prefix="aw-bench-deploy-"))
    scratch = root / "floor"
    scratch.mkdir()
    platform = Platform(
        root,
        free_port(),
        sandbox_prefix="awd",
        uid_base=230_000,
        subnet="10.219.0.0/20",
        proxy_port=3134,
        extra_env={
            "APPWRIGHT_AUTOSTART_PREVIEWS": "false",  # no dev server competes with builds
            # `next build` needs more than a dev server's default limit.
            "APPWRIGHT_BUILD_MEMORY_MB": "4096",
        },
    )
    if args.sandbox_memory_mb is not None:
        platform.extra_env["APPWRIGHT_SANDBOX_MEMORY_MB"] = str(args.sandbox_memory_mb)
    email, password = "bench@example.com", "bench password 1"
    api = Api(platform.base_url, email, password)
    bench = Bench(platform, api)
    figures.put("load_start", load_average())
    try:
        platform.cli("create-user", email, "--password", password, "--tier", "enterprise")
        platform.start()
        api.signin()
        log(f"platform on {platform.base_url}, data dir {platform.data_dir}")
        nextjs = bench_nextjs(bench, figures, max(1, args.runs), scratch, args.floor_nice)
        figures.put("load_after_nextjs", load_average())
        static = bench_static(bench, figures, max(2, args.static_runs))
        bench_served(bench, figures, nextjs, static, args.requests)
        bench_rollback(bench, figures, static, nextjs, args.flips)
        figures.put("load_end", load_average())
    except KeyboardInterrupt:
        figures.notes.append("interrupted")
    except Exception as exc:  # a benchmark reports what it got, then cleans up
        traceback.print_exc()
        figures.notes.append(f"stopped by {exc!r}")
    finally:
        api.close()
        bench.close()
        cleanup(platform, bench.cfg, remove_data=not args.keep)
        if args.keep:
            print(f"kept {root}")
    figures.put("bench_minutes", round((time.monotonic() - started) / 60, 1))
    for note in figures.notes:
        print(f"note: {note}")
    order = [
        "publish_nextjs_s",
        "next_build_floor_s",
        "publish_overhead_ratio",
        "publish_static_s",
        "rollback_ms",
        "served_overhead_p50_ms",
    ]
    values = dict(figures.values)
    first = [f"{k}={values.pop(k, 'nan')}" for k in order]
    rest = [f"{k}={v}" for k, v in values.items()]
    print("RESULT " + " ".join(first + rest), flush=True)


if __name__ == "__main__":
    main()
