"""Project environment variables, encrypted at rest and revealed only on request."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from appwright.auth.access import get_project
from appwright.core.errors import BadRequest, ResourceNotFound
from appwright.core.security import SecretBox, mask_secret
from appwright.models import ProjectEnvVar, User
from appwright.projects import repository
from appwright.projects.schemas import EnvVarRead, EnvVarRevealed, validate_env_key

MAX_VARS_PER_PROJECT = 200


def _read(box: SecretBox, var: ProjectEnvVar) -> EnvVarRead:
    return EnvVarRead(
        key=var.key,
        masked_value=mask_secret(box.decrypt(var.value_encrypted)),
        updated_at=var.updated_at,
    )


def _check_key(key: str) -> None:
    problem = validate_env_key(key)
    if problem:
        raise BadRequest(problem)


async def list_vars(
    session: AsyncSession, box: SecretBox, user: User, project_id: uuid.UUID
) -> list[EnvVarRead]:
    project = await get_project(session, user, project_id)
    return [_read(box, v) for v in await repository.env_vars(session, project.id)]


async def set_var(
    session: AsyncSession, box: SecretBox, user: User, project_id: uuid.UUID, key: str, value: str
) -> EnvVarRead:
    _check_key(key)
    if "\x00" in value:
        raise BadRequest("Values cannot contain NUL characters.")
    project = await get_project(session, user, project_id)
    var = await repository.env_var(session, project.id, key)
    if var is None:
        if len(await repository.env_vars(session, project.id)) >= MAX_VARS_PER_PROJECT:
            raise BadRequest(f"A project can have at most {MAX_VARS_PER_PROJECT} variables.")
        var = ProjectEnvVar(project_id=project.id, key=key, value_encrypted=box.encrypt(value))
        session.add(var)
    else:
        var.value_encrypted = box.encrypt(value)
    await session.flush()
    return _read(box, var)


async def _owned_var(
    session: AsyncSession, user: User, project_id: uuid.UUID, key: str
) -> ProjectEnvVar:
    project = await get_project(session, user, project_id)
    var = await repository.env_var(session, project.id, key)
    if var is None:
        raise ResourceNotFound(f"No variable named '{key}' in this project.")
    return var


async def delete_var(session: AsyncSession, user: User, project_id: uuid.UUID, key: str) -> None:
    await session.delete(await _owned_var(session, user, project_id, key))
    await session.flush()


async def reveal_var(
    session: AsyncSession, box: SecretBox, user: User, project_id: uuid.UUID, key: str
) -> EnvVarRevealed:
    var = await _owned_var(session, user, project_id, key)
    return EnvVarRevealed(key=var.key, value=box.decrypt(var.value_encrypted))


async def decrypted_env(
    session: AsyncSession, box: SecretBox, project_id: uuid.UUID
) -> dict[str, str]:
    """All variables in plain text, for the project's sandbox only (never logs or the model)."""
    return {
        v.key: box.decrypt(v.value_encrypted)
        for v in await repository.env_vars(session, project_id)
    }
