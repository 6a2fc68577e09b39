"""One real PostgreSQL cluster (``backend/pg/cluster.py``, as root makes it: its own system
user, ``initdb``, socket and port) shared by the session; every test's platform adopts it.
After each test the projects' databases and roles left in it are dropped."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import anyio
import pytest

from appwright.backend.pg.cluster import PROJECT_DATABASE, LocalCluster
from appwright.backend.pg.provision import drop_database
from appwright.core.config import Settings
from tests.conftest import free_port


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[LocalCluster]:
    # Under /tmp itself: the system user must be able to reach the folder (pytest's own
    # temporary folders are private to root).
    root = Path(tempfile.mkdtemp(prefix="appwright-backend-pg-"))
    root.chmod(0o711)
    cluster = LocalCluster(root / "backend-pg", free_port())
    anyio.run(cluster.ensure_running)
    try:
        yield cluster
    finally:
        anyio.run(cluster.stop)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def settings(settings: Settings, pg_cluster: LocalCluster) -> Settings:
    return settings.model_copy(
        update={
            "backend_pg_dir": pg_cluster.root,
            "backend_pg_port": pg_cluster.port,
            "backend_statement_timeout_seconds": 1,
        }
    )


@pytest.fixture(autouse=True)
async def _drop_project_databases(pg_cluster: LocalCluster) -> AsyncIterator[None]:
    yield
    admin = await pg_cluster.connect()
    try:
        for row in await admin.fetch("select datname from pg_database"):
            if PROJECT_DATABASE.match(row["datname"]):
                await drop_database(admin, row["datname"])
        await pg_cluster.refresh_hba(admin)
    finally:
        await admin.close()
