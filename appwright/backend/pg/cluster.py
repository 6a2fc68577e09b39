"""The PostgreSQL cluster the platform owns: ``initdb``, start, stop, ``pg_hba.conf``.

Layout of ``{data_dir}/backend-pg/`` (the folder and all in it belong to the dedicated
system user ``appwright-pg``, mode 0700; no sandbox can see the data dir):

- ``data/``: the cluster (``initdb``), its ``postgresql.conf`` and ``pg_hba.conf``;
- ``run/``: the unix socket, the only way in as the superuser (``postgres``, with the
  password in ``superuser.password``);
- ``postgres.log``: the server's log.

The server listens on that socket and on ``127.0.0.1:{backend_pg_port}``. Over TCP only
a project's own roles reach only their own database (one ``pg_hba`` line per project,
rewritten and reloaded on every provision and drop, then a final reject).

Every program runs as ``appwright-pg`` through ``setpriv`` (PostgreSQL refuses root),
from absolute paths (``/usr/lib/postgresql/<newest>/bin``), with ``ROOT_ENV`` and cwd
``/``; arguments are platform-made paths and numbers. A server found running at start
(after a restart of the platform, or started by the test session) is adopted and left
running at close; one this object started is stopped at close.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import pwd
import re
import secrets
import subprocess
from collections.abc import Iterable
from pathlib import Path

import anyio
import asyncpg

from appwright.core import hostbin

log = logging.getLogger(__name__)

SYSTEM_USER = "appwright-pg"
PROJECT_DATABASE = re.compile(r"^p_[0-9a-f]{32}$")


class ClusterError(RuntimeError):
    """The cluster cannot be set up or started; the message says what failed."""


def _bindir() -> Path:
    found = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    if not found:
        raise ClusterError(
            "The PostgreSQL server is not installed (no /usr/lib/postgresql/*/bin/initdb): "
            "install the postgresql package, or set APPWRIGHT_BACKEND_POSTGRES_URL."
        )
    newest = max(found, key=lambda p: int(Path(p).parts[-3].split(".")[0]))
    return Path(newest).parent


def _system_user() -> pwd.struct_passwd:
    """The dedicated unprivileged user the server runs as, created when missing."""
    with contextlib.suppress(KeyError):
        return pwd.getpwnam(SYSTEM_USER)
    useradd = hostbin.require("useradd")
    # Exit status 9: created meanwhile by another process.
    subprocess.run(
        [useradd, "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
         "--shell", "/usr/sbin/nologin", SYSTEM_USER],
        env=hostbin.ROOT_ENV, cwd=hostbin.ROOT_CWD, check=False, capture_output=True,
    )  # fmt: skip
    try:
        return pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        raise ClusterError(f"Could not create the system user {SYSTEM_USER}.") from None


def _check_reachable(root: Path, user: pwd.struct_passwd) -> None:
    """Every folder above ``root`` lets the system user through (or the server cannot start)."""
    for folder in root.parents:
        st = folder.stat()
        if st.st_uid != user.pw_uid and not st.st_mode & 0o001:
            raise ClusterError(
                f"The database server (user {SYSTEM_USER}) cannot reach {root}: {folder} is "
                "private. Set APPWRIGHT_BACKEND_PG_DIR to a folder it can reach "
                "(e.g. /var/lib/appwright-pg) or give the folders above it the x bit for others."
            )


def _prepare_root(root: Path, user: pwd.struct_passwd) -> None:
    """``root`` and ``run/`` exist, belong to the system user and are private to it."""
    for folder in (root, root / "run"):
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        try:
            os.fchown(fd, user.pw_uid, user.pw_gid)
            os.fchmod(fd, 0o700)
        finally:
            os.close(fd)


def hba_lines(databases: Iterable[str]) -> str:
    """``pg_hba.conf``: the superuser on the socket, each project's roles on their database."""
    lines = [
        "# Written by appwright (backend/pg/cluster.py) on every provision and drop.",
        "local all postgres scram-sha-256",
    ]
    for db in sorted(databases):
        if not PROJECT_DATABASE.match(db):
            continue
        for net in ("0.0.0.0/0", "::/0"):
            lines.append(f"host {db} {db}_owner,{db}_app {net} scram-sha-256")
    lines += ["local all all reject", "host all all 0.0.0.0/0 reject", "host all all ::/0 reject"]
    return "\n".join(lines) + "\n"


class LocalCluster:
    def __init__(self, root: Path, port: int) -> None:
        self.root = root
        self.port = port
        self.data = root / "data"
        self.run_dir = root / "run"
        self._password_file = root / "superuser.password"
        self._lock = anyio.Lock()
        self._running = False
        self._started_here = False

    @property
    def initialised(self) -> bool:
        return (self.data / "PG_VERSION").is_file()

    @property
    def host(self) -> str:
        return "127.0.0.1"

    async def ensure_running(self) -> None:
        """Initialise the cluster the first time, start it if it is not running."""
        async with self._lock:
            if self._running:
                return
            await anyio.to_thread.run_sync(self._ensure_running_sync)
            self._running = True

    def _ensure_running_sync(self) -> None:
        user = _system_user()
        self.root.mkdir(parents=True, exist_ok=True)
        _check_reachable(self.root, user)
        _prepare_root(self.root, user)
        bindir = _bindir()
        if not self.initialised:
            self._initdb(bindir, user)
        status = self._as_pg(user, [str(bindir / "pg_ctl"), "-D", str(self.data), "status"])
        if status.returncode == 0:
            log.info("backend.cluster_adopted root=%s", self.root)
            return
        options = (
            f"-c listen_addresses=127.0.0.1 -p {int(self.port)} -k {self.run_dir} "
            "-c shared_buffers=32MB -c max_connections=200"
        )
        started = self._as_pg(
            user,
            [str(bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "postgres.log"),
             "-w", "-t", "60", "-o", options, "start"],
        )  # fmt: skip
        if started.returncode != 0:
            raise ClusterError(
                f"PostgreSQL did not start (see {self.root / 'postgres.log'}): "
                + (started.stderr or started.stdout).strip()[-500:]
            )
        self._started_here = True
        log.info("backend.cluster_started root=%s port=%s", self.root, self.port)

    def _initdb(self, bindir: Path, user: pwd.struct_passwd) -> None:
        fd = os.open(
            self._password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600
        )
        try:
            os.write(fd, secrets.token_hex(32).encode())
            os.fchown(fd, user.pw_uid, user.pw_gid)
        finally:
            os.close(fd)
        made = self._as_pg(
            user,
            [str(bindir / "initdb"), "-D", str(self.data), "-U", "postgres",
             f"--pwfile={self._password_file}", "--auth-local=scram-sha-256",
             "--auth-host=reject", "-E", "UTF8", "--locale=C.UTF-8"],
        )  # fmt: skip
        if made.returncode != 0:
            raise ClusterError(
                f"initdb failed in {self.data}: " + (made.stderr or made.stdout).strip()[-500:]
            )
        self._write_hba([])

    def _as_pg(self, user: pwd.struct_passwd, argv: list[str]) -> subprocess.CompletedProcess[str]:
        """Run ``argv`` as the system user: fixed environment, cwd ``/``, no groups."""
        setpriv = hostbin.require("setpriv")
        return subprocess.run(
            [setpriv, f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups",
             "--", *argv],
            env=hostbin.ROOT_ENV, cwd=hostbin.ROOT_CWD, check=False, capture_output=True,
            text=True, timeout=120,
        )  # fmt: skip

    def _password(self) -> str:
        return self._password_file.read_text().strip()

    async def connect(self, database: str = "postgres") -> asyncpg.Connection:
        """A superuser connection on the unix socket."""
        await self.ensure_running()
        password = await anyio.to_thread.run_sync(self._password)
        conn: asyncpg.Connection = await asyncpg.connect(
            host=str(self.run_dir),
            port=self.port,
            user="postgres",
            password=password,
            database=database,
        )
        return conn

    def _write_hba(self, databases: Iterable[str]) -> None:
        # Rewritten in place: the file keeps its owner (the system user, who reads it).
        fd = os.open(self.data / "pg_hba.conf", os.O_WRONLY | os.O_TRUNC | os.O_NOFOLLOW)
        try:
            os.write(fd, hba_lines(databases).encode())
        finally:
            os.close(fd)

    async def refresh_hba(self, conn: asyncpg.Connection) -> None:
        """One line per project database now in the cluster, then reload."""
        rows = await conn.fetch("select datname from pg_database")
        names = [r["datname"] for r in rows]
        await anyio.to_thread.run_sync(self._write_hba, names)
        await conn.execute("select pg_reload_conf()")

    async def stop(self) -> None:
        """Stop the server if this object started it (an adopted one keeps running)."""
        async with self._lock:
            if not self._started_here:
                return
            await anyio.to_thread.run_sync(self._stop_sync)
            self._running = self._started_here = False

    def _stop_sync(self) -> None:
        stopped = self._as_pg(
            _system_user(),
            [str(_bindir() / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"],
        )
        if stopped.returncode != 0:
            log.warning("backend.cluster_stop_failed %s", stopped.stderr.strip()[-300:])
