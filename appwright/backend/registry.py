"""The platform's database providers, their lifecycle and the deletion of a project's.

One ``Backends`` per platform process (built in ``context.py``): at start it starts each
provider some project uses (the owned cluster comes up with the platform when a project
has a database, and lazily on the first provision otherwise); at close it stops them.
As a runtime listener it drops a deleted project's database and roles.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from appwright.backend import repository
from appwright.backend.errors import ProviderNotAvailable
from appwright.backend.provider import BackendProvider

log = logging.getLogger(__name__)


class Backends:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        providers: Mapping[str, BackendProvider],
    ) -> None:
        self.sessions = sessions
        self.providers = dict(providers)
        self._chores: set[asyncio.Task[None]] = set()

    def provider(self, name: str) -> BackendProvider:
        found = self.providers.get(name)
        if found is None:
            raise ProviderNotAvailable(
                f"The '{name}' database provider is not available yet: use 'local'."
            )
        return found

    async def start(self) -> None:
        async with self.sessions() as session:
            used = await repository.providers_in_use(session)
        for name in used:
            if name in self.providers:
                await self.providers[name].start()

    # The runtime's listener (``DevServerListener``).
    def started(self, project_id: str) -> None:
        pass

    def removed(self, project_id: str) -> None:
        try:
            uuid.UUID(project_id)
        except ValueError:
            return  # a build's or a published app's own sandbox
        task = asyncio.create_task(self._drop(project_id))
        self._chores.add(task)
        task.add_done_callback(self._chores.discard)

    async def _drop(self, project_id: str) -> None:
        for provider in self.providers.values():
            try:
                await provider.drop(project_id)
            except Exception:
                log.exception("backend.drop_failed project=%s", project_id)

    async def settled(self) -> None:
        """Until the drops under way are done (close, tests)."""
        if self._chores:
            await asyncio.gather(*self._chores, return_exceptions=True)

    async def close(self) -> None:
        await self.settled()
        for provider in self.providers.values():
            await provider.close()
