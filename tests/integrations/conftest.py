"""A fake GitHub per module; the app's settings point at it and allow local remotes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from appwright.core.config import Settings
from testing.fakes.github import FakeGitHubServer, serve


@pytest.fixture(scope="module")
def fake_github(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeGitHubServer]:
    with serve(tmp_path_factory.mktemp("github")) as github:
        github.state.add_token("ghp_ada_token_123456", "ada")
        github.state.add_token("ghp_bob_token_123456", "bob")
        yield github


@pytest.fixture
def settings(settings: Settings, fake_github: FakeGitHubServer) -> Settings:
    return settings.model_copy(
        update={"github_api_url": fake_github.url, "github_allow_local_remotes": True}
    )
