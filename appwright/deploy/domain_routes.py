"""Which project each verified custom domain serves: the gateway's lookup, in memory.

Filled from the database at start (``Publisher.load``) and changed when a domain is
verified, fails a later check, is removed or its project is deleted. A domain serves what
its project's address serves, so a publish, a rollback or an unpublish moves it too.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from appwright.preview.sites import AppServer, Site

Live = Callable[[uuid.UUID], Site | AppServer | None]
"""project id → what its address serves now (``Publisher.live``)."""


class DomainRoutes:
    def __init__(self, live: Live) -> None:
        self._live = live
        self._projects: dict[str, uuid.UUID] = {}

    def site(self, name: str) -> Site | AppServer | None:
        """What the verified domain ``name`` serves (None: not one, or nothing live)."""
        project_id = self._projects.get(name)
        return self._live(project_id) if project_id is not None else None

    def verified(self, name: str) -> bool:
        return name in self._projects

    def replace(self, routes: Iterable[tuple[str, uuid.UUID]]) -> None:
        self._projects = dict(routes)

    def add(self, name: str, project_id: uuid.UUID) -> None:
        self._projects[name] = project_id

    def discard(self, name: str) -> None:
        self._projects.pop(name, None)

    def forget(self, project_id: uuid.UUID) -> None:
        """The project was deleted: none of its domains serves anything."""
        for name in [n for n, p in self._projects.items() if p == project_id]:
            del self._projects[name]
