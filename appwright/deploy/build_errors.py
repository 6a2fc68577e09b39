"""A failed build's errors, read from its log: file, line, column and what went wrong.

Builds print errors the way their dev servers do (Next.js, Vite, TypeScript), so the
dev-server reader of ``diagnostics`` reads them; only errors that point at the project's
own files are kept first, and at most ``MAX_ERRORS``.
"""

from __future__ import annotations

from dataclasses import dataclass

from appwright.diagnostics.devserver import DevServerErrors

MAX_ERRORS = 10


@dataclass(frozen=True, slots=True)
class BuildError:
    message: str
    file: str | None
    line: int | None
    column: int | None

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


def parse_build_errors(log: str) -> list[BuildError]:
    """The errors of a build log, those with a location in the project first."""
    reader = DevServerErrors()
    found = []
    for line in log.splitlines():
        found += reader.feed(line)[0]
    found += reader.flush()
    errors = [BuildError(" ".join(e.message.split()), e.file, e.line, e.column) for e in found]
    located = [e for e in errors if e.file is not None]
    # Where some errors name a place, the others are their headings ("Failed to compile").
    return (located or errors)[:MAX_ERRORS]
