"""Accounts: sign-up, sign-in, sessions with rotating refresh tokens, email flows, API keys."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from appwright.auth import repository
from appwright.core.errors import (
    AlreadyExists,
    EmailNotVerified,
    Forbidden,
    InvalidCredentials,
    InvalidToken,
    NotAuthenticated,
    ResourceNotFound,
    TooManyAttempts,
)
from appwright.core.mail import Mail
from appwright.core.security import (
    hash_password,
    new_token,
    token_digest,
    verify_password,
)
from appwright.core.services import Services
from appwright.models import ApiKey, AuthSession, EmailToken, User

log = logging.getLogger("appwright.auth")

VERIFY_EMAIL = "verify_email"
RESET_PASSWORD = "reset_password"  # noqa: S105 - a token purpose, not a password
VERIFY_LIFETIME = timedelta(hours=48)
RESET_LIFETIME = timedelta(hours=1)
API_KEY_PREFIX = "aw_"


@dataclass(frozen=True)
class IssuedSession:
    """What the endpoint turns into cookies."""

    user: User
    access_token: str
    refresh_token: str | None  # None: keep the refresh cookie the browser already has


def _now() -> datetime:
    return datetime.now(UTC)


async def _start_family(
    ctx: Services,
    session: AsyncSession,
    user: User,
    *,
    family_id: uuid.UUID | None = None,
    user_agent: str | None = None,
    ip: str | None = None,
) -> IssuedSession:
    family = family_id or uuid.uuid4()
    refresh = new_token()
    session.add(
        AuthSession(
            user_id=user.id,
            family_id=family,
            token_hash=token_digest(refresh),
            expires_at=_now() + timedelta(days=ctx.settings.refresh_token_days),
            user_agent=(user_agent or "")[:255] or None,
            ip=ip,
        )
    )
    await session.flush()
    return IssuedSession(user, ctx.access_tokens.issue(user.id, family), refresh)


async def _send_email_token(ctx: Services, session: AsyncSession, user: User, purpose: str) -> None:
    token = new_token()
    lifetime = VERIFY_LIFETIME if purpose == VERIFY_EMAIL else RESET_LIFETIME
    session.add(
        EmailToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=token_digest(token),
            expires_at=_now() + lifetime,
        )
    )
    await session.flush()
    base = ctx.settings.base_url
    if purpose == VERIFY_EMAIL:
        mail = Mail(
            to=user.email,
            subject="Verify your appwright email address",
            text=(
                f"Hello {user.name or user.email},\n\n"
                f"Confirm your email address to publish apps and manage billing:\n"
                f"{base}/verify-email?token={token}\n\n"
                f"The link is valid for 48 hours.\n"
            ),
        )
    else:
        mail = Mail(
            to=user.email,
            subject="Reset your appwright password",
            text=(
                f"Someone asked to reset the password of {user.email}.\n\n"
                f"Choose a new password here:\n{base}/reset-password?token={token}\n\n"
                f"The link is valid for one hour. If it was not you, ignore this email.\n"
            ),
        )
    await ctx.mailer.send(mail)


async def signup(
    ctx: Services,
    session: AsyncSession,
    *,
    email: str,
    password: str,
    name: str,
    ip: str,
    user_agent: str | None,
) -> IssuedSession:
    """Create an account and sign it in; a verification email is sent."""
    settings = ctx.settings
    wait = await ctx.limiter.hit(f"signup:ip:{ip}", limit=20, window=3600)
    if wait is not None:
        raise TooManyAttempts(
            "Too many sign-ups from this address; try again later.", retry_after=int(wait)
        )
    email = email.lower()
    if settings.single_account and await repository.any_user_exists(session):
        raise Forbidden(
            "Sign-up is closed: this server runs project code without isolation "
            "(APPWRIGHT_SANDBOX_ISOLATION=unsafe-local), so it serves its first account only."
        )
    if await repository.user_by_email(session, email) is not None:
        raise AlreadyExists("An account with this email already exists. Sign in instead.")
    user = User(email=email, name=name, password_hash=hash_password(password))
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent sign-up with the same email won the race
        raise AlreadyExists("An account with this email already exists. Sign in instead.") from exc
    await _send_email_token(ctx, session, user, VERIFY_EMAIL)
    log.info("account created", extra={"user_id": str(user.id), "env": settings.env})
    return await _start_family(ctx, session, user, user_agent=user_agent, ip=ip)


async def signin(
    ctx: Services,
    session: AsyncSession,
    *,
    email: str,
    password: str,
    ip: str,
    user_agent: str | None,
) -> IssuedSession:
    """Check the password, throttled per account and per IP address."""
    s = ctx.settings
    email = email.lower()
    account_key = f"signin:account:{email}"
    ip_wait = await ctx.limiter.hit(
        f"signin:ip:{ip}", limit=s.signin_max_attempts_per_ip, window=s.signin_window_seconds
    )
    account_wait = await ctx.limiter.check(
        account_key, limit=s.signin_max_failures_per_account, window=s.signin_window_seconds
    )
    wait = max(ip_wait or 0, account_wait or 0)
    if wait:
        raise TooManyAttempts(
            f"Too many sign-in attempts. Try again in {int(wait)} seconds or reset your password.",
            retry_after=int(wait),
        )
    user = await repository.user_by_email(session, email)
    if not verify_password(user.password_hash if user else None, password) or user is None:
        await ctx.limiter.hit(
            account_key, limit=s.signin_max_failures_per_account, window=s.signin_window_seconds
        )
        raise InvalidCredentials("The email or password is not correct.")
    await ctx.limiter.reset(account_key)
    return await _start_family(ctx, session, user, user_agent=user_agent, ip=ip)


async def refresh(ctx: Services, session: AsyncSession, refresh_token: str | None) -> IssuedSession:
    """Rotate a refresh token. Presenting an already-rotated token revokes the whole family.

    A rotated token presented again within a short grace period is most likely a second tab
    or a parallel request racing the rotation: it gets a new access token but no new refresh
    token (the browser already holds the successor).
    """
    if not refresh_token:
        raise NotAuthenticated("You are not signed in.")
    now = _now()
    record = await repository.session_by_token_hash(session, token_digest(refresh_token))
    if record is None or record.revoked_at is not None or record.expires_at <= now:
        raise NotAuthenticated("Your session has ended. Sign in again.")
    user = await repository.user_by_id(session, record.user_id)
    if user is None:
        raise NotAuthenticated("Your session has ended. Sign in again.")
    if record.rotated_at is not None:
        grace = timedelta(seconds=ctx.settings.refresh_reuse_grace_seconds)
        if now - record.rotated_at <= grace:
            return IssuedSession(user, ctx.access_tokens.issue(user.id, record.family_id), None)
        await repository.revoke_family(session, record.family_id, now)
        log.warning(
            "refresh token reused; session family revoked",
            extra={"user_id": str(user.id), "family_id": str(record.family_id)},
        )
        raise NotAuthenticated(
            "This session was ended because its refresh token was used twice, which can mean "
            "it was stolen. Sign in again."
        )
    record.rotated_at = now
    return await _start_family(
        ctx, session, user, family_id=record.family_id, user_agent=record.user_agent, ip=record.ip
    )


async def signout(ctx: Services, session: AsyncSession, family_id: uuid.UUID | None) -> None:
    if family_id is not None:
        await repository.revoke_family(session, family_id, _now())


async def authenticate_access(
    ctx: Services, session: AsyncSession, access_token: str
) -> tuple[User, uuid.UUID] | None:
    """The user and session family of a valid access token whose family is still alive."""
    claims = ctx.access_tokens.verify(access_token)
    if claims is None:
        return None
    user_id, family_id = claims
    user = await repository.active_family_user(session, user_id, family_id, _now())
    return (user, family_id) if user else None


async def authenticate_api_key(session: AsyncSession, key: str) -> User | None:
    record = await repository.api_key_by_hash(session, token_digest(key))
    if record is None:
        return None
    record.last_used_at = _now()
    return await repository.user_by_id(session, record.user_id)


async def _consume_email_token(session: AsyncSession, token: str, purpose: str) -> User:
    record = await repository.email_token(session, token_digest(token), purpose)
    what = "verification" if purpose == VERIFY_EMAIL else "password reset"
    if record is None or record.used_at is not None:
        raise InvalidToken(f"This {what} link is invalid or was already used. Ask for a new one.")
    if record.expires_at <= _now():
        raise InvalidToken(f"This {what} link has expired. Ask for a new one.")
    user = await repository.user_by_id(session, record.user_id)
    if user is None:
        raise InvalidToken(f"This {what} link is invalid.")
    record.used_at = _now()
    return user


async def verify_email(session: AsyncSession, token: str) -> User:
    user = await _consume_email_token(session, token, VERIFY_EMAIL)
    if user.email_verified_at is None:
        user.email_verified_at = _now()
    return user


async def resend_verification(ctx: Services, session: AsyncSession, user: User) -> None:
    if user.email_verified_at is not None:
        return
    wait = await ctx.limiter.hit(f"verify-resend:{user.id}", limit=5, window=3600)
    if wait is not None:
        raise TooManyAttempts(
            "Too many verification emails; try again later.", retry_after=int(wait)
        )
    await _send_email_token(ctx, session, user, VERIFY_EMAIL)


async def request_password_reset(ctx: Services, session: AsyncSession, email: str, ip: str) -> None:
    """Mail a reset link if the account exists; the answer never tells whether it does."""
    wait = await ctx.limiter.hit(f"reset:ip:{ip}", limit=10, window=3600)
    if wait is not None:
        raise TooManyAttempts("Too many reset requests; try again later.", retry_after=int(wait))
    user = await repository.user_by_email(session, email)
    if user is not None:
        await _send_email_token(ctx, session, user, RESET_PASSWORD)


async def reset_password(session: AsyncSession, token: str, password: str) -> User:
    """Set a new password; every session of the account is signed out."""
    user = await _consume_email_token(session, token, RESET_PASSWORD)
    user.password_hash = hash_password(password)
    if user.email_verified_at is None:  # the link proved the mailbox belongs to them
        user.email_verified_at = _now()
    await repository.revoke_all_sessions(session, user.id, _now())
    return user


def require_verified(user: User) -> None:
    """Publishing and billing wait for a verified email address."""
    if user.email_verified_at is None:
        raise EmailNotVerified(
            "Verify your email address first: use the link we sent you, or ask for a new one."
        )


async def create_api_key(session: AsyncSession, user: User, name: str) -> tuple[ApiKey, str]:
    """Create a personal API key; the plaintext is returned once and never stored."""
    key = API_KEY_PREFIX + new_token(30)
    record = ApiKey(user_id=user.id, name=name, prefix=key[:10], key_hash=token_digest(key))
    session.add(record)
    await session.flush()
    return record, key


async def list_api_keys(session: AsyncSession, user: User) -> list[ApiKey]:
    return await repository.api_keys_of(session, user.id)


async def revoke_api_key(session: AsyncSession, user: User, key_id: uuid.UUID) -> None:
    record = await repository.api_key_of(session, user.id, key_id)
    if record is None:
        raise ResourceNotFound("No such API key.")
    record.revoked_at = _now()
