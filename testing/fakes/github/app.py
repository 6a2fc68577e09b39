"""The fake GitHub's ASGI app: accounts by token, repositories as bare git repos."""

from __future__ import annotations

import itertools
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

__all__ = ["FakeGitHubState", "create_app"]

DOCS = "https://docs.github.com/rest"
_SECRET_HEADERS = frozenset({"authorization", "cookie"})


@dataclass
class FakeGitHubState:
    """Known tokens (token → login and scopes), repositories, and recorded requests."""

    repos_dir: Path
    base_url: str = "http://127.0.0.1"
    tokens: dict[str, tuple[str, str]] = field(default_factory=dict)
    repos: dict[str, dict[str, Any]] = field(default_factory=dict)
    recorded: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))

    def add_token(self, token: str, login: str, scopes: str = "repo, user") -> None:
        """Accept ``token`` as the account ``login`` (``X-OAuth-Scopes: scopes``)."""
        with self.lock:
            self.tokens[token] = (login, scopes)

    def requests(self) -> list[dict[str, Any]]:
        """Every request received: method, path, headers (no credentials), JSON body."""
        with self.lock:
            return [dict(r) for r in self.recorded]

    def bare_path(self, full_name: str) -> Path:
        return self.repos_dir / f"{full_name}.git"

    def repository(
        self, owner: str, name: str, *, private: bool, description: str
    ) -> dict[str, Any]:
        """Create a repository (a bare git repo on disk) and return its REST shape."""
        full_name = f"{owner}/{name}"
        path = self.bare_path(full_name)
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["git", "init", "-q", "--bare", "-b", "main", str(path)],
            check=True,
            capture_output=True,
        )
        data = {
            "id": next(self._ids),
            "node_id": f"R_fake{name}",
            "name": name,
            "full_name": full_name,
            "private": private,
            "owner": {"login": owner, "id": 1, "type": "User"},
            "html_url": f"https://github.com/{full_name}",
            "description": description or None,
            "fork": False,
            "url": f"{self.base_url}/repos/{full_name}",
            "clone_url": path.as_uri(),
            "git_url": f"git://github.com/{full_name}.git",
            "ssh_url": f"git@github.com:{full_name}.git",
            "default_branch": "main",
            "visibility": "private" if private else "public",
        }
        with self.lock:
            self.repos[full_name.lower()] = data
        return data


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse(
        {"message": message, "documentation_url": DOCS, **extra}, status_code=status
    )


def create_app(state: FakeGitHubState) -> Starlette:
    """The Starlette app serving ``state``."""

    async def record(request: Request) -> tuple[str | None, Any]:
        body: Any = None
        raw = await request.body()
        if raw:
            try:
                body = await request.json()
            except ValueError:
                body = raw.decode("utf-8", "replace")
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _SECRET_HEADERS}
        auth = request.headers.get("authorization", "")
        entry = {
            "method": request.method,
            "path": request.url.path,
            "headers": headers,
            "auth_scheme": auth.split(" ", 1)[0] if auth else None,
            "body": body,
        }
        with state.lock:
            state.recorded.append(entry)
        scheme, _, token = auth.partition(" ")
        login = None
        if scheme.lower() in ("bearer", "token"):
            login = state.tokens.get(token.strip(), (None, ""))[0]
        return login, body

    async def user(request: Request) -> JSONResponse:
        login, _ = await record(request)
        if login is None:
            return _error(401, "Bad credentials")
        scopes = next(s for t, (lg, s) in state.tokens.items() if lg == login)
        return JSONResponse(
            {"login": login, "id": 1, "type": "User", "name": login.title(),
             "html_url": f"https://github.com/{login}"},
            headers={"X-OAuth-Scopes": scopes},
        )  # fmt: skip

    async def create_repo(request: Request) -> JSONResponse:
        login, body = await record(request)
        if login is None:
            return _error(401, "Bad credentials")
        if not isinstance(body, dict) or not isinstance(body.get("name"), str):
            return _error(422, "Invalid request.", errors=[{"field": "name", "code": "missing"}])
        name = body["name"]
        if f"{login}/{name}".lower() in state.repos:
            return _error(
                422,
                "Repository creation failed.",
                errors=[{"resource": "Repository", "code": "custom", "field": "name",
                         "message": "name already exists on this account"}],
            )  # fmt: skip
        data = state.repository(
            login,
            name,
            private=bool(body.get("private", False)),
            description=str(body.get("description") or ""),
        )
        return JSONResponse(data, status_code=201)

    async def get_repo(request: Request) -> JSONResponse:
        login, _ = await record(request)
        if login is None:
            return _error(401, "Bad credentials")
        full = f"{request.path_params['owner']}/{request.path_params['repo']}".lower()
        with state.lock:
            data = state.repos.get(full)
        if data is None or (data["private"] and data["owner"]["login"] != login):
            return _error(404, "Not Found")
        return JSONResponse(data)

    return Starlette(
        routes=[
            Route("/user", user, methods=["GET"]),
            Route("/user/repos", create_repo, methods=["POST"]),
            Route("/repos/{owner}/{repo}", get_repo, methods=["GET"]),
        ]
    )
