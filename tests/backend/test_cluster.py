"""The platform's own PostgreSQL cluster: who runs it, who may reach it and how."""

from __future__ import annotations

import asyncio
import pwd
import shutil
import tempfile
import uuid
from pathlib import Path

import asyncpg
import pytest

from appwright.backend.errors import BackendExists
from appwright.backend.local import LocalPostgres
from appwright.backend.pg.cluster import SYSTEM_USER, ClusterError, LocalCluster, hba_lines
from appwright.core.config import Settings
from tests.conftest import POSTGRES_ADMIN_URL, free_port

pytestmark = pytest.mark.anyio


async def test_the_cluster_runs_unprivileged_and_the_superuser_only_on_its_socket(
    pg_cluster: LocalCluster,
) -> None:
    user = pwd.getpwnam(SYSTEM_USER)
    assert user.pw_uid != 0
    pid = int((pg_cluster.data / "postmaster.pid").read_text().splitlines()[0])
    status = dict(
        line.split(":", 1)
        for line in Path(f"/proc/{pid}/status").read_text().splitlines()
        if ":" in line
    )
    assert status["Uid"].split()[0] == str(user.pw_uid)
    for folder in (pg_cluster.root, pg_cluster.data, pg_cluster.run_dir):
        st = folder.stat()
        assert (st.st_uid, st.st_mode & 0o777) == (user.pw_uid, 0o700)
    password = (pg_cluster.root / "superuser.password").read_text().strip()
    # The right password over TCP is still refused: pg_hba rejects every other way in.
    with pytest.raises(asyncpg.InvalidAuthorizationSpecificationError):
        await asyncpg.connect(
            host="127.0.0.1", port=pg_cluster.port, user="postgres", password=password
        )
    with pytest.raises(asyncpg.InvalidPasswordError):
        await asyncpg.connect(
            host=str(pg_cluster.run_dir), port=pg_cluster.port, user="postgres", password="guess"
        )
    admin = await pg_cluster.connect()
    try:
        assert await admin.fetchval("select rolsuper from pg_roles where rolname = current_user")
    finally:
        await admin.close()


async def test_hba_names_only_project_databases_and_ends_in_a_reject() -> None:
    hex_id = "0" * 32
    text = hba_lines([f"p_{hex_id}", "postgres", "p_x all", "template1"])
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert lines[0] == "local all postgres scram-sha-256"
    assert f"host p_{hex_id} p_{hex_id}_owner,p_{hex_id}_app 0.0.0.0/0 scram-sha-256" in lines
    assert not any("postgres" in line or "template1" in line or "p_x" in line for line in lines[1:])
    assert lines[-3:] == [
        "local all all reject",
        "host all all 0.0.0.0/0 reject",
        "host all all ::/0 reject",
    ]


async def test_a_folder_the_server_cannot_reach_is_refused_clearly(tmp_path: Path) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    cluster = LocalCluster(private / "backend-pg", 1)
    with pytest.raises(ClusterError, match="APPWRIGHT_BACKEND_PG_DIR"):
        await cluster.ensure_running()
    assert not cluster.initialised


async def test_two_provisions_of_one_project_make_one_database(settings: Settings) -> None:
    provider = LocalPostgres(settings)
    project_id = str(uuid.uuid4())
    results = await asyncio.gather(
        provider.provision(project_id), provider.provision(project_id), return_exceptions=True
    )
    made = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(made) == 1 and len(refused) == 1
    assert isinstance(refused[0], BackendExists), refused[0]
    conn = await asyncpg.connect(provider.env(made[0])["DATABASE_URL"])
    await conn.close()  # the one made is whole: the refused one dropped nothing of it


async def test_an_existing_server_keeps_each_project_in_its_database(settings: Settings) -> None:
    """``APPWRIGHT_BACKEND_POSTGRES_URL``: no pg_hba of ours, ``REVOKE CONNECT`` holds alone."""
    provider = LocalPostgres(
        settings.model_copy(update={"backend_postgres_url": POSTGRES_ADMIN_URL})
    )
    assert provider.cluster is None
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    try:
        mine = provider.env(await provider.provision(first))["DATABASE_URL"]
        theirs = provider.env(await provider.provision(second))["DATABASE_URL"]
        conn = await asyncpg.connect(mine)
        try:
            assert await conn.fetchval("select auth.uid() is null")
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute("set role postgres")
        finally:
            await conn.close()
        with pytest.raises(asyncpg.InsufficientPrivilegeError):  # no CONNECT on theirs
            await asyncpg.connect(mine.rsplit("/", 1)[0] + "/" + theirs.rsplit("/", 1)[1])
    finally:
        await provider.drop(first)
        await provider.drop(second)
    with pytest.raises(asyncpg.InvalidAuthorizationSpecificationError):
        await asyncpg.connect(mine)


async def test_a_cluster_stops_with_the_platform_that_started_it() -> None:
    root = Path(tempfile.mkdtemp(prefix="appwright-backend-pg-"))
    root.chmod(0o711)
    try:
        first = LocalCluster(root / "backend-pg", free_port())
        await first.ensure_running()
        adopted = LocalCluster(first.root, first.port)  # a second platform on the same folder
        await adopted.ensure_running()
        await adopted.stop()
        (await adopted.connect()).terminate()  # left running: it did not start it
        await first.stop()
        assert not (first.data / "postmaster.pid").exists()
        with pytest.raises(ConnectionRefusedError):
            await asyncpg.connect(host="127.0.0.1", port=first.port, user="postgres")
        again = LocalCluster(first.root, first.port)  # the next start: no initdb, same data
        await again.ensure_running()
        await again.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)
