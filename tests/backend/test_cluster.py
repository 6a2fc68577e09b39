"""The platform's own PostgreSQL cluster: who runs it, who may reach it and how."""

from __future__ import annotations

import pwd
from pathlib import Path

import asyncpg
import pytest

from appwright.backend.pg.cluster import SYSTEM_USER, LocalCluster, hba_lines

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
