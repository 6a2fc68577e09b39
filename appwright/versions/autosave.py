"""Idle autosave: a person's saved edits become one version once they have rested.

Every change a person makes through the file API touches the project's idle timer
(``core.idle.IdleTimers``, wired in ``appwright.context``); after
``autosave_version_idle_seconds`` without another change, :func:`autosave_project` commits
the edits not yet in a version as one person version (its message written like a "save
version" without a message: by the owner's model, else from the files). Nothing is
committed when the working tree equals HEAD; while an AI turn runs on the project the
timer starts over (the turn's own commit takes the edits in).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Literal

from appwright.auth.repository import project_by_id
from appwright.core.events import Event, project_topic
from appwright.core.idle import Result
from appwright.versions import service
from appwright.versions.deps import VersionsServices

__all__ = ["Outcome", "TurnRunning", "autosave_project", "idle_result"]

log = logging.getLogger("appwright.versions")

Outcome = Literal["saved", "unchanged", "busy", "gone"]
TurnRunning = Callable[[uuid.UUID], Awaitable[bool]]
"""Whether an AI turn is running on the project (the chat domain answers it)."""


async def autosave_project(
    ctx: VersionsServices, project_id: uuid.UUID, *, turn_running: TurnRunning
) -> Outcome:
    """Commit the project's unsaved edits as one person version, unless a turn runs.

    ``saved``: a version was made (and recorded, and announced as ``version:created``);
    ``unchanged``: the files equal the current version; ``busy``: an AI turn is running;
    ``gone``: the project or its history no longer exists.
    """
    async with ctx.sessions() as session:
        project = await project_by_id(session, project_id)
    if project is None:
        return "gone"
    if await turn_running(project_id):
        return "busy"
    repo = service.repo_of(ctx.runtime, project)
    if not await repo.is_initialized():
        return "gone"
    if not await repo.status():
        return "unchanged"
    message = await service.person_message(ctx, project)
    if await turn_running(project_id):  # a turn began while the model wrote the message
        return "busy"
    async with ctx.sessions() as session:
        version = await service.record_version(session, ctx, project, message=message)
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


def idle_result(outcome: Outcome) -> Result:
    """How the idle timer goes on after an autosave: again later while a turn runs."""
    if outcome == "busy":
        return "retry"
    if outcome == "gone":
        return "gone"
    return "done"
