"""What of a file's text may be shown: env files without their values, compact diffs.

The agent (file tools, the files context) and version summaries both show file text to
a model or a person, so both take it through here.
"""

from __future__ import annotations

import difflib
import posixpath
import re

__all__ = ["is_env_file", "redact_env", "unified_diff"]

_DIFF_LINES = 200
_ENV_LINE = re.compile(r"^(\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.]*\s*=).*$")


def is_env_file(path: str) -> bool:
    """``.env``, ``.env.local``... hold secrets: their values never reach the model."""
    return posixpath.basename(path).startswith(".env")


def redact_env(text: str) -> str:
    """Keep the variable names of an env file, drop every value."""
    return "\n".join(_ENV_LINE.sub(r"\1<redacted>", line) for line in text.splitlines())


def unified_diff(path: str, before: str | None, after: str | None) -> str:
    """A compact unified diff (2 lines of context, capped) for the chat's file cards."""
    lines = list(
        difflib.unified_diff(
            (before or "").splitlines(),
            (after or "").splitlines(),
            fromfile=f"a/{path}" if before is not None else "/dev/null",
            tofile=f"b/{path}" if after is not None else "/dev/null",
            n=2,
            lineterm="",
        )
    )
    if len(lines) > _DIFF_LINES:
        lines = [*lines[:_DIFF_LINES], f"... ({len(lines) - _DIFF_LINES} more diff lines)"]
    return "\n".join(lines)
