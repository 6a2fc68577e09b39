"""Schemathesis fuzzes every operation of the OpenAPI schema: no input may cause a 5xx.

The app runs under a real uvicorn server on a free port, on SQLite and on PostgreSQL, and
is called as a signed-in user (API key) with both valid and invalid generated requests.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.result import Ok

from appwright.core.config import Settings
from testing.fakes.github import serve as serve_fake_github
from testing.fakes.vercel import serve as serve_fake_vercel
from tests.conftest import LiveServer

EXAMPLES_PER_OPERATION = 8


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Iterator[Settings]:
    """The suite's settings, with GitHub and Vercel calls going to the local fakes."""
    with serve_fake_github(tmp_path / "github") as github, serve_fake_vercel() as vercel:
        yield settings.model_copy(
            update={"github_api_url": github.url, "vercel_api_url": vercel.url}
        )


def _bearer_key(base_url: str) -> str:
    with httpx.Client(base_url=base_url) as c:
        c.get("/api/auth/session")
        c.headers["X-CSRF-Token"] = c.cookies["appwright_csrf"]
        r = c.post(
            "/api/auth/signup",
            json={"email": "fuzz@example.com", "password": "fuzzing-pass", "name": "Fuzz"},
        )
        assert r.status_code == 201, r.text
        assert (
            c.post("/api/projects", json={"name": "Fuzzed", "template": "static"}).status_code
            == 201
        )
        key = c.post("/api/auth/api-keys", json={"name": "fuzz"}).json()["key"]
        assert isinstance(key, str)
        return key


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_operation_answers_5xx(live_server: LiveServer, mode: GenerationMode) -> None:
    server = live_server.url
    key = _bearer_key(server)
    schema = schemathesis.openapi.from_url(f"{server}/openapi.json")
    failures: list[str] = []
    unsatisfiable: list[str] = []
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operations.append(result.ok())
    assert len(operations) >= 20
    for operation in operations:

        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(mode))
        def run(case: Any) -> None:
            if case.operation.path == "/api/auth/signout":
                return  # would end the fuzzing session's own authority; covered elsewhere
            response = case.call(base_url=server, headers={"Authorization": f"Bearer {key}"})
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} -> {response.status_code}: "
                    f"{response.text[:200]}"
                )
            else:
                assert response.status_code < 500

        try:
            run()
        except Unsatisfiable:
            # Negative mode cannot invalidate an operation that takes no input at all.
            assert mode == GenerationMode.NEGATIVE
            unsatisfiable.append(operation.label)
    assert failures == []
    assert len(unsatisfiable) < len(operations) / 2
