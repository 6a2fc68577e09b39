"""Configuration: every setting is an ``APPWRIGHT_*`` environment variable (or ``.env`` line)."""

from __future__ import annotations

import secrets
from functools import cached_property
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from appwright.core.names import (
    is_ip_address,
    name_pattern_problem,
    parse_nameservers,
)

Environment = Literal["development", "test", "production"]

PACKAGE_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """Platform settings. The README's configuration table documents each field."""

    model_config = SettingsConfigDict(
        env_prefix="APPWRIGHT_", env_file=".env", extra="ignore", frozen=True
    )

    env: Environment = "development"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    data_dir: Path = Path(".appwright")
    database_url: str | None = None
    secret_key: str | None = None
    public_url: str | None = None
    web_dist: Path = PACKAGE_ROOT / "web" / "dist"
    preview_domain: str = "preview.localhost"
    apps_domain: str = "apps.localhost"
    # Extra Host names the platform answers to (comma-separated; "*.example.com", "*").
    allowed_hosts: str = ""
    # Largest request body (JSON and the rest); uploads and a few routes have their own.
    request_body_max_bytes: int = Field(default=1024 * 1024, ge=1024)

    access_token_minutes: int = Field(default=15, ge=1)
    refresh_token_days: int = Field(default=30, ge=1)
    refresh_reuse_grace_seconds: float = Field(default=10.0, ge=0)
    signin_max_failures_per_account: int = Field(default=5, ge=1)
    signin_max_attempts_per_ip: int = Field(default=30, ge=1)
    signin_window_seconds: int = Field(default=900, ge=1)

    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    mail_from: str = "appwright <no-reply@localhost>"

    log_level: str = "INFO"

    sandbox_isolation: Literal["auto", "bubblewrap", "unsafe-local"] = "auto"
    # Egress proxy: comma-separated host names or "*.suffix" patterns; IP literals never.
    # Empty: the built-in list of package registries and git hosts (sandbox/egress.py).
    sandbox_egress_allow: str = ""
    sandbox_egress_max_connection_mb: int = Field(default=512, ge=1)
    sandbox_egress_max_sandbox_mb_per_hour: int = Field(default=4096, ge=1)
    sandbox_subnet: str = "10.213.0.0/16"
    sandbox_name_prefix: str = Field(default="aw", pattern=r"^[a-z]{1,4}$")
    sandbox_uid_base: int = Field(default=160_000, ge=1000)
    sandbox_memory_mb: int = Field(default=2048, ge=64)
    build_memory_mb: int = Field(default=4096, ge=64)
    """A publish build's sandbox (``next build`` runs several workers at once)."""
    sandbox_proxy_port: int = Field(default=3128, ge=1, le=65535)
    preview_idle_seconds: float = Field(default=900, gt=0)
    autostart_previews: bool = True

    # Files and GitHub (issue 5).
    file_upload_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1)
    github_api_url: str = "https://api.github.com"
    github_allow_local_remotes: bool = False
    vercel_api_url: str = "https://api.vercel.com"

    # Custom domains of published apps: the DNS servers their records are checked with
    # ("10.0.0.2, 127.0.0.1:5353"; empty: the system's), and the server's public address,
    # when people point their domains at it with an A/AAAA record rather than a CNAME.
    dns_nameservers: str = ""
    public_address: str = ""

    # Versions: a person's edits become a version after this idle time (0: never); the
    # model writes the message of a person's version within this time or not at all
    # (the file list names it then).
    autosave_version_idle_seconds: float = Field(default=120, ge=0)
    commit_message_timeout_seconds: float = Field(default=10, gt=0)

    # Project databases (``backend/``): the platform's own PostgreSQL cluster in
    # ``backend_pg_dir`` (default ``{data_dir}/backend-pg``) on 127.0.0.1:backend_pg_port,
    # or an existing server given by a superuser URL.
    backend_postgres_url: str | None = Field(default=None, repr=False)
    backend_pg_dir: Path | None = None
    backend_pg_port: int = Field(default=5499, ge=1, le=65535)
    backend_statement_timeout_seconds: float = Field(default=10, gt=0)
    backend_sql_max_rows: int = Field(default=1000, ge=1)

    # The AI model (users may override these in their own settings).
    llm_provider: Literal["anthropic", "openai"] | None = None
    llm_model: str | None = None
    llm_tool_protocol: Literal["auto", "native", "xml"] = "auto"
    anthropic_api_key: str | None = Field(default=None, repr=False)
    anthropic_base_url: str | None = None
    openai_api_key: str | None = Field(default=None, repr=False)
    openai_base_url: str | None = None
    llm_stall_seconds: float = Field(default=60.0, gt=0)
    llm_request_timeout_seconds: float = Field(default=180.0, gt=0)
    llm_retry_base_delay: float = Field(default=1.0, ge=0)
    ollama_url: str = "http://127.0.0.1:11434"
    agent_command_timeout_seconds: float = Field(default=120.0, gt=0)
    agent_check_timeout_seconds: float = Field(default=90.0, gt=0)

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if self.env != "development" and not self.secret_key:
            raise ValueError(
                "APPWRIGHT_SECRET_KEY must be set outside development "
                "(generate one with: python3 -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
        if self.secret_key is not None and len(self.secret_key) < 32:
            raise ValueError("APPWRIGHT_SECRET_KEY must be at least 32 characters long")
        if self.env == "production" and self.sandbox_isolation == "unsafe-local":
            raise ValueError(
                "APPWRIGHT_SANDBOX_ISOLATION=unsafe-local is refused in production: it runs "
                "every account's code unisolated with the platform's privileges"
            )
        for entry in self.sandbox_egress_hosts:
            if problem := name_pattern_problem(entry.lower().rstrip(".")):
                raise ValueError(
                    f"APPWRIGHT_SANDBOX_EGRESS_ALLOW: {problem} (sandboxes never reach an "
                    "IP address; list host names such as registry.npmjs.org or *.example.com)"
                )
        try:
            parse_nameservers(self.dns_nameservers)
        except ValueError as exc:
            raise ValueError(f"APPWRIGHT_DNS_NAMESERVERS: {exc}") from None
        if self.public_address and not is_ip_address(self.public_address):
            raise ValueError(
                f"APPWRIGHT_PUBLIC_ADDRESS: {self.public_address!r} is not an IP address"
            )
        return self

    @property
    def nameservers(self) -> tuple[tuple[str, int], ...]:
        """``APPWRIGHT_DNS_NAMESERVERS`` as (address, port) pairs; empty: the system's."""
        return parse_nameservers(self.dns_nameservers)

    @property
    def sandbox_egress_hosts(self) -> tuple[str, ...]:
        """The egress allow-list as a tuple of names/patterns."""
        return tuple(h.strip() for h in self.sandbox_egress_allow.split(",") if h.strip())

    @property
    def single_account(self) -> bool:
        """Whether sign-up is closed after the first account (unisolated project code)."""
        return self.sandbox_isolation == "unsafe-local"

    @property
    def is_development(self) -> bool:
        return self.env == "development"

    @property
    def base_url(self) -> str:
        """The URL people reach the platform at (used in emails and preview links)."""
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "localhost" if self.host in ("127.0.0.1", "0.0.0.0", "::") else self.host  # noqa: S104
        return f"http://{host}:{self.port}"

    def published_url(self, slug: str) -> str:
        """A published app's address: ``{scheme}://{slug}.{apps_domain}[:port]/``."""
        return self.site_url(f"{slug}.{self.apps_domain}")

    def site_url(self, host: str) -> str:
        """``{scheme}://{host}[:port]/`` on the platform's own scheme and port (a published
        app's address, or one of its custom domains)."""
        base = urlsplit(self.base_url)
        port = f":{base.port}" if base.port else ""
        return f"{base.scheme}://{host}{port}/"

    @property
    def resolved_database_url(self) -> str:
        """SQLAlchemy async URL; plain ``postgresql://`` URLs get the asyncpg driver."""
        url = self.database_url or f"sqlite+aiosqlite:///{self.data_dir.resolve() / 'appwright.db'}"
        for prefix in ("postgresql://", "postgres://"):
            if url.startswith(prefix):
                return "postgresql+asyncpg://" + url[len(prefix) :]
        if url.startswith("sqlite://") and not url.startswith("sqlite+aiosqlite://"):
            return "sqlite+aiosqlite://" + url[len("sqlite://") :]
        return url

    @cached_property
    def effective_secret_key(self) -> str:
        """The configured key, or in development a key generated once into the data dir."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.write_text(key)
        path.chmod(0o600)
        return key

    @property
    def resolved_backend_pg_dir(self) -> Path:
        """The owned PostgreSQL cluster's folder (``backend/pg/cluster.py``)."""
        return (self.backend_pg_dir or self.data_dir / "backend-pg").resolve()

    @property
    def workspaces_dir(self) -> Path:
        return self.data_dir / "workspaces"

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    @property
    def repos_dir(self) -> Path:
        """Git directories, kept outside the workspaces so sandboxed code cannot touch them."""
        return self.data_dir / "repos"

    @property
    def deployments_dir(self) -> Path:
        """Published artefacts, ``{project}/{deployment}/``: made once, never changed."""
        return self.data_dir / "deployments"
