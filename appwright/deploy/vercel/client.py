"""An async client on Vercel's REST API: files, deployments, build events, env, domains.

The base URL is a setting (``vercel_api_url``) so tests point it at ``testing/fakes/vercel``.
The token is only ever sent in the ``Authorization`` header and is scrubbed from anything
Vercel echoes back; it never appears in errors or logs. With a ``team_id`` every call
carries ``?teamId=``.

Errors: a revoked or wrong token is a :class:`VercelAuthError` (the person reconnects
Vercel); 429 answers are waited out (``retry-after``, else ``x-ratelimit-reset``) and
retried up to ``max_retries`` times, then :class:`VercelRateLimited`; any other error is a
:class:`VercelError` with Vercel's ``code`` and ``message``.

How a ``VercelTarget`` (a ``DeployTarget`` of ``appwright.deploy.target``) uses it::

    async with VercelClient(settings.vercel_api_url, token, team_id=team) as vercel:
        files = [DeploymentFile.of(path, data) for path, data in <regular files of
                 await job.archive()>]
        for key, value in job.env.items():
            await vercel.upsert_env(project_name, key, value, ["production"])
        deployment = await vercel.create_deployment(
            project_name, files, ProjectSettings(framework="vite", ...)
        )  # uploads only the files Vercel lacks, then creates the deployment
        async for event in vercel.events(deployment.id):  # ends with the build
            job.log.write_chunk(event.text + "\\n")
        deployment = await vercel.wait(deployment.id)
        if deployment.ready_state != "READY":
            raise BuildFailed(deployment.error_message or "the Vercel build failed")
        return BuildOutcome(url=deployment.url)

``create_deployment`` with a new ``name`` creates the Vercel project; the first deployment
of a project must carry its ``ProjectSettings`` (this client always sends them).
"""

from __future__ import annotations

import email.utils
import json
import logging
import time
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

import anyio
import httpx

from appwright.deploy.vercel.errors import (
    VercelAuthError,
    VercelError,
    VercelMissingFiles,
    VercelRateLimited,
    VercelUnavailable,
)
from appwright.deploy.vercel.wire import (
    Account,
    Deployment,
    DeploymentEvent,
    DeploymentFile,
    EnvTarget,
    EnvType,
    EnvVar,
    ProjectDomain,
    ProjectSettings,
    VercelProject,
)

log = logging.getLogger(__name__)

TIMEOUT = httpx.Timeout(30.0, connect=10.0)
EVENTS_TIMEOUT = httpx.Timeout(30.0, connect=10.0, read=600.0)
"""A build may print nothing for minutes; the event stream waits that long."""
UPLOAD_CONCURRENCY = 8
DEFAULT_RETRY_AFTER = 1.0


def _segment(value: str) -> str:
    return quote(value, safe="")


def _retry_after(response: httpx.Response) -> float:
    """Seconds to wait before retrying a 429, from ``retry-after`` or ``x-ratelimit-reset``."""
    header = response.headers.get("retry-after")
    if header:
        try:
            return max(0.0, float(header))
        except ValueError:
            pass
        try:  # the other form of Retry-After: an HTTP date
            return max(0.0, email.utils.parsedate_to_datetime(header).timestamp() - time.time())
        except (TypeError, ValueError):
            pass
    reset = response.headers.get("x-ratelimit-reset")
    if reset:
        try:
            return max(0.0, float(reset) - time.time())
        except ValueError:
            pass
    return DEFAULT_RETRY_AFTER


class VercelClient:
    """Calls Vercel's REST API as the owner of ``token`` (in ``team_id`` when given)."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        team_id: str | None = None,
        max_retries: int = 3,
        max_wait: float = 60.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._token = token
        self._max_retries = max_retries
        self._max_wait = max_wait
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {token}", "User-Agent": "appwright"},
            params={"teamId": team_id} if team_id else None,
            timeout=TIMEOUT,
            transport=transport,
            follow_redirects=False,
        )

    async def __aenter__(self) -> VercelClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- the account ---------------------------------------------------------------------

    async def get_user(self) -> Account:
        """The token's account (``GET /v2/user``); a refused token is a VercelAuthError."""
        return Account.of(_json(await self._send("GET", "/v2/user")))

    async def get_team(self, team_id: str) -> str:
        """The name of a team the token's account belongs to (``GET /v2/teams/{id}``)."""
        data = _json(await self._send("GET", f"/v2/teams/{_segment(team_id)}"))
        return str(data.get("name") or data.get("slug") or team_id)

    # -- files and deployments -------------------------------------------------------

    async def upload_files(self, files: Iterable[DeploymentFile]) -> None:
        """Upload each file's bytes once (``POST /v2/files``, keyed by SHA-1)."""
        unique = list({f.sha: f for f in files}.values())
        failures: list[VercelError] = []
        limiter = anyio.CapacityLimiter(UPLOAD_CONCURRENCY)

        async def upload(file: DeploymentFile) -> None:
            async with limiter:
                if failures:
                    return
                try:
                    await self._send(
                        "POST",
                        "/v2/files",
                        content=file.data,
                        headers={
                            "Content-Type": "application/octet-stream",
                            "Content-Length": str(file.size),
                            "x-vercel-digest": file.sha,
                        },
                    )
                except VercelError as exc:
                    failures.append(exc)

        async with anyio.create_task_group() as tg:
            for file in unique:
                tg.start_soon(upload, file)
        if failures:
            raise failures[0]

    async def create_deployment(
        self,
        name: str,
        files: Sequence[DeploymentFile],
        project_settings: ProjectSettings,
        *,
        target: str | None = "production",
    ) -> Deployment:
        """Create a deployment of ``files`` in project ``name`` (``POST /v13/deployments``).

        Vercel answers ``missing_files`` with the SHA-1s it does not have yet; only those
        are uploaded, then the deployment is created again. ``target=None``: a preview.
        """
        body: dict[str, Any] = {
            "name": name,
            "files": [f.entry() for f in files],
            "projectSettings": project_settings.body(),
        }
        if target is not None:
            body["target"] = target
        try:
            return await self._create(body)
        except VercelMissingFiles as exc:
            missing = exc.missing
        by_sha = {f.sha: f for f in files}
        if any(sha not in by_sha for sha in missing):
            raise VercelError("missing_files", "Vercel asked for files the deployment lacks")
        log.info("uploading %d of %d files to Vercel for %s", len(missing), len(files), name)
        await self.upload_files(by_sha[sha] for sha in missing)
        return await self._create(body)

    async def _create(self, body: dict[str, Any]) -> Deployment:
        response = await self._send(
            "POST", "/v13/deployments", json=body, params={"skipAutoDetectionConfirmation": "1"}
        )
        return Deployment.of(_json(response))

    async def get_deployment(self, deployment_id: str) -> Deployment:
        """A deployment's state (``GET /v13/deployments/{id}``)."""
        response = await self._send("GET", f"/v13/deployments/{_segment(deployment_id)}")
        return Deployment.of(_json(response))

    async def wait(
        self, deployment_id: str, *, interval: float = 2.0, timeout: float = 1800.0
    ) -> Deployment:
        """Poll until the deployment is READY, ERROR or CANCELED (``TimeoutError`` after)."""
        with anyio.fail_after(timeout):
            while True:
                deployment = await self.get_deployment(deployment_id)
                if deployment.done:
                    return deployment
                await anyio.sleep(interval)

    async def events(
        self, deployment_id: str, *, follow: bool = True
    ) -> AsyncIterator[DeploymentEvent]:
        """The build's log (``GET /v3/deployments/{id}/events``).

        ``follow``: a stream of newline-delimited events that ends when the build does;
        otherwise the events so far (a JSON array).
        """
        response = await self._send(
            "GET",
            f"/v3/deployments/{_segment(deployment_id)}/events",
            params={"follow": "1" if follow else "0", "limit": "-1"},
            stream=True,
            timeout=EVENTS_TIMEOUT,
        )
        try:
            if follow:
                async for line in response.aiter_lines():
                    event = _event(line)
                    if event is not None:
                        yield event
            else:
                try:
                    items = json.loads(await response.aread())
                except ValueError:
                    items = None
                if not isinstance(items, list):
                    raise VercelError("invalid_response", "Vercel sent no list of events")
                for item in items:
                    if isinstance(item, dict):
                        yield DeploymentEvent.of(item)
        except httpx.HTTPError:
            raise VercelUnavailable() from None
        finally:
            await response.aclose()

    async def promote(self, project: str, deployment_id: str) -> None:
        """Make a ready deployment the project's production one again, without a rebuild
        (``POST /v10/projects/{id}/promote/{deploymentId}``)."""
        await self._send(
            "POST", f"/v10/projects/{_segment(project)}/promote/{_segment(deployment_id)}"
        )

    # -- project configuration ---------------------------------------------------------

    async def ensure_project(self, name: str, settings: ProjectSettings) -> VercelProject:
        """The project ``name``, created with ``settings`` if it does not exist yet
        (``GET /v9/projects/{name}``, else ``POST /v11/projects``)."""
        try:
            response = await self._send("GET", f"/v9/projects/{_segment(name)}")
        except VercelError as exc:
            if exc.status != 404:
                raise
            response = await self._send(
                "POST", "/v11/projects", json={"name": name, **settings.body()}
            )
        return VercelProject.of(_json(response))

    async def upsert_env(
        self,
        project: str,
        key: str,
        value: str,
        targets: Sequence[EnvTarget],
        *,
        type: EnvType = "encrypted",
    ) -> EnvVar:
        """Create or replace a project variable (``POST /v10/projects/{id}/env?upsert=true``)."""
        response = await self._send(
            "POST",
            f"/v10/projects/{_segment(project)}/env",
            params={"upsert": "true"},
            json={"key": key, "value": value, "type": type, "target": list(targets)},
        )
        data = _json(response)
        created = data.get("created")
        items = created if isinstance(created, list) else [created]
        for item in items:
            if isinstance(item, dict) and item.get("key") == key:
                return EnvVar.of(item)
        failed = data.get("failed")
        reason = failed[0].get("error", {}) if isinstance(failed, list) and failed else {}
        raise VercelError(
            str(reason.get("code") or "env_failed"),
            self._scrub(str(reason.get("message") or f"Vercel did not store {key}")),
        )

    async def add_domain(self, project: str, name: str) -> ProjectDomain:
        """Attach a domain to a project (``POST /v10/projects/{id}/domains``).

        ``verified`` is false while the domain belongs elsewhere; its ``verification``
        lists the DNS record to publish before :meth:`verify_domain`.
        """
        response = await self._send(
            "POST", f"/v10/projects/{_segment(project)}/domains", json={"name": name}
        )
        return ProjectDomain.of(_json(response))

    async def verify_domain(self, project: str, name: str) -> ProjectDomain:
        """Check a domain's challenge (``POST /v9/projects/{id}/domains/{name}/verify``)."""
        response = await self._send(
            "POST", f"/v9/projects/{_segment(project)}/domains/{_segment(name)}/verify"
        )
        return ProjectDomain.of(_json(response))

    async def get_domain(self, project: str, name: str) -> ProjectDomain:
        """A domain of a project, with its pending ``verification`` if any
        (``GET /v9/projects/{id}/domains/{name}``)."""
        response = await self._send(
            "GET", f"/v9/projects/{_segment(project)}/domains/{_segment(name)}"
        )
        return ProjectDomain.of(_json(response))

    async def remove_domain(self, project: str, name: str) -> None:
        """Detach a domain from a project (``DELETE /v9/projects/{id}/domains/{name}``)."""
        await self._send("DELETE", f"/v9/projects/{_segment(project)}/domains/{_segment(name)}")

    # -- transport ---------------------------------------------------------------------

    async def _send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        stream: bool = False,
        timeout: httpx.Timeout = TIMEOUT,
    ) -> httpx.Response:
        """One call, 429s waited out and retried; an error answer raised as a VercelError."""
        attempt = 0
        while True:
            attempt += 1
            request = self._http.build_request(
                method,
                path,
                json=json,
                content=content,
                headers=headers,
                params=params,
                timeout=timeout,
            )
            try:
                response = await self._http.send(request, stream=stream)
            except httpx.HTTPError:
                raise VercelUnavailable() from None
            if response.status_code < 400:
                return response
            try:
                if stream:
                    await response.aread()
            except httpx.HTTPError:
                raise VercelUnavailable() from None
            finally:
                await response.aclose()
            if response.status_code != 429:
                raise self._error(response)
            wait = _retry_after(response)
            if attempt > self._max_retries or wait > self._max_wait:
                raise VercelRateLimited(wait, attempts=attempt)
            log.info("Vercel rate limited %s %s; retrying in %.1f s", method, path, wait)
            await anyio.sleep(wait)

    def _scrub(self, text: str) -> str:
        return text.replace(self._token, "[token]") if self._token else text

    def _error(self, response: httpx.Response) -> VercelError:
        status = response.status_code
        try:
            data = response.json()
        except ValueError:
            data = None
        error = data.get("error") if isinstance(data, dict) else None
        error = error if isinstance(error, dict) else {}
        code = str(error.get("code") or f"http_{status}")
        message = self._scrub(str(error.get("message") or response.reason_phrase)[:500])
        if _token_refused(status, code, message, error):
            return VercelAuthError(code, message, status=status)
        if code == "missing_files" and isinstance(error.get("missing"), list):
            return VercelMissingFiles(message, tuple(str(s) for s in error["missing"]))
        return VercelError(code, message, status=status)


def _token_refused(status: int, code: str, message: str, error: dict[str, Any]) -> bool:
    """401, or a 403 that says the token is invalid (``invalidToken``) or bare "Not authorized".

    Other 403s (a domain owned by another account, a plan limit) are ordinary errors.
    """
    if status == 401:
        return True
    bare = code == "forbidden" and message == "Not authorized"
    return status == 403 and (error.get("invalidToken") is True or bare)


def _json(response: httpx.Response) -> dict[str, Any]:
    """The answer's JSON object; anything else is an error (Vercel always sends objects)."""
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise VercelError(
            "invalid_response", f"Vercel answered {response.status_code} without JSON"
        )
    return data


def _event(line: str) -> DeploymentEvent | None:
    line = line.strip()
    if not line:
        return None
    try:
        item = json.loads(line)
    except ValueError:
        return None
    return DeploymentEvent.of(item) if isinstance(item, dict) and item.get("type") else None
