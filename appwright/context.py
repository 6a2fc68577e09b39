"""The composition root: the shared services one app instance is built from.

Everything that ties domains together at start-up lives here, beside ``app.py``: the
runtime gets its project variables from ``projects`` (a published app's server gets its
project's) and tells ``diagnostics`` of each dev server it starts and ``deploy`` of each
project removed, the Vercel target gets a person's token from ``integrations.vercel``,
autosave's idle timers call ``versions.autosave`` and ask ``chat`` whether a turn runs.
Domains never import this module; they take the Protocol of what they use
(``core.services.Services`` and the ``deps.py`` Protocols that extend it), which
:class:`AppContext` satisfies.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from appwright.backend.local import LocalPostgres
from appwright.backend.registry import Backends
from appwright.chat.repository import turn_running
from appwright.core.config import Settings
from appwright.core.db import create_engine, create_sessionmaker
from appwright.core.events import EventBus, MemoryEventBus
from appwright.core.idle import IdleTimers, Result
from appwright.core.mail import Mailer, create_mailer
from appwright.core.ratelimit import MemoryRateLimiter, RateLimiter
from appwright.core.security import AccessTokens, SecretBox
from appwright.deploy.local import LocalTarget, deployment_of_app
from appwright.deploy.publisher import Publisher
from appwright.deploy.repository import project_of_deployment
from appwright.deploy.vercel.target import VercelCredentials, VercelTarget
from appwright.diagnostics.watch import DevServerWatch
from appwright.integrations.vercel.service import credentials_of
from appwright.projects.env_service import decrypted_env
from appwright.runtime.service import ProjectRuntime
from appwright.versions.autosave import autosave_project, idle_result
from appwright.versions.history import repo_for


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
    publisher: Publisher
    """Builds deployments and keeps what each published address serves (``deploy``)."""
    backends: Backends
    """Project databases: their providers and lifecycle (``backend``)."""
    autosave: IdleTimers[uuid.UUID] = field(init=False)
    """Idle timers turning a person's saved edits into a version (``versions.autosave``)."""
    dev_server_errors: DevServerWatch = field(init=False)
    """Reads each dev server's output and publishes its compile errors (``diagnostics``)."""

    def __post_init__(self) -> None:
        self.autosave = IdleTimers(
            self.settings.autosave_version_idle_seconds, self._autosave, name="autosave"
        )
        self.dev_server_errors = DevServerWatch(self.runtime.supervisor, self.events)
        self.runtime.add_listener(self.dev_server_errors)
        self.runtime.add_listener(self.publisher)
        self.runtime.add_listener(self.backends)

    async def _turn_running(self, project_id: uuid.UUID) -> bool:
        async with self.sessions() as session:
            return await turn_running(session, project_id)

    async def _autosave(self, project_id: uuid.UUID) -> Result:
        outcome = await autosave_project(self, project_id, turn_running=self._turn_running)
        return idle_result(outcome)

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

        async def sandbox_env(sandbox_id: str) -> dict[str, str]:
            """A sandbox's variables: its project's, also for a published app's server."""
            deployment_id = deployment_of_app(sandbox_id)
            if deployment_id is None:
                return await project_env(sandbox_id)
            async with sessions() as session:
                project_id = await project_of_deployment(session, deployment_id)
            return await project_env(str(project_id)) if project_id else {}

        runtime = ProjectRuntime(settings, events, sandbox_env)

        async def archive(project_id: str, commit: str) -> bytes:
            return await repo_for(runtime, project_id).archive(commit)

        async def vercel_credentials(user_id: uuid.UUID) -> VercelCredentials | None:
            async with sessions() as session:
                return await credentials_of(session, secrets, user_id)

        return cls(
            settings=settings,
            engine=engine,
            sessions=sessions,
            mailer=create_mailer(settings),
            limiter=MemoryRateLimiter(),
            access_tokens=AccessTokens(key, timedelta(minutes=settings.access_token_minutes)),
            secrets=secrets,
            events=events,
            runtime=runtime,
            publisher=Publisher(
                settings,
                sessions,
                events,
                archive,
                project_env,
                LocalTarget(runtime),
                hosted={"vercel": VercelTarget(settings, vercel_credentials)},
            ),
            backends=Backends(sessions, {"local": LocalPostgres(settings)}),
        )

    async def close(self) -> None:
        await self.autosave.close()
        self.dev_server_errors.close()
        await self.publisher.close()
        await self.backends.close()
        await self.runtime.close()
        await self.engine.dispose()
