"""Text the loop derives from a turn: suggested next steps and the commit message."""

from __future__ import annotations

import re

__all__ = ["commit_message", "parse_suggestions"]

_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*)?\**\s*(?:suggested\s+)?next\s+steps?\s*\**\s*:?\s*\**\s*$", re.I | re.M
)
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+(.+?)\s*$")


def parse_suggestions(text: str, limit: int = 4) -> list[str]:
    """The bullets under the last "Next steps" heading of the final message."""
    matches = list(_HEADING.finditer(text))
    if not matches:
        return []
    found: list[str] = []
    for line in text[matches[-1].end() :].splitlines():
        if not line.strip():
            if found:
                break
            continue
        m = _BULLET.match(line)
        if m is None:
            break
        item = m.group(1).strip().strip("*_ ").rstrip(".")
        if item:
            found.append(item[:200])
    return found[:limit]


def commit_message(request: str, changed: list[str]) -> str:
    """A commit message for an AI turn: the request as subject, the files in the body."""
    subject = " ".join(request.split()) or "AI changes"
    if len(subject) > 72:
        subject = subject[:71].rstrip() + "…"
    if not changed:
        return subject
    listed = "\n".join(f"- {path}" for path in changed[:50])
    more = f"\n- … and {len(changed) - 50} more" if len(changed) > 50 else ""
    return f"{subject}\n\nFiles changed by the AI:\n{listed}{more}"
