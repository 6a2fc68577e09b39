"""Idle autosave: a person's saved edits become one version once they have rested.

Every change a person makes through the file API calls :meth:`IdleAutosave.touch`, which
(re)starts the project's timer; after ``autosave_version_idle_seconds`` without another
change, the edits not yet in a version are committed as one person version (its message
written like a "save version" without a message: by the owner's model, else from the
files). Nothing is committed when the working tree equals HEAD; while an AI turn runs on
the project the timer starts over (the turn's own commit takes the edits in). A change
arriving while a version is being written restarts the timer once that is done. Timers
are in-process: they live as long as the server, which closes them on shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from typing import TYPE_CHECKING, Literal

from appwright.chat.repository import turn_running
from appwright.core.events import Event
from appwright.models import Project
from appwright.sandbox.service import project_topic

if TYPE_CHECKING:
    from appwright.core.context import AppContext

__all__ = ["IdleAutosave", "Outcome", "autosave_project"]

log = logging.getLogger("appwright.versions")

Outcome = Literal["saved", "unchanged", "busy", "gone"]


async def _busy(ctx: AppContext, project_id: uuid.UUID) -> bool:
    async with ctx.sessions() as session:
        return await turn_running(session, project_id)


async def autosave_project(ctx: AppContext, project_id: uuid.UUID) -> Outcome:
    """Commit the project's unsaved edits as one person version, unless a turn runs.

    ``saved``: a version was made (and recorded, and announced as ``version:created``);
    ``unchanged``: the files equal the current version; ``busy``: an AI turn is running;
    ``gone``: the project or its history no longer exists.
    """
    # ``service`` imports the context module, which builds this module's IdleAutosave.
    from appwright.versions import service

    async with ctx.sessions() as session:
        project = await session.get(Project, project_id)
    if project is None:
        return "gone"
    if await _busy(ctx, project_id):
        return "busy"
    repo = service.repo_of(ctx.runtime, project)
    if not await repo.is_initialized():
        return "gone"
    if not await repo.status():
        return "unchanged"
    message = await service.person_message(ctx, project)
    if await _busy(ctx, project_id):  # a turn began while the model wrote the message
        return "busy"
    async with ctx.sessions() as session:
        version = await service.record_version(session, ctx.runtime, project, message=message)
        await session.commit()
    if version is None:
        return "unchanged"
    log.info("versions.autosaved project=%s commit=%s", project_id, version.short_hash)
    data = {
        "hash": version.hash,
        "message": version.message,
        "files": [f.path for f in version.files],
        "author": "person",
        "autosave": True,
    }
    await ctx.events.publish(project_topic(str(project_id)), Event("version:created", data))
    return "saved"


class IdleAutosave:
    """One idle timer per project; ``touch`` after each change a person saves."""

    def __init__(self, ctx: AppContext) -> None:
        self._ctx = ctx
        self._timers: dict[uuid.UUID, asyncio.Task[None]] = {}
        self._saving: set[uuid.UUID] = set()
        self._again: set[uuid.UUID] = set()
        self._closed = False

    @property
    def idle_seconds(self) -> float:
        return self._ctx.settings.autosave_version_idle_seconds

    def touch(self, project_id: uuid.UUID) -> None:
        """A person changed the project's files: restart its timer (no-op when disabled)."""
        if self.idle_seconds <= 0 or self._closed:
            return
        if project_id in self._saving:
            self._again.add(project_id)
            return
        current = self._timers.pop(project_id, None)
        if current is not None:
            current.cancel()
        self._timers[project_id] = asyncio.get_running_loop().create_task(
            self._later(project_id), name=f"autosave-{project_id}"
        )

    def pending(self) -> set[uuid.UUID]:
        """Projects with a timer running or a version being written."""
        return set(self._timers)

    async def _later(self, project_id: uuid.UUID) -> None:
        await asyncio.sleep(self.idle_seconds)
        self._saving.add(project_id)
        outcome: Outcome | None = None
        try:
            outcome = await autosave_project(self._ctx, project_id)
        except Exception:
            log.exception("versions.autosave_failed project=%s", project_id)
        finally:
            self._saving.discard(project_id)
            if self._timers.get(project_id) is asyncio.current_task():
                del self._timers[project_id]
        again = project_id in self._again
        self._again.discard(project_id)
        if outcome == "busy" or (again and outcome != "gone"):
            self.touch(project_id)

    async def close(self) -> None:
        """Drop the waiting timers; let versions being written finish."""
        self._closed = True
        timers = list(self._timers.items())
        self._timers.clear()
        self._again.clear()
        for project_id, task in timers:
            if project_id not in self._saving:
                task.cancel()
        for _, task in timers:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
