"""Auth endpoints, refresh and personal API keys (docs/PRODUCT.md §3.1)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status

from appwright.auth import service
from appwright.auth.cookies import (
    REFRESH_COOKIE,
    clear_session_cookies,
    ensure_csrf_cookie,
    set_session_cookies,
)
from appwright.auth.deps import CurrentUser, OptionalPrincipalDep
from appwright.auth.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyRead,
    ResetConfirm,
    ResetRequest,
    SessionRead,
    SigninRequest,
    SignupRequest,
    TokenRequest,
    UserEnvelope,
    UserRead,
)
from appwright.core.deps import ServicesDep, SessionDep, client_ip
from appwright.core.errors import NotAuthenticated
from appwright.core.schemas import error_responses

router = APIRouter(
    prefix="/api/auth", tags=["auth"], responses=error_responses(400, 401, 403, 409, 429)
)


def _issue(response: Response, ctx: ServicesDep, issued: service.IssuedSession) -> UserEnvelope:
    set_session_cookies(response, ctx.settings, issued.access_token, issued.refresh_token)
    return UserEnvelope(user=UserRead.of(issued.user))


@router.get("/session")
async def get_session(
    request: Request, response: Response, ctx: ServicesDep, principal: OptionalPrincipalDep
) -> SessionRead:
    """The signed-in user, or ``null``. Also hands out the CSRF cookie."""
    ensure_csrf_cookie(request, response, ctx.settings)
    return SessionRead(user=UserRead.of(principal.user) if principal else None)


@router.post("/signup", status_code=status.HTTP_201_CREATED)
async def signup(
    body: SignupRequest, request: Request, response: Response, ctx: ServicesDep, session: SessionDep
) -> UserEnvelope:
    issued = await service.signup(
        ctx,
        session,
        email=body.email,
        password=body.password,
        name=body.name,
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent"),
    )
    return _issue(response, ctx, issued)


@router.post("/signin")
async def signin(
    body: SigninRequest, request: Request, response: Response, ctx: ServicesDep, session: SessionDep
) -> UserEnvelope:
    issued = await service.signin(
        ctx,
        session,
        email=body.email,
        password=body.password,
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent"),
    )
    return _issue(response, ctx, issued)


@router.post("/refresh")
async def refresh(
    request: Request, response: Response, ctx: ServicesDep, session: SessionDep
) -> UserEnvelope:
    """Exchange the refresh cookie for new tokens (the old refresh token stops working)."""
    try:
        issued = await service.refresh(ctx, session, request.cookies.get(REFRESH_COOKIE))
    except NotAuthenticated:
        # The revocation must persist even though the request fails.
        await session.commit()
        raise
    return _issue(response, ctx, issued)


@router.post("/signout", status_code=status.HTTP_204_NO_CONTENT)
async def signout(
    response: Response, ctx: ServicesDep, session: SessionDep, principal: OptionalPrincipalDep
) -> None:
    await service.signout(ctx, session, principal.family_id if principal else None)
    clear_session_cookies(response, ctx.settings)


@router.post("/verify-email")
async def verify_email(body: TokenRequest, session: SessionDep) -> UserEnvelope:
    user = await service.verify_email(session, body.token)
    return UserEnvelope(user=UserRead.of(user))


@router.post("/verify-email/resend", status_code=status.HTTP_202_ACCEPTED)
async def resend_verification(user: CurrentUser, ctx: ServicesDep, session: SessionDep) -> None:
    await service.resend_verification(ctx, session, user)


@router.post("/reset-password", status_code=status.HTTP_202_ACCEPTED)
async def request_password_reset(
    body: ResetRequest, request: Request, ctx: ServicesDep, session: SessionDep
) -> None:
    """Mail a reset link. Answers 202 whether or not the account exists."""
    await service.request_password_reset(ctx, session, body.email, client_ip(request))


@router.post("/reset-password/confirm", status_code=status.HTTP_204_NO_CONTENT)
async def confirm_password_reset(
    body: ResetConfirm, response: Response, ctx: ServicesDep, session: SessionDep
) -> None:
    await service.reset_password(session, body.token, body.password)
    clear_session_cookies(response, ctx.settings)


@router.get("/api-keys")
async def list_api_keys(user: CurrentUser, session: SessionDep) -> list[ApiKeyRead]:
    return [ApiKeyRead.model_validate(k) for k in await service.list_api_keys(session, user)]


@router.post("/api-keys", status_code=status.HTTP_201_CREATED)
async def create_api_key(
    body: ApiKeyCreate, user: CurrentUser, session: SessionDep
) -> ApiKeyCreated:
    record, key = await service.create_api_key(session, user, body.name)
    return ApiKeyCreated(
        id=record.id,
        name=record.name,
        prefix=record.prefix,
        created_at=record.created_at,
        last_used_at=record.last_used_at,
        key=key,
    )


@router.delete("/api-keys/{key_id}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_api_key(key_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> None:
    await service.revoke_api_key(session, user, key_id)
