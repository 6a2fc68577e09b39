"""The names the platform answers to (unit), and the Host check in the in-process app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from appwright.core.bodylimit import MIB, describe_size
from appwright.core.config import Settings
from appwright.core.hosts import HostPolicy, host_name
from tests.conftest import TEST_SECRET


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("LocalHost:8000", "localhost"),
        ("localhost", "localhost"),
        ("localhost.:8000", "localhost"),
        ("127.0.0.1:8000", "127.0.0.1"),
        ("[::1]:8000", "::1"),
        ("[0:0::1]", "::1"),
        ("my-app.apps.localhost", "my-app.apps.localhost"),
        ("evil.example:abc", None),
        ("evil example", None),
        ("evil.example/x", None),
        ("", None),
        ("[::1", None),
        ("[nope]:80", None),
        ("[::1]x", None),
        (":8000", None),
    ],
)
def test_host_names_are_parsed_strictly(header: str, name: str | None) -> None:
    assert host_name(header) == name


def _policy(tmp_path: Path, **values: Any) -> HostPolicy:
    return HostPolicy.from_settings(Settings(data_dir=tmp_path, secret_key=TEST_SECRET, **values))


def test_development_answers_to_loopback_and_app_names(tmp_path: Path) -> None:
    policy = _policy(tmp_path)
    for name in ("localhost", "127.0.0.1", "::1", "shop.apps.localhost"):
        assert policy.allows(name), name
    for name in (
        "evil.example",
        "localhost.evil.example",
        "a.b.apps.localhost",
        "apps.localhost",
        "-x.apps.localhost",
        "p1.preview.localhost",  # the gateway serves previews; the app never does
    ):
        assert not policy.allows(name), name


def test_production_answers_to_its_public_name_only(tmp_path: Path) -> None:
    policy = _policy(
        tmp_path,
        env="production",
        public_url="https://AppWright.example.com/",
        apps_domain="apps.example.com",
    )
    assert policy.allows("appwright.example.com")
    assert policy.allows("shop.apps.example.com")
    for name in ("localhost", "127.0.0.1", "::1", "example.com", "evil.example"):
        assert not policy.allows(name), name


def test_allowed_hosts_adds_names_and_wildcards(tmp_path: Path) -> None:
    policy = _policy(
        tmp_path,
        env="production",
        public_url="https://appwright.example.com",
        allowed_hosts="Build.Example.com, *.corp.example [fd00::1]",
    )
    for name in ("build.example.com", "a.corp.example", "a.b.corp.example", "fd00::1"):
        assert policy.allows(name), name
    for name in ("corp.example", "example.com", "localhost"):
        assert not policy.allows(name), name
    assert _policy(tmp_path, env="production", allowed_hosts="*").allows("anything.example")


@pytest.mark.anyio
async def test_in_process_app_refuses_a_foreign_host(client: httpx.AsyncClient) -> None:
    for path in ("/api/health", "/api/auth/session", "/", "/dev/outbox"):
        refused = await client.get(path, headers={"Host": "evil.example"})
        assert refused.status_code == 421, path
        assert refused.json()["error"] == "MisdirectedRequest"
    assert (await client.get("/api/health")).status_code == 200


def test_sizes_are_described_for_people() -> None:
    assert describe_size(MIB) == "1 MiB"
    assert describe_size(11 * MIB) == "11 MiB"
    assert describe_size(10 * MIB * 4 // 3 + MIB) == "14.3 MiB"
    assert describe_size(512 * 1024) == "512 KiB"
    assert describe_size(100) == "100 bytes"
