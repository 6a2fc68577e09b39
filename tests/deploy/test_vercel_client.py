"""The Vercel client against ``testing/fakes/vercel`` over real HTTP: uploads of only the
files Vercel lacks, builds that end READY or ERROR with their log, 429s waited out,
revoked tokens, env variables and domains."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator

import pytest

from appwright.deploy.vercel import (
    DeploymentEvent,
    DeploymentFile,
    ProjectSettings,
    VercelAuthError,
    VercelClient,
    VercelError,
    VercelRateLimited,
)
from testing.fakes.vercel import FAIL_FILE, FakeVercelServer, serve

pytestmark = pytest.mark.anyio

TOKEN = "vercel_ada_token_0123456789"
TEAM = "team_ada"
VITE = ProjectSettings(
    framework="vite", build_command=None, output_directory="dist", install_command=None
)


@pytest.fixture(scope="module")
def fake_vercel() -> Iterator[FakeVercelServer]:
    with serve(step_seconds=0.02) as vercel:
        vercel.state.add_token(TOKEN, "ada", teams=(TEAM,))
        yield vercel


@pytest.fixture
def vercel(fake_vercel: FakeVercelServer) -> Iterator[FakeVercelServer]:
    yield fake_vercel
    fake_vercel.state.throttle(0)


def client(vercel: FakeVercelServer, token: str = TOKEN, *, max_retries: int = 3) -> VercelClient:
    return VercelClient(vercel.url, token, team_id=TEAM, max_retries=max_retries)


def site(title: str, script: str = "console.log('hi')") -> list[DeploymentFile]:
    return [
        DeploymentFile.of("index.html", f"<h1>{title}</h1>".encode()),
        DeploymentFile.of("assets/app.js", script.encode()),
        DeploymentFile.of("assets/logo.svg", b"<svg/>"),
    ]


async def test_a_first_deploy_uploads_every_file_and_goes_live(vercel: FakeVercelServer) -> None:
    files = site("Shop")
    before = len(vercel.state.uploaded())
    async with client(vercel) as api:
        created = await api.create_deployment("shop", files, VITE)
        assert created.ready_state == "QUEUED" and not created.done
        lines = [event.text async for event in api.events(created.id)]
        ready = await api.wait(created.id, interval=0.02)

    assert sorted(vercel.state.uploaded()[before:]) == sorted(f.sha for f in files)
    assert ready.ready_state == "READY" and ready.id == created.id
    assert ready.url == "https://shop.vercel.app"
    assert "Deployment completed" in lines
    deployed = vercel.state.deployment(created.id).files
    assert deployed == {f.path: f.data for f in files}
    calls = [r for r in vercel.state.requests() if r["path"].startswith(("/v2", "/v13", "/v3"))]
    assert calls and all(r["query"].get("teamId") == TEAM for r in calls)
    create = next(r for r in calls if r["path"] == "/v13/deployments")
    assert create["body"]["projectSettings"] == {
        "framework": "vite", "buildCommand": None, "outputDirectory": "dist",
        "installCommand": None,
    }  # fmt: skip
    assert create["body"]["target"] == "production"


async def test_a_second_deploy_uploads_only_the_changed_file(vercel: FakeVercelServer) -> None:
    async with client(vercel) as api:
        first = await api.create_deployment("blog", site("Blog"), VITE)
        await api.wait(first.id, interval=0.02)
        before = len(vercel.state.uploaded())
        changed = site("Blog", script="console.log('v2')")
        second = await api.create_deployment("blog", changed, VITE)
        ready = await api.wait(second.id, interval=0.02)

    assert vercel.state.uploaded()[before:] == [changed[1].sha]
    assert ready.ready_state == "READY" and second.id != first.id
    assert vercel.state.deployment(second.id).files["assets/app.js"] == b"console.log('v2')"


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        (
            DeploymentFile.of(
                "package.json", json.dumps({"scripts": {"build": "exit 1"}}).encode()
            ),
            'Command "npm run build" exited with 1',
        ),
        (DeploymentFile.of(FAIL_FILE, b"src/App.tsx(3,1): error TS1005"), "error TS1005"),
    ],
)
async def test_a_failed_build_ends_in_error_with_its_log(
    vercel: FakeVercelServer, extra: DeploymentFile, error: str
) -> None:
    async with client(vercel) as api:
        created = await api.create_deployment("broken", [*site("Broken"), extra], VITE)
        streamed = [event async for event in api.events(created.id)]
        failed = await api.get_deployment(created.id)
        afterwards = [event async for event in api.events(created.id, follow=False)]

    assert failed.ready_state == "ERROR" and failed.done
    assert failed.error_message is not None and error in failed.error_message
    stderr = [e.text for e in streamed if e.type == "stderr"]
    assert len(stderr) == 1 and error in stderr[0]
    assert "Deployment completed" not in [e.text for e in streamed]
    assert afterwards == streamed
    assert all(isinstance(e, DeploymentEvent) and e.created > 0 for e in streamed)


async def test_a_429_is_waited_out_for_retry_after_and_retried(vercel: FakeVercelServer) -> None:
    async with client(vercel) as api:
        created = await api.create_deployment("limits", site("Limits"), VITE)
        vercel.state.throttle(1, retry_after=1)
        started = time.monotonic()
        again = await api.get_deployment(created.id)
        waited = time.monotonic() - started

    assert again.id == created.id
    assert waited >= 0.9
    gets = [r for r in vercel.state.requests() if r["path"] == f"/v13/deployments/{created.id}"]
    assert len(gets) == 2


async def test_too_many_429s_raise_rate_limited(vercel: FakeVercelServer) -> None:
    async with client(vercel, max_retries=2) as api:
        created = await api.create_deployment("limited", site("Limited"), VITE)
        vercel.state.throttle(10, retry_after=0)
        with pytest.raises(VercelRateLimited) as raised:
            await api.get_deployment(created.id)
        gets = [r for r in vercel.state.requests() if r["path"] == f"/v13/deployments/{created.id}"]
        assert len(gets) == 3  # the call and two retries
        assert "try again" in raised.value.detail

        vercel.state.throttle(1, retry_after=3600)
        with pytest.raises(VercelRateLimited) as later:  # too long a wait: no retry at all
            await api.get_deployment(created.id)
    assert later.value.retry_after == 3600 and later.value.headers["Retry-After"] == "3600"


async def test_a_revoked_token_asks_to_reconnect_and_never_shows_the_token(
    vercel: FakeVercelServer, caplog: pytest.LogCaptureFixture
) -> None:
    token = "vercel_bob_token_9876543210"
    vercel.state.add_token(token, "bob", teams=(TEAM,))
    caplog.set_level(logging.DEBUG)
    async with client(vercel, token) as api:
        created = await api.create_deployment("bobs", site("Bob"), VITE)
        vercel.state.revoke(token)
        with pytest.raises(VercelAuthError) as raised:
            await api.get_deployment(created.id)
        with pytest.raises(VercelAuthError):
            await api.upsert_env("bobs", "API_KEY", "s3cret", ["production"])

    error = raised.value
    assert "reconnect Vercel" in error.detail and error.status == 403
    assert token not in str(error) and token not in repr(error.args)
    assert token not in caplog.text and "s3cret" not in caplog.text
    sent = [r for r in vercel.state.requests() if r["headers"].get("user-agent") == "appwright"]
    assert sent and all(token not in json.dumps(r) for r in sent)  # the header only


async def test_env_upsert_replaces_the_value(vercel: FakeVercelServer) -> None:
    async with client(vercel) as api:
        await api.create_deployment("envs", site("Envs"), VITE)
        first = await api.upsert_env("envs", "VITE_API_URL", "https://a.test", ["production"])
        second = await api.upsert_env("envs", "VITE_API_URL", "https://b.test", ["production"])
        plain = await api.upsert_env(
            "envs", "VITE_MODE", "live", ["production", "preview"], type="plain"
        )
        with pytest.raises(VercelError) as missing:
            await api.upsert_env("no-such-project", "K", "v", ["production"])

    assert first.id == second.id and second.key == "VITE_API_URL"
    assert second.type == "encrypted" and second.targets == ("production",)
    assert plain.targets == ("production", "preview")
    assert vercel.state.project("envs").env_values() == {
        "VITE_API_URL": ("https://b.test", "encrypted", ("production",)),
        "VITE_MODE": ("live", "plain", ("production", "preview")),
    }
    assert missing.value.code == "not_found" and missing.value.status == 404


async def test_domains_are_added_and_verified_through_their_txt_record(
    vercel: FakeVercelServer,
) -> None:
    vercel.state.claim_domain("example.org")
    async with client(vercel) as api:
        await api.create_deployment("domains", site("Domains"), VITE)
        free = await api.add_domain("domains", "shop.example.com")
        claimed = await api.add_domain("domains", "www.example.org")
        with pytest.raises(VercelError) as unverified:
            await api.verify_domain("domains", "www.example.org")
        (challenge,) = claimed.verification
        vercel.state.publish_txt(challenge.domain, challenge.value)
        verified = await api.verify_domain("domains", "www.example.org")
        with pytest.raises(VercelError) as twice:
            await api.add_domain("domains", "shop.example.com")

    project = vercel.state.project("domains")
    assert free.verified and free.apex_name == "example.com" and free.project_id == project.id
    assert not claimed.verified
    assert challenge.type == "TXT" and challenge.domain == "_vercel.example.org"
    assert challenge.value.startswith("vc-domain-verify=www.example.org,")
    assert unverified.value.code == "missing_txt_record" and unverified.value.status == 400
    assert verified.verified and verified.name == "www.example.org"
    assert twice.value.code == "domain_already_in_use"
