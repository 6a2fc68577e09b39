"""Sandboxes: isolated places where a project's commands and dev server run.

``base`` holds the engine-neutral interface; ``local`` the bubblewrap backend;
``supervisor`` keeps dev servers running (restart, readiness, hibernation).
"""

from appwright.sandbox.base import (
    ExecEvent,
    IsolationLevel,
    LogLine,
    ProcessInfo,
    ProcessSpec,
    ProcessStatus,
    ProjectState,
    RestartPolicy,
    Sandbox,
    SandboxBackend,
    SandboxError,
    SandboxLimits,
    SandboxNotFound,
    SandboxStats,
    TemplateSpec,
)

__all__ = [
    "ExecEvent",
    "IsolationLevel",
    "LogLine",
    "ProcessInfo",
    "ProcessSpec",
    "ProcessStatus",
    "ProjectState",
    "RestartPolicy",
    "Sandbox",
    "SandboxBackend",
    "SandboxError",
    "SandboxLimits",
    "SandboxNotFound",
    "SandboxStats",
    "TemplateSpec",
]
