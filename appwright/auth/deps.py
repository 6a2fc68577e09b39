"""Who is calling: a Bearer API key or the session cookie. Authority comes only from here."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from appwright.auth import service
from appwright.auth.cookies import ACCESS_COOKIE
from appwright.core.deps import ServicesDep, SessionDep
from appwright.core.errors import NotAuthenticated
from appwright.models import User


@dataclass(frozen=True)
class Principal:
    user: User
    family_id: uuid.UUID | None  # the cookie session family; None for API keys


async def get_principal(request: Request, ctx: ServicesDep, session: SessionDep) -> Principal:
    authorization = request.headers.get("authorization", "")
    if authorization:
        scheme, _, key = authorization.partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise NotAuthenticated("Use 'Authorization: Bearer <API key>'.")
        user = await service.authenticate_api_key(session, key.strip())
        if user is None:
            raise NotAuthenticated("This API key is not valid or was revoked.")
        return Principal(user, None)
    token = request.cookies.get(ACCESS_COOKIE)
    if token:
        found = await service.authenticate_access(ctx, session, token)
        if found is not None:
            return Principal(found[0], found[1])
    raise NotAuthenticated("You are not signed in.")


async def get_optional_principal(
    request: Request, ctx: ServicesDep, session: SessionDep
) -> Principal | None:
    try:
        return await get_principal(request, ctx, session)
    except NotAuthenticated:
        return None


async def get_current_user(principal: Annotated[Principal, Depends(get_principal)]) -> User:
    return principal.user


PrincipalDep = Annotated[Principal, Depends(get_principal)]
OptionalPrincipalDep = Annotated[Principal | None, Depends(get_optional_principal)]
CurrentUser = Annotated[User, Depends(get_current_user)]
