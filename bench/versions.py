"""Benchmark: revert across 500 versions, timeline of 500 versions, tree of 5,000 files.

Builds a project of ``--files`` source files plus a ``node_modules`` of ``--deps`` files,
commits ``--versions`` versions (each changing a few files, sometimes adding or deleting
one), then measures:

* revert to versions spread across the history (each a new forward commit), p50 and max;
* the timeline of the latest 500 versions with their changed files (one ``git log``);
* the file tree of the workspace, node_modules excluded.

Prints figures and ends with ``RESULT revert_500_ms=<max> ... timeline_500_ms=<p50>
tree_5000_ms=<p50>``. Targets (docs/PERFORMANCE.md): revert ≤ 300 ms, timeline ≤ 200 ms,
tree ≤ 100 ms. Run: ``.venv/bin/python bench/versions.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from appwright.versions.git import runner as git_module
from appwright.versions.git.maintenance import wait_for_maintenance
from appwright.versions.git.repo import ProjectRepo
from appwright.workspace.local import LocalWorkspace


def build_project(root: Path, files: int, deps: int) -> list[str]:
    """Write ``files`` source files in nested folders and ``deps`` files in node_modules."""
    paths: list[str] = []
    for i in range(files):
        rel = f"src/feature{i % 50}/part{(i // 50) % 10}/file{i}.ts"
        paths.append(rel)
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"export const value{i} = {i};\n" * 20)
    for i in range(deps):
        path = root / f"node_modules/pkg{i % 300}/lib/mod{i}.js"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"module.exports = {i};\n")
    return paths


async def make_history(repo: ProjectRepo, root: Path, paths: list[str], versions: int) -> list[str]:
    """Commit ``versions`` versions: 3 files edited each, one added every 10th, one deleted.

    Like real development, 90 % of the edits fall in a working set of 150 files (pages,
    components the AI keeps refining), the rest anywhere in the project.
    """
    rng = random.Random(5)
    hashes: list[str] = []
    live = list(paths)
    hot = rng.sample(paths, 150)
    for n in range(versions):
        alive = set(live)
        hot_alive = [p for p in hot if p in alive]
        pool = hot_alive if rng.random() < 0.9 and len(hot_alive) >= 3 else live
        for rel in rng.sample(pool, 3):
            (root / rel).write_text(f"// version {n}\nexport const v = {rng.random()};\n")
        if n % 10 == 3:
            rel = f"src/added/v{n}.ts"
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(f"export const added = {n};\n")
            live.append(rel)
        if n % 10 == 7:
            victim = live.pop(rng.randrange(len(live)))
            (root / victim).unlink()
        version = await repo.commit_all(f"Version {n}", "ai" if n % 2 else "person")
        assert version is not None
        hashes.append(version.hash)
    return hashes


async def timed(fn: Callable[[], Awaitable[object]]) -> float:
    start = time.perf_counter()
    await fn()
    return (time.perf_counter() - start) * 1000


def summary(values: list[float]) -> str:
    return f"p50 {statistics.median(values):.1f} ms, max {max(values):.1f} ms, n={len(values)}"


async def main(versions: int, files: int, deps: int, reverts: int, jail: str) -> None:
    if jail == "off":
        git_module.jail_enabled = False
    print(f"work-tree commands jailed: {await git_module.jail_available()}")
    with tempfile.TemporaryDirectory(prefix="appwright-bench-") as tmp:
        root = Path(tmp) / "ws"
        root.mkdir()
        start = time.perf_counter()
        paths = build_project(root, files, deps)
        repo = ProjectRepo(root, Path(tmp) / "repo.git")
        await repo.init()
        print(
            f"setup: {files} files + {deps} in node_modules,"
            f" init in {time.perf_counter() - start:.1f} s"
        )
        start = time.perf_counter()
        hashes = await make_history(repo, root, paths, versions)
        elapsed = time.perf_counter() - start
        print(
            f"history: {versions} versions in {elapsed:.1f} s"
            f" ({elapsed / versions * 1000:.1f} ms per commit)"
        )

        # A server has idle time between turns; let background packing finish first.
        await wait_for_maintenance()
        objects = await repo.git.run("count-objects", "-v")
        stats = dict(line.split(": ") for line in objects.text.splitlines())
        print(
            f"objects: {stats['count']} loose, {stats['in-pack']} packed in {stats['packs']} packs"
        )
        print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

        timeline_ms: list[float] = []
        for _ in range(7):
            timeline_ms.append(await timed(lambda: repo.timeline(limit=500)))
        count = len(await repo.timeline(limit=500))
        print(f"timeline of {count} versions with files: {summary(timeline_ms)}")

        workspace = LocalWorkspace(root)
        tree = await workspace.tree()
        tree_ms = [await timed(workspace.tree) for _ in range(7)]
        print(f"tree of {tree.file_count} files (node_modules excluded): {summary(tree_ms)}")

        step = max(1, len(hashes) // reverts)
        targets = hashes[::step][:reverts]
        random.Random(7).shuffle(targets)
        revert_ms: list[float] = []
        changed: list[int] = []
        for target in targets:
            start = time.perf_counter()
            result = await repo.revert(target)
            revert_ms.append((time.perf_counter() - start) * 1000)
            changed.append(len(result.version.files) if result.version else 0)
        print(
            f"revert to {len(targets)} versions across history: {summary(revert_ms)};"
            f" files restored per revert: median {statistics.median(changed):.0f},"
            f" max {max(changed)}"
        )

        print(
            f"RESULT revert_500_ms={max(revert_ms):.1f}"
            f" revert_500_p50_ms={statistics.median(revert_ms):.1f}"
            f" timeline_500_ms={statistics.median(timeline_ms):.1f}"
            f" tree_5000_ms={statistics.median(tree_ms):.1f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--versions", type=int, default=500)
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--deps", type=int, default=30000)
    parser.add_argument("--reverts", type=int, default=20)
    parser.add_argument(
        "--jail",
        choices=["auto", "off"],
        default="auto",
        help="off: run work-tree git commands unjailed (to measure what the jail costs)",
    )
    args = parser.parse_args()
    asyncio.run(main(args.versions, args.files, args.deps, args.reverts, args.jail))
