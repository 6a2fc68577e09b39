"""What the acting person may touch: their own projects, and nobody else's.

Every domain that works on a project (its files, versions, sandbox, chat, integrations)
looks it up here, so one rule decides access and another person's project is always
answered as not found (never as forbidden, which would confirm that it exists).
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from appwright.auth.repository import owned_project
from appwright.core.errors import ResourceNotFound
from appwright.models import Project, User

__all__ = ["NOT_FOUND", "get_project", "owned_project"]

NOT_FOUND = "No such project."


async def get_project(session: AsyncSession, user: User, project_id: uuid.UUID) -> Project:
    """The project if ``user`` owns it. Another person's project is answered as not found."""
    project = await owned_project(session, user.id, project_id)
    if project is None:
        raise ResourceNotFound(NOT_FOUND)
    return project
