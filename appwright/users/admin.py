"""Administrative account creation (``appwright create-user``)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from appwright.auth import repository
from appwright.core.config import Settings
from appwright.core.db import create_engine, create_sessionmaker
from appwright.core.plans import PLANS
from appwright.core.security import hash_password
from appwright.models import User


async def create_account(
    settings: Settings, *, email: str, name: str, password: str, tier: str, verified: bool
) -> uuid.UUID:
    if tier not in PLANS:
        raise ValueError(f"Unknown plan '{tier}'; use one of {', '.join(PLANS)}.")
    if len(password) < 8:
        raise ValueError("The password must be at least 8 characters long.")
    if "@" not in email:
        raise ValueError("That is not an email address.")
    engine = create_engine(settings.resolved_database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            if await repository.user_by_email(session, email) is not None:
                raise ValueError(f"An account with {email} already exists.")
            user = User(
                email=email.lower(),
                name=name,
                password_hash=hash_password(password),
                subscription_tier=tier,
                email_verified_at=datetime.now(UTC) if verified else None,
            )
            session.add(user)
            await session.commit()
            return user.id
    finally:
        await engine.dispose()
