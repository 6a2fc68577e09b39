"""The shapes that cross Vercel's REST API, typed, and how they are read from its JSON."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Literal

from appwright.workspace.paths import normalize_path

ReadyState = Literal["QUEUED", "INITIALIZING", "BUILDING", "READY", "ERROR", "CANCELED", "BLOCKED"]
FINAL_STATES: frozenset[str] = frozenset({"READY", "ERROR", "CANCELED"})
EnvTarget = Literal["production", "preview", "development"]
EnvType = Literal["encrypted", "plain", "sensitive"]


@dataclass(frozen=True, slots=True)
class DeploymentFile:
    """One file of a deployment: its workspace-relative path, bytes and SHA-1."""

    path: str
    data: bytes
    sha: str
    size: int

    @classmethod
    def of(cls, path: str, data: bytes) -> DeploymentFile:
        """Raises ``PathRejected`` unless ``path`` is a plain workspace-relative path."""
        sha = hashlib.sha1(data, usedforsecurity=False).hexdigest()  # Vercel's file key
        return cls(normalize_path(path), data, sha, len(data))

    def entry(self) -> dict[str, Any]:
        """How the deployment names the file (``{file, sha, size}``)."""
        return {"file": self.path, "sha": self.sha, "size": self.size}


@dataclass(frozen=True, slots=True)
class ProjectSettings:
    """How Vercel builds the project (``null`` fields: Vercel detects them)."""

    framework: str | None = None
    build_command: str | None = None
    output_directory: str | None = None
    install_command: str | None = None

    def body(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "buildCommand": self.build_command,
            "outputDirectory": self.output_directory,
            "installCommand": self.install_command,
        }


@dataclass(frozen=True, slots=True)
class Account:
    """Who a token acts for (``GET /v2/user``), and the team when one was named."""

    id: str
    username: str
    team: str | None = None
    """The team's name (``GET /v2/teams/{id}``); ``None`` for the personal account."""

    @classmethod
    def of(cls, data: dict[str, Any]) -> Account:
        user = data.get("user")
        user = user if isinstance(user, dict) else data
        return cls(id=str(user.get("id") or ""), username=str(user.get("username") or ""))


@dataclass(frozen=True, slots=True)
class VercelProject:
    """A Vercel project (``GET /v9/projects/{idOrName}``): its id and name."""

    id: str
    name: str

    @classmethod
    def of(cls, data: dict[str, Any]) -> VercelProject:
        return cls(id=str(data["id"]), name=str(data.get("name") or ""))


@dataclass(frozen=True, slots=True)
class Deployment:
    id: str
    host: str
    """Where Vercel serves it, as Vercel sends it (a host name, no scheme)."""
    ready_state: str
    project_id: str | None = None
    aliases: tuple[str, ...] = ()
    error_code: str | None = None
    error_message: str | None = None

    @property
    def url(self) -> str:
        """The public address: the first alias (the project's production host) if any."""
        return f"https://{self.aliases[0] if self.aliases else self.host}"

    @property
    def done(self) -> bool:
        return self.ready_state in FINAL_STATES

    @classmethod
    def of(cls, data: dict[str, Any]) -> Deployment:
        aliases = data.get("alias")
        return cls(
            id=str(data["id"]),
            host=str(data.get("url") or ""),
            ready_state=str(data.get("readyState") or "QUEUED"),
            project_id=_opt(data.get("projectId")),
            aliases=tuple(str(a) for a in aliases) if isinstance(aliases, list) else (),
            error_code=_opt(data.get("errorCode")),
            error_message=_opt(data.get("errorMessage")),
        )


@dataclass(frozen=True, slots=True)
class DeploymentEvent:
    """One line of a build's log (``type``: ``command``, ``stdout``, ``stderr``...)."""

    type: str
    text: str
    created: int
    """Milliseconds since the epoch."""

    @classmethod
    def of(cls, data: dict[str, Any]) -> DeploymentEvent:
        payload = data.get("payload")
        payload = payload if isinstance(payload, dict) else {}
        text = payload.get("text", data.get("text"))
        created = data.get("created", payload.get("date", 0))
        return cls(
            type=str(data.get("type") or ""),
            text=str(text) if text is not None else "",
            created=int(created) if isinstance(created, int | float) else 0,
        )


@dataclass(frozen=True, slots=True)
class EnvVar:
    """A project's variable as Vercel reports it (the value is never read back)."""

    id: str
    key: str
    type: str
    targets: tuple[str, ...]

    @classmethod
    def of(cls, data: dict[str, Any]) -> EnvVar:
        target = data.get("target")
        targets = [target] if isinstance(target, str) else (target or [])
        return cls(
            id=str(data.get("id") or ""),
            key=str(data["key"]),
            type=str(data.get("type") or ""),
            targets=tuple(str(t) for t in targets),
        )


@dataclass(frozen=True, slots=True)
class DomainChallenge:
    """A DNS record that proves ownership (``type`` TXT at ``domain`` with ``value``)."""

    type: str
    domain: str
    value: str
    reason: str


@dataclass(frozen=True, slots=True)
class ProjectDomain:
    name: str
    apex_name: str
    project_id: str
    verified: bool
    verification: tuple[DomainChallenge, ...] = ()

    @classmethod
    def of(cls, data: dict[str, Any]) -> ProjectDomain:
        challenges = data.get("verification")
        return cls(
            name=str(data["name"]),
            apex_name=str(data.get("apexName") or data["name"]),
            project_id=str(data.get("projectId") or ""),
            verified=bool(data.get("verified", False)),
            verification=tuple(
                DomainChallenge(
                    type=str(c.get("type", "")),
                    domain=str(c.get("domain", "")),
                    value=str(c.get("value", "")),
                    reason=str(c.get("reason", "")),
                )
                for c in (challenges if isinstance(challenges, list) else [])
                if isinstance(c, dict)
            ),
        )


def _opt(value: Any) -> str | None:
    return None if value is None else str(value)
