"""Compile errors read from a dev server's output (Next.js, Vite, TypeScript, Node).

Dev servers print an error as a block: a first line that says what failed (often with
``file:line:col``), then a few lines of detail or a code frame. ``DevServerErrors`` reads
log lines one at a time, closes a block at a blank line, a success line or a size limit,
and forgets the errors when the server reports a successful compile again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ERROR_START = re.compile(
    r"(⨯|✗|\[vite\] .*error|Internal server error|Pre-transform error|Failed to compile|"
    r"Module not found|SyntaxError|TypeError|ReferenceError|Type error:|error TS\d+|"
    r"Error: |\bERROR\b|Parsing ecmascript source code failed)",
    re.IGNORECASE,
)
SUCCESS = re.compile(
    r"(✓ Compiled|Compiled successfully|compiled client and server successfully|"
    r"hmr update|page reload|✓ Ready|ready in \d+|ready on http)",
    re.IGNORECASE,
)
_FILE = r"((?:\./|/)?[\w./@-]+\.(?:tsx?|jsx?|mjs|cjs|vue|css|html))"
LOCATION = re.compile(_FILE + r":(\d+)(?::(\d+))?")
# Vite/Babel: "/workspace/src/App.tsx: Unexpected token (5:12)"
LOCATION_AFTER = re.compile(_FILE + r": .*?\((\d+):(\d+)\)")
# tsc: "src/App.tsx(2,1): error TS1005: '}' expected."
LOCATION_TSC = re.compile(_FILE + r"\((\d+),(\d+)\)")
BARE_LOCATION = re.compile(r"^\s*[⨯✗]?\s*" + _FILE + r":\d+(?::\d+)?\s*$")
# ESLint under ``next build``: the file alone ("./pages/index.tsx"), then its problems as
# "1:30  Error: Parsing error: '}' expected.  rule" (or without the place).
BARE_FILE = re.compile(r"^\s*(\./[\w./@-]+\.(?:tsx?|jsx?|mjs|cjs|vue))\s*$")
ESLINT_PROBLEM = re.compile(r"^\s*(?:(\d+):(\d+)\s+)?(?:Error|Warning):\s+(.+?)(?:\s{2,}\S+)?$")
SANDBOX_ROOT = "/workspace/"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
MAX_BLOCK_LINES = 25
MAX_ERRORS = 20


@dataclass(frozen=True)
class DevServerError:
    """One compile/runtime error as the dev server reported it."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    detail: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "source": "dev-server",
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "detail": self.detail,
        }


@dataclass
class DevServerErrors:
    """Feeds on log lines; ``current`` holds the errors of the latest compile."""

    current: list[DevServerError] = field(default_factory=list)
    _block: list[str] = field(default_factory=list)

    def feed(self, raw: str) -> tuple[list[DevServerError], bool]:
        """Take one line; return (errors completed by it, whether the errors were cleared)."""
        line = ANSI.sub("", raw).rstrip()
        completed: list[DevServerError] = []
        if SUCCESS.search(line):
            completed = self._close()
            had = bool(self.current)
            self.current.clear()
            return completed, had
        if self._block:
            if not line.strip() or len(self._block) >= MAX_BLOCK_LINES:
                completed = self._close()
            elif (
                ERROR_START.search(line)
                and not line.startswith((" ", "\t", "|", ">"))
                and not (
                    len(self._block) == 1
                    and (BARE_LOCATION.match(self._block[0]) or BARE_FILE.match(self._block[0]))
                )
            ):
                completed = self._close()
                self._block = [line]
            else:
                self._block.append(line)
        elif line.strip() and (
            ERROR_START.search(line) or BARE_LOCATION.match(line) or BARE_FILE.match(line)
        ):
            # A line that is only a place ("./pages/index.tsx:1:16", as ``next build``
            # prints it) heads the error on the lines after it.
            self._block = [line]
        return completed, False

    def flush(self) -> list[DevServerError]:
        """Close the block in progress (the server went quiet)."""
        return self._close()

    def _close(self) -> list[DevServerError]:
        if not self._block:
            return []
        block, self._block = self._block, []
        error = _parse_block(block)
        if error in self.current:
            return []
        self.current.append(error)
        del self.current[:-MAX_ERRORS]
        return [error]


def _location(text: str) -> tuple[str, int, int | None] | None:
    """The first source location in ``text`` that is the project's own (not a dependency)."""
    found: list[tuple[int, str, int, int | None]] = []
    for pattern in (LOCATION, LOCATION_AFTER, LOCATION_TSC):
        for m in pattern.finditer(text):
            path = m.group(1)
            if "node_modules" in path:
                continue
            column = int(m.group(3)) if m.group(3) else None
            found.append((m.start(), path, int(m.group(2)), column))
    if not found:
        return None
    _, path, line, column = min(found)
    path = path.removeprefix(SANDBOX_ROOT).removeprefix("./")
    return path, line, column


def _eslint_block(block: list[str]) -> DevServerError | None:
    """A file line and the ESLint problem under it, or None if the block is not that."""
    head = BARE_FILE.match(block[0])
    problems = [m for line in block[1:] if (m := ESLINT_PROBLEM.match(line))]
    if head is None or not problems:
        return None
    first = problems[0]
    return DevServerError(
        message=first.group(3)[:500],
        file=head.group(1).removeprefix("./"),
        line=int(first.group(1)) if first.group(1) else None,
        column=int(first.group(2)) if first.group(2) else None,
        detail="\n".join(block[1:])[:4000],
    )


def _parse_block(block: list[str]) -> DevServerError:
    if (eslint := _eslint_block(block)) is not None:
        return eslint
    location = _location("\n".join(block))
    first = block[0].strip().lstrip("⨯✗ ").strip()
    message = first
    if BARE_LOCATION.match(block[0]):
        # The first line is only the location; the next non-frame line says what failed.
        for candidate in block[1:]:
            stripped = candidate.strip()
            if stripped and not re.match(r"^\d+\s*\||^>|^\|", stripped):
                message = f"{stripped} ({first})"
                break
    return DevServerError(
        message=message[:500],
        file=location[0] if location else None,
        line=location[1] if location else None,
        column=location[2] if location else None,
        detail="\n".join(block[1:])[:4000],
    )
