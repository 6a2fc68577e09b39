"""How the fake Vercel "builds" a deployment: a fixed plan of log lines and an outcome.

Nothing is executed. The rule, from the deployment's files and ``projectSettings``:

* the build command is ``projectSettings.buildCommand``, else ``npm run build`` when
  ``package.json`` has a ``scripts.build``, else there is none (files served as they are);
* the build fails (``ERROR``) when a file named ``VERCEL_BUILD_FAILS`` is deployed (its
  text, stripped, is printed on stderr and becomes ``errorMessage``), or when the command
  that runs is ``exit N`` with N ≠ 0 — given as the build command, or as ``scripts.build``
  behind ``npm run build`` — (``Error: Command "npm run build" exited with N``);
* otherwise it is ``READY``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

FAIL_FILE = "VERCEL_BUILD_FAILS"
_EXIT = re.compile(r"^\s*exit\s+(\d+)\s*$")


@dataclass(frozen=True, slots=True)
class BuildPlan:
    lines: tuple[tuple[str, str], ...]
    """``(event type, text)`` in the order the build prints them."""
    ready_state: str
    error_code: str | None = None
    error_message: str | None = None


def _exit_status(command: str | None) -> int:
    match = _EXIT.match(command or "")
    return int(match.group(1)) if match else 0


def _scripts(files: dict[str, bytes]) -> dict[str, Any] | None:
    raw = files.get("package.json")
    if raw is None:
        return None
    try:
        manifest = json.loads(raw)
    except ValueError:
        return {}
    scripts = manifest.get("scripts") if isinstance(manifest, dict) else None
    return scripts if isinstance(scripts, dict) else {}


def plan_build(files: dict[str, bytes], settings: dict[str, Any]) -> BuildPlan:
    """The build of ``files`` (path → bytes) with ``settings`` (``projectSettings``)."""
    lines: list[tuple[str, str]] = [
        ("stdout", "Running build in Washington, D.C., USA (East) – iad1"),
        ("stdout", f"Downloading {len(files)} deployment files..."),
    ]
    scripts = _scripts(files)
    if scripts is not None:
        install = settings.get("installCommand") or "npm install"
        lines += [("command", f'Running "{install}"'), ("stdout", "added 1 package in 1s")]
    command = settings.get("buildCommand") or (
        "npm run build" if scripts and isinstance(scripts.get("build"), str) else None
    )
    status = 0
    if command is not None:
        lines.append(("command", f'Running "{command}"'))
        status = _exit_status(command)
        if command == "npm run build" and scripts:
            lines.append(("stdout", f"> build\n> {scripts['build']}"))
            status = status or _exit_status(str(scripts["build"]))
    failing = next((p for p in files if p.rsplit("/", 1)[-1] == FAIL_FILE), None)
    if failing is not None:
        text = files[failing].decode("utf-8", "replace").strip() or "Build failed"
        return BuildPlan((*lines, ("stderr", text)), "ERROR", "BUILD_FAILED", text)
    if status:
        text = f'Command "{command}" exited with {status}'
        return BuildPlan(
            (*lines, ("stderr", f"Error: {text}")), "ERROR", f"BUILD_UTILS_SPAWN_{status}", text
        )
    lines += [
        ("stdout", "Build Completed in /vercel/output [1s]"),
        ("stdout", "Deploying outputs..."),
        ("stdout", "Deployment completed"),
    ]
    return BuildPlan(tuple(lines), "READY")
