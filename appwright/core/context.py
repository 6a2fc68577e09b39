"""The application context: the shared services one app instance is built from."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from appwright.core.config import Settings
from appwright.core.db import create_engine, create_sessionmaker
from appwright.core.events import EventBus, MemoryEventBus
from appwright.core.mail import Mailer, create_mailer
from appwright.core.ratelimit import MemoryRateLimiter, RateLimiter
from appwright.core.security import AccessTokens, SecretBox
from appwright.projects.env_service import decrypted_env
from appwright.sandbox.service import ProjectRuntime
from appwright.versions.autosave import IdleAutosave


@dataclass
class AppContext:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    mailer: Mailer
    limiter: RateLimiter
    access_tokens: AccessTokens
    secrets: SecretBox
    events: EventBus
    runtime: ProjectRuntime
    autosave: IdleAutosave = field(init=False)
    """Idle timers turning a person's saved edits into a version (``versions.autosave``)."""

    def __post_init__(self) -> None:
        self.autosave = IdleAutosave(self)

    @classmethod
    def build(cls, settings: Settings) -> AppContext:
        engine = create_engine(settings.resolved_database_url)
        sessions = create_sessionmaker(engine)
        key = settings.effective_secret_key
        secrets = SecretBox(key)
        events = MemoryEventBus()

        async def project_env(project_id: str) -> dict[str, str]:
            async with sessions() as session:
                return await decrypted_env(session, secrets, uuid.UUID(project_id))

        return cls(
            settings=settings,
            engine=engine,
            sessions=sessions,
            mailer=create_mailer(settings),
            limiter=MemoryRateLimiter(),
            access_tokens=AccessTokens(key, timedelta(minutes=settings.access_token_minutes)),
            secrets=secrets,
            events=events,
            runtime=ProjectRuntime(settings, events, project_env),
        )

    async def close(self) -> None:
        await self.autosave.close()
        await self.runtime.close()
        await self.engine.dispose()
