"""Settings: secrets are required outside development, URLs are normalised."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from appwright.core.config import Settings


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="APPWRIGHT_SECRET_KEY must be set"):
        Settings(env="production", data_dir=tmp_path)
    with pytest.raises(ValidationError, match="at least 32 characters"):
        Settings(env="production", data_dir=tmp_path, secret_key="short")
    ok = Settings(env="production", data_dir=tmp_path, secret_key="k" * 40)
    assert ok.effective_secret_key == "k" * 40


def test_development_generates_one_key_and_keeps_it(tmp_path: Path) -> None:
    first = Settings(env="development", data_dir=tmp_path).effective_secret_key
    second = Settings(env="development", data_dir=tmp_path).effective_secret_key
    assert first == second
    assert len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # private to the owner


def test_database_urls_get_async_drivers(tmp_path: Path) -> None:
    pg = Settings(data_dir=tmp_path, database_url="postgresql://u@db:5432/app")
    assert pg.resolved_database_url == "postgresql+asyncpg://u@db:5432/app"
    default = Settings(data_dir=tmp_path)
    assert default.resolved_database_url.startswith("sqlite+aiosqlite:///")
    assert default.resolved_database_url.endswith("appwright.db")


def test_cli_migrates_and_creates_a_user(tmp_path: Path) -> None:
    env = {"APPWRIGHT_DATA_DIR": str(tmp_path), "APPWRIGHT_NEW_USER_PASSWORD": "password1"}
    run = [sys.executable, "-m", "appwright"]
    migrated = subprocess.run([*run, "migrate"], env=env, capture_output=True, text=True)
    assert migrated.returncode == 0, migrated.stderr
    assert (tmp_path / "appwright.db").is_file()
    created = subprocess.run(
        [*run, "create-user", "admin@example.com", "--tier", "pro"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert created.returncode == 0, created.stderr
    again = subprocess.run(
        [*run, "create-user", "admin@example.com"], env=env, capture_output=True, text=True
    )
    assert again.returncode == 1
    assert "already exists" in again.stderr


def test_unsafe_local_is_refused_in_production(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="unsafe-local is refused in production"):
        Settings(
            env="production",
            data_dir=tmp_path,
            secret_key="k" * 40,
            sandbox_isolation="unsafe-local",
        )
    assert Settings(data_dir=tmp_path, sandbox_isolation="unsafe-local").single_account
    assert not Settings(data_dir=tmp_path).single_account


def test_an_egress_allow_list_entry_that_is_not_a_name_stops_the_start(tmp_path: Path) -> None:
    env = {
        "APPWRIGHT_DATA_DIR": str(tmp_path),
        "APPWRIGHT_SANDBOX_EGRESS_ALLOW": "registry.npmjs.org, 140.82.112.3",
    }
    started = subprocess.run(
        [sys.executable, "-m", "appwright", "migrate"], env=env, capture_output=True, text=True
    )
    assert started.returncode != 0
    assert "APPWRIGHT_SANDBOX_EGRESS_ALLOW: '140.82.112.3' is an IP address" in started.stderr
    assert "Traceback" not in started.stderr  # a message, not a stack
    with pytest.raises(ValidationError, match=r"'\*\.com' is not a host name"):
        Settings(data_dir=tmp_path, sandbox_egress_allow="*.com")
    assert Settings(data_dir=tmp_path, sandbox_egress_allow="*.Example.com.").sandbox_egress_hosts
