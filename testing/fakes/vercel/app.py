"""The fake Vercel's ASGI app: the REST endpoints the platform calls, in Vercel's shapes.

``GET /v2/user``, ``GET /v2/teams/{id}``, ``GET /v9/projects/{idOrName}``,
``POST /v11/projects``, ``POST /v10/projects/{idOrName}/promote/{deploymentId}``,
``POST /v2/files``, ``POST /v13/deployments``, ``GET /v13/deployments/{idOrUrl}``,
``GET /v3/deployments/{idOrUrl}/events`` (``follow=1``: newline-delimited JSON until the
build ends), ``POST /v10/projects/{idOrName}/env?upsert=true``,
``POST /v10/projects/{idOrName}/domains`` (409 ``domain_already_in_use`` when another
project, of any account, has the domain), ``GET`` and ``DELETE
/v9/projects/{idOrName}/domains/{d}``, ``POST /v9/projects/{idOrName}/domains/{d}/verify``.
Errors are ``{"error": {"code", "message", ...}}``.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import json
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from testing.fakes.vercel.state import FakeDeployment, FakeProject, FakeVercelState

__all__ = ["create_app"]

_SECRET_HEADERS = frozenset({"authorization", "cookie"})
_ENV_TYPES = frozenset({"encrypted", "plain", "sensitive"})
_ENV_TARGETS = frozenset({"production", "preview", "development"})

Handler = Callable[[Request, str, Any], Awaitable[Response]]
Endpoint = Callable[[Request], Awaitable[Response]]


def _error(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, **extra}}, status)


def _not_found(what: str) -> JSONResponse:
    return _error(404, "not_found", f"{what} not found")


def _bad(message: str) -> JSONResponse:
    return _error(400, "bad_request", message)


def create_app(state: FakeVercelState) -> Starlette:
    """The Starlette app serving ``state``."""

    def endpoint(
        handler: Handler, *, raw: bool = False
    ) -> Callable[[Request], Awaitable[Response]]:
        """Record the request, answer 429s and refused tokens, then call ``handler``."""

        async def run(request: Request) -> Response:
            data = await request.body()
            body: Any = data if raw else None
            if data and not raw:
                try:
                    body = await request.json()
                except ValueError:
                    return _bad("Invalid JSON body")
            headers = {k: v for k, v in request.headers.items() if k not in _SECRET_HEADERS}
            with state.lock:
                state.recorded.append({
                    "method": request.method,
                    "path": request.url.path,
                    "query": dict(request.query_params),
                    "headers": headers,
                    "body": {"bytes": len(data)} if raw else body,
                })  # fmt: skip
            retry_after = state.take_throttle()
            if retry_after is not None:
                reset = int(time.time()) + retry_after
                return JSONResponse(
                    {"error": {"code": "rate_limited",
                               "message": f"Rate limit exceeded. Try again in {retry_after}s.",
                               "limit": {"remaining": 0, "reset": reset, "total": 100}}},
                    429,
                    headers={"retry-after": str(retry_after), "x-ratelimit-limit": "100",
                             "x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)},
                )  # fmt: skip
            scheme, _, token = request.headers.get("authorization", "").partition(" ")
            owner = state.owner(
                token.strip() if scheme.lower() == "bearer" else None,
                request.query_params.get("teamId"),
            )
            if owner is None:
                return _error(403, "forbidden", "Not authorized", invalidToken=True)
            if owner == "":
                return _error(403, "forbidden", "Not authorized")
            return await handler(request, owner, body)

        return run

    async def user(request: Request, owner: str, _: Any) -> Response:
        with state.lock:
            account = next(a for a in state.accounts.values() if owner in (a.user, *a.teams))
        name = account.user
        return JSONResponse({
            "user": {"id": f"usr_{name}", "username": name, "email": f"{name}@example.com",
                     "name": name.title(), "defaultTeamId": None}
        })  # fmt: skip

    async def team(request: Request, owner: str, _: Any) -> Response:
        team_id = request.path_params["id"]
        if team_id != owner:
            return _error(403, "forbidden", "Not authorized")
        return JSONResponse({"id": team_id, "slug": team_id, "name": f"Team {team_id}"})

    async def get_project(request: Request, owner: str, _: Any) -> Response:
        project = project_of(request, owner)
        if project is None:
            return _not_found("Project")
        return JSONResponse(project.body())

    async def new_project(request: Request, owner: str, body: Any) -> Response:
        if not isinstance(body, dict) or not isinstance(body.get("name"), str):
            return _bad("`name` is required")
        if state.find_project(owner, body["name"]) is not None:
            name = body["name"]
            return _error(409, "conflict", f"A project with the name {name} already exists.")
        settings = {k: v for k, v in body.items() if k != "name"}
        return JSONResponse(state.create_project(owner, body["name"], settings).body())

    async def promote(request: Request, owner: str, _: Any) -> Response:
        project = project_of(request, owner)
        deployment = find(owner, request.path_params["id"])
        if project is None or deployment is None or deployment.project is not project:
            return _not_found("Deployment")
        if not deployment.done(time.time()) or deployment.outcome != "READY":
            return _bad("Only a ready deployment can be promoted")
        with state.lock:
            project.production = deployment.id
        return Response(status_code=201)

    async def upload(request: Request, owner: str, body: Any) -> Response:
        digest = request.headers.get("x-vercel-digest") or request.headers.get("x-now-digest")
        if not digest:
            return _error(400, "missing_digest", "Missing `x-vercel-digest` header")
        if hashlib.sha1(body, usedforsecurity=False).hexdigest() != digest.lower():
            return _error(400, "invalid_digest", "The file's SHA-1 does not match its digest")
        with state.lock:
            state.files.setdefault(owner, {})[digest.lower()] = bytes(body)
            state.uploads.append(digest.lower())
        return JSONResponse({"urls": []})

    async def create(request: Request, owner: str, body: Any) -> Response:
        if not isinstance(body, dict) or not isinstance(body.get("name"), str):
            return _bad("`name` is required")
        entries = body.get("files")
        if not isinstance(entries, list) or not entries:
            return _bad("`files` must be a non-empty list")
        settings = body.get("projectSettings")
        if state.find_project(owner, body["name"]) is None and not isinstance(settings, dict):
            return _error(
                400, "missing_project_settings",
                "The `projectSettings` object is required for new projects",
            )  # fmt: skip
        with state.lock:
            store = dict(state.files.get(owner, {}))
        files: dict[str, bytes] = {}
        missing: list[str] = []
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
                return _bad("each file needs `file`")
            if "data" in entry:
                try:
                    data = (
                        base64.b64decode(entry["data"], validate=True)
                        if entry.get("encoding") == "base64"
                        else str(entry["data"]).encode()
                    )
                except (binascii.Error, ValueError):
                    return _bad(f"invalid base64 data for {entry['file']}")
                files[entry["file"]] = data
                continue
            sha = str(entry.get("sha", "")).lower()
            if sha in store:
                files[entry["file"]] = store[sha]
            elif sha not in missing:
                missing.append(sha)
        if missing:
            return _error(400, "missing_files", "Missing files", missing=missing)
        target = body.get("target")
        deployment = state.create_deployment(
            owner,
            body["name"],
            files,
            settings if isinstance(settings, dict) else {},
            str(target) if target is not None else None,
        )
        return JSONResponse(deployment.body(time.time(), state.step_seconds))

    def find(owner: str, id_or_url: str) -> FakeDeployment | None:
        with state.lock:
            found = state.deployments.get(id_or_url) or next(
                (d for d in state.deployments.values() if d.host == id_or_url), None
            )
        return found if found is not None and found.project.owner == owner else None

    async def get(request: Request, owner: str, _: Any) -> Response:
        deployment = find(owner, request.path_params["id"])
        if deployment is None:
            return _not_found("Deployment")
        return JSONResponse(deployment.body(time.time(), state.step_seconds))

    async def events(request: Request, owner: str, _: Any) -> Response:
        deployment = find(owner, request.path_params["id"])
        if deployment is None:
            return _not_found("Deployment")
        if request.query_params.get("follow") != "1":
            return JSONResponse(deployment.events_until(time.time()))

        async def stream() -> AsyncIterator[bytes]:
            sent = 0
            while True:
                now = time.time()
                ready = deployment.events_until(now)
                for event in ready[sent:]:
                    yield json.dumps(event).encode() + b"\n"
                sent = len(ready)
                if deployment.done(now) and sent == len(deployment.events):
                    return
                await asyncio.sleep(state.step_seconds / 2)

        return StreamingResponse(stream(), media_type="application/stream+json")

    def project_of(request: Request, owner: str) -> FakeProject | None:
        return state.find_project(owner, request.path_params["project"])

    async def env(request: Request, owner: str, body: Any) -> Response:
        project = project_of(request, owner)
        if project is None:
            return _not_found("Project")
        if not isinstance(body, dict) or not isinstance(body.get("key"), str):
            return _bad("`key` is required")
        if not isinstance(body.get("value"), str) or body.get("type") not in _ENV_TYPES:
            return _bad("`value` must be a string and `type` one of encrypted, plain, sensitive")
        targets = body.get("target")
        if not isinstance(targets, list) or not targets or not set(targets) <= _ENV_TARGETS:
            return _bad("`target` must list production, preview or development")
        now = int(time.time() * 1000)
        upsert = request.query_params.get("upsert") == "true"
        wanted = set(targets)
        with state.lock:
            same = next(
                (e for e in project.env if e["key"] == body["key"] and set(e["target"]) & wanted),
                None,
            )
            if same is not None and not upsert:
                return _error(
                    400, "ENV_CONFLICT",
                    f"A variable with the name `{body['key']}` already exists for the target",
                    key=body["key"],
                )  # fmt: skip
            if same is None:
                same = {"id": secrets.token_hex(8), "key": body["key"], "createdAt": now}
                project.env.append(same)
            same.update(value=body["value"], type=body["type"], target=list(targets), updatedAt=now)
            shown = {k: v for k, v in same.items() if k != "value"}
        value = body["value"] if body["type"] == "plain" else ""
        if body["type"] == "encrypted":
            value = base64.b64encode(secrets.token_bytes(24)).decode()
        return JSONResponse(
            {"created": {**shown, "value": value, "configurationId": None}, "failed": []}, 201
        )

    def domain_body(project: FakeProject, name: str) -> dict[str, Any]:
        return dict(project.domains[name])

    async def add_domain(request: Request, owner: str, body: Any) -> Response:
        project = project_of(request, owner)
        if project is None:
            return _not_found("Project")
        name = body.get("name") if isinstance(body, dict) else None
        if not isinstance(name, str) or "." not in name or name != name.lower():
            return _error(400, "invalid_domain", "Invalid domain name")
        apex = ".".join(name.split(".")[-2:])
        with state.lock:
            if name in project.domains:
                return _error(
                    400, "domain_already_in_use",
                    f"Cannot add {name} since it's already assigned to this project.",
                )  # fmt: skip
            if state.domain_holder(name) is not None:
                return _error(
                    409, "domain_already_in_use",
                    f"The domain {name} is already in use by another project.",
                    domain={"name": name},
                )  # fmt: skip
            claimed = name in state.claimed or apex in state.claimed
            now = int(time.time() * 1000)
            project.domains[name] = {
                "name": name,
                "apexName": apex,
                "projectId": project.id,
                "redirect": None,
                "redirectStatusCode": None,
                "gitBranch": None,
                "createdAt": now,
                "updatedAt": now,
                "verified": not claimed,
                **({"verification": [{
                    "type": "TXT",
                    "domain": f"_vercel.{apex}",
                    "value": f"vc-domain-verify={name},{secrets.token_hex(10)}",
                    "reason": "pending_domain_verification",
                }]} if claimed else {}),
            }  # fmt: skip
            return JSONResponse(domain_body(project, name))

    async def verify_domain(request: Request, owner: str, _: Any) -> Response:
        project = project_of(request, owner)
        name = request.path_params["domain"]
        if project is None or name not in project.domains:
            return _not_found("Domain")
        with state.lock:
            domain = project.domains[name]
            if not domain["verified"]:
                challenge = domain["verification"][0]
                if challenge["value"] not in state.dns_txt.get(challenge["domain"], set()):
                    return _error(
                        400, "missing_txt_record",
                        f"Domain {name} was added to a different account. Add the TXT record "
                        f"{challenge['domain']} to verify it for this project.",
                    )  # fmt: skip
                domain["verified"] = True
                domain.pop("verification")
            return JSONResponse(domain_body(project, name))

    def domain_of(request: Request, owner: str) -> tuple[FakeProject, str] | None:
        project = project_of(request, owner)
        name = request.path_params["domain"]
        return (project, name) if project is not None and name in project.domains else None

    async def get_domain(request: Request, owner: str, _: Any) -> Response:
        found = domain_of(request, owner)
        if found is None:
            return _not_found("Domain")
        with state.lock:
            return JSONResponse(domain_body(*found))

    async def remove_domain(request: Request, owner: str, _: Any) -> Response:
        found = domain_of(request, owner)
        if found is None:
            return _not_found("Domain")
        project, name = found
        with state.lock:
            project.domains.pop(name, None)
        return JSONResponse({})

    return Starlette(
        routes=[
            Route("/v2/user", endpoint(user), methods=["GET"]),
            Route("/v2/teams/{id}", endpoint(team), methods=["GET"]),
            Route("/v9/projects/{project}", endpoint(get_project), methods=["GET"]),
            Route("/v11/projects", endpoint(new_project), methods=["POST"]),
            Route("/v10/projects/{project}/promote/{id}", endpoint(promote), methods=["POST"]),
            Route("/v2/files", endpoint(upload, raw=True), methods=["POST"]),
            Route("/v13/deployments", endpoint(create), methods=["POST"]),
            Route("/v13/deployments/{id}", endpoint(get), methods=["GET"]),
            Route("/v3/deployments/{id}/events", endpoint(events), methods=["GET"]),
            Route("/v10/projects/{project}/env", endpoint(env), methods=["POST"]),
            Route("/v10/projects/{project}/domains", endpoint(add_domain), methods=["POST"]),
            Route(
                "/v9/projects/{project}/domains/{domain}",
                endpoint(get_domain),
                methods=["GET"],
            ),
            Route(
                "/v9/projects/{project}/domains/{domain}",
                endpoint(remove_domain),
                methods=["DELETE"],
            ),
            Route(
                "/v9/projects/{project}/domains/{domain}/verify",
                endpoint(verify_domain),
                methods=["POST"],
            ),
        ]
    )
