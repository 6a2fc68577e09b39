"""A small GitHub REST client (``/user``, ``/user/repos``, ``/repos/{owner}/{repo}``).

The base URL is a setting (``github_api_url``) so tests point it at ``testing/fakes/github``.
The token is only ever sent in the ``Authorization`` header; it never appears in errors
or logs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from appwright.core.errors import AppError, BadRequest, Conflict, ResourceNotFound

API_VERSION = "2022-11-28"
TIMEOUT = httpx.Timeout(20.0, connect=10.0)


class GitHubUnavailable(AppError):
    """GitHub could not be reached or answered with an error we cannot act on."""

    status_code = 502


class GitHubTokenRejected(BadRequest):
    """GitHub refused the token (wrong, expired or revoked)."""


class GitHubRepositoryExists(Conflict):
    """A repository of that name already exists on the account."""


class GitHubRepositoryNotFound(ResourceNotFound):
    """No such repository, or the token cannot see it."""


@dataclass(frozen=True, slots=True)
class GitHubUser:
    login: str
    scopes: str | None


@dataclass(frozen=True, slots=True)
class GitHubRepository:
    """The fields of a repository the platform keeps."""

    full_name: str
    html_url: str
    clone_url: str
    default_branch: str
    private: bool

    @classmethod
    def of(cls, data: dict[str, Any]) -> GitHubRepository:
        return cls(
            full_name=str(data["full_name"]),
            html_url=str(data["html_url"]),
            clone_url=str(data["clone_url"]),
            default_branch=str(data.get("default_branch") or "main"),
            private=bool(data.get("private", False)),
        )


def _message(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.text[:200]
    text = str(data.get("message", "")) if isinstance(data, dict) else ""
    errors = data.get("errors") if isinstance(data, dict) else None
    if isinstance(errors, list):
        details = [str(e.get("message", "")) for e in errors if isinstance(e, dict)]
        text = "; ".join([text, *[d for d in details if d]])
    return text[:500]


class GitHubClient:
    """Calls GitHub's REST API as the owner of ``token``."""

    def __init__(
        self, base_url: str, token: str, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            headers={
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": "appwright",
            },
            timeout=TIMEOUT,
            transport=transport,
            follow_redirects=False,
        )

    async def __aenter__(self) -> GitHubClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self._http.aclose()

    async def _call(self, method: str, path: str, json: Any = None) -> httpx.Response:
        try:
            response = await self._http.request(method, path, json=json)
        except httpx.HTTPError:
            raise GitHubUnavailable("GitHub could not be reached; try again later.") from None
        if response.status_code == 401:
            raise GitHubTokenRejected(
                "GitHub refused the token (wrong, expired or revoked); connect a new one."
            )
        return response

    async def get_user(self) -> GitHubUser:
        """The token's account (``GET /user``); scopes from ``X-OAuth-Scopes`` (classic tokens)."""
        response = await self._call("GET", "/user")
        if response.status_code != 200:
            raise GitHubUnavailable(f"GitHub answered {response.status_code}: {_message(response)}")
        return GitHubUser(str(response.json()["login"]), response.headers.get("x-oauth-scopes"))

    async def create_repository(
        self, name: str, *, private: bool, description: str | None
    ) -> GitHubRepository:
        """Create an empty repository on the token's account (``POST /user/repos``)."""
        body = {
            "name": name,
            "private": private,
            "description": description or "",
            "auto_init": False,
        }
        response = await self._call("POST", "/user/repos", body)
        if response.status_code == 422:
            message = _message(response)
            if "already exists" in message:
                raise GitHubRepositoryExists(f"A repository named {name!r} already exists.")
            raise BadRequest(f"GitHub refused the repository: {message}")
        if response.status_code in (403, 404):
            raise BadRequest(
                "The token may not create repositories (it needs the 'repo' scope, or "
                "'Administration: write' for fine-grained tokens)."
            )
        if response.status_code != 201:
            raise GitHubUnavailable(f"GitHub answered {response.status_code}: {_message(response)}")
        return GitHubRepository.of(response.json())

    async def get_repository(self, full_name: str) -> GitHubRepository:
        """An existing repository (``GET /repos/{owner}/{repo}``)."""
        response = await self._call("GET", f"/repos/{full_name}")
        if response.status_code == 404:
            raise GitHubRepositoryNotFound(f"No repository {full_name!r} visible to this token.")
        if response.status_code != 200:
            raise GitHubUnavailable(f"GitHub answered {response.status_code}: {_message(response)}")
        return GitHubRepository.of(response.json())
