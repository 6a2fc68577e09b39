"""The signed-in person's own profile and preferences."""

from __future__ import annotations

from fastapi import APIRouter

from appwright.auth.deps import CurrentUser
from appwright.auth.schemas import UserRead
from appwright.core.deps import SessionDep
from appwright.core.schemas import error_responses
from appwright.users.schemas import UserUpdate

router = APIRouter(prefix="/api/users", tags=["users"], responses=error_responses(400, 401, 403))


@router.get("/me")
async def read_me(user: CurrentUser) -> UserRead:
    return UserRead.of(user)


@router.patch("/me")
async def update_me(body: UserUpdate, user: CurrentUser, session: SessionDep) -> UserRead:
    """Change name, avatar, theme or editor settings; only the fields sent are changed."""
    fields = body.model_fields_set
    if "name" in fields and body.name is not None:
        user.name = body.name.strip() or user.name
    if "avatar_url" in fields:
        user.avatar_url = str(body.avatar_url) if body.avatar_url else None
    if "theme" in fields and body.theme is not None:
        user.theme = body.theme
    if "editor_settings" in fields and body.editor_settings is not None:
        user.editor_settings = body.editor_settings.model_dump()
    await session.flush()
    return UserRead.of(user)
