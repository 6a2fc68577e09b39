"""What the fake Vercel knows: accounts by token, files by SHA-1, projects, deployments.

A deployment's life is a timeline fixed when it is created: ``QUEUED`` for one step, then
``BUILDING`` while its log lines come one step apart, then ``READY`` or ``ERROR`` (see
``builds.py`` for the rule). ``step_seconds`` sets the pace.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from testing.fakes.vercel.builds import plan_build


@dataclass
class FakeAccount:
    user: str
    teams: frozenset[str] = frozenset()
    revoked: bool = False


@dataclass
class FakeProject:
    id: str
    name: str
    owner: str
    settings: dict[str, Any]
    env: list[dict[str, Any]] = field(default_factory=list)
    domains: dict[str, dict[str, Any]] = field(default_factory=dict)
    production: str | None = None
    """The deployment last promoted to production (``POST …/promote/{id}``), if any."""

    def body(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "accountId": self.owner, **self.settings}

    def env_values(self) -> dict[str, tuple[str, str, tuple[str, ...]]]:
        """Key → (value in clear, type, targets): what Vercel would give the build."""
        return {e["key"]: (e["value"], e["type"], tuple(e["target"])) for e in self.env}


@dataclass
class FakeDeployment:
    id: str
    name: str
    project: FakeProject
    host: str
    target: str | None
    files: dict[str, bytes]
    created: float
    """``time.time()`` at creation."""
    events: list[tuple[float, dict[str, Any]]]
    """``(offset in seconds, event)``; the last event's offset is when the build ends."""
    ends: float
    outcome: str
    error_code: str | None
    error_message: str | None

    def ready_state(self, now: float, step: float) -> str:
        elapsed = now - self.created
        if elapsed < step:
            return "QUEUED"
        return "BUILDING" if elapsed < self.ends else self.outcome

    def events_until(self, now: float) -> list[dict[str, Any]]:
        return [e for offset, e in self.events if self.created + offset <= now]

    def done(self, now: float) -> bool:
        return now - self.created >= self.ends

    def body(self, now: float, step: float) -> dict[str, Any]:
        state = self.ready_state(now, step)
        ms = int(self.created * 1000)
        data: dict[str, Any] = {
            "id": self.id,
            "url": self.host,
            "name": self.name,
            "projectId": self.project.id,
            "readyState": state,
            "status": state,
            "target": self.target,
            "type": "LAMBDAS",
            "version": 2,
            "createdAt": ms,
            "buildingAt": ms + int(step * 1000),
            "inspectorUrl": f"https://vercel.com/{self.project.owner}/{self.name}/{self.id[4:]}",
            "alias": [],
            "aliasAssigned": False,
        }
        if state == "READY":
            data["ready"] = ms + int(self.ends * 1000)
            if self.target == "production":
                data["alias"] = [f"{self.name}.vercel.app"]
                data["aliasAssigned"] = True
        if state == "ERROR":
            data["errorCode"] = self.error_code
            data["errorMessage"] = self.error_message
        return data


@dataclass
class FakeVercelState:
    step_seconds: float = 0.05
    accounts: dict[str, FakeAccount] = field(default_factory=dict)
    files: dict[str, dict[str, bytes]] = field(default_factory=dict)
    """Owner → SHA-1 → bytes: what each account has uploaded."""
    uploads: list[str] = field(default_factory=list)
    """The SHA-1 of every ``POST /v2/files`` that was accepted, in order."""
    projects: dict[tuple[str, str], FakeProject] = field(default_factory=dict)
    deployments: dict[str, FakeDeployment] = field(default_factory=dict)
    dns_txt: dict[str, set[str]] = field(default_factory=dict)
    claimed: set[str] = field(default_factory=set)
    recorded: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.RLock = field(default_factory=threading.RLock)
    _throttle_skip: int = 0
    _throttle_calls: int = 0
    _throttle_retry_after: int = 1

    # -- set-up from tests -------------------------------------------------------------

    def add_token(self, token: str, user: str, *, teams: tuple[str, ...] = ()) -> None:
        """Accept ``token`` as ``user``, a member of ``teams`` (team ids)."""
        with self.lock:
            self.accounts[token] = FakeAccount(user, frozenset(teams))

    def revoke(self, token: str) -> None:
        """From now on ``token`` answers 403 ``invalidToken`` (as after revoking it)."""
        with self.lock:
            self.accounts[token].revoked = True

    def throttle(self, calls: int, *, retry_after: int = 1, after: int = 0) -> None:
        """After ``after`` more calls, answer the next ``calls`` calls 429."""
        with self.lock:
            self._throttle_skip = after
            self._throttle_calls = calls
            self._throttle_retry_after = retry_after

    def claim_domain(self, domain: str) -> None:
        """``domain`` belongs to another account: adding it needs TXT verification."""
        with self.lock:
            self.claimed.add(domain)

    def publish_txt(self, name: str, value: str) -> None:
        """Publish a DNS TXT record (what the domain's owner does at their registrar)."""
        with self.lock:
            self.dns_txt.setdefault(name, set()).add(value)

    # -- reading from tests ------------------------------------------------------------

    def uploaded(self) -> list[str]:
        with self.lock:
            return list(self.uploads)

    def project(self, name: str) -> FakeProject:
        with self.lock:
            return next(p for p in self.projects.values() if p.name == name)

    def deployment(self, deployment_id: str) -> FakeDeployment:
        with self.lock:
            return self.deployments[deployment_id]

    def requests(self) -> list[dict[str, Any]]:
        """Every request: method, path, query, headers (no credentials), JSON or size."""
        with self.lock:
            return [dict(r) for r in self.recorded]

    # -- used by the app ---------------------------------------------------------------

    def owner(self, token: str | None, team_id: str | None) -> str | None:
        """The account or team a request acts for; ``None``: the token is refused."""
        with self.lock:
            account = self.accounts.get(token or "")
            if account is None or account.revoked:
                return None
            if team_id is None:
                return account.user
            return team_id if team_id in account.teams else ""

    def take_throttle(self) -> int | None:
        """``retry-after`` seconds when this call is to be answered 429."""
        with self.lock:
            if self._throttle_skip:
                self._throttle_skip -= 1
                return None
            if self._throttle_calls:
                self._throttle_calls -= 1
                return self._throttle_retry_after
            return None

    def domain_holder(self, name: str) -> FakeProject | None:
        """The project, of any account, that has the domain ``name``."""
        with self.lock:
            return next((p for p in self.projects.values() if name in p.domains), None)

    def find_project(self, owner: str, id_or_name: str) -> FakeProject | None:
        with self.lock:
            return self.projects.get((owner, id_or_name)) or next(
                (p for p in self.projects.values() if p.owner == owner and p.id == id_or_name),
                None,
            )

    def create_project(self, owner: str, name: str, settings: dict[str, Any]) -> FakeProject:
        """The project ``name`` of ``owner``, created with ``settings`` if it is new."""
        with self.lock:
            project = self.projects.get((owner, name))
            if project is None:
                project = FakeProject(f"prj_{secrets.token_hex(12)}", name, owner, settings)
                self.projects[(owner, name)] = project
            return project

    def create_deployment(
        self,
        owner: str,
        name: str,
        files: dict[str, bytes],
        settings: dict[str, Any],
        target: str | None,
    ) -> FakeDeployment:
        with self.lock:
            new = (owner, name) not in self.projects
            project = self.create_project(owner, name, settings)
            if settings and not new:
                project.settings = {**project.settings, **settings}
            plan = plan_build(files, project.settings)
            step = self.step_seconds
            now = time.time()
            ident = secrets.token_hex(12)
            events = [
                (step * (i + 1), _event(ident, kind, text, now + step * (i + 1)))
                for i, (kind, text) in enumerate(plan.lines)
            ]
            deployment = FakeDeployment(
                id=f"dpl_{ident}",
                name=name,
                project=project,
                host=f"{name}-{ident[:9]}-{owner}.vercel.app",
                target=target,
                files=files,
                created=now,
                events=events,
                ends=step * (len(plan.lines) + 1),
                outcome=plan.ready_state,
                error_code=plan.error_code,
                error_message=plan.error_message,
            )
            self.deployments[deployment.id] = deployment
            return deployment


def _event(ident: str, kind: str, text: str, at: float) -> dict[str, Any]:
    ms = int(at * 1000)
    return {
        "type": kind,
        "created": ms,
        "payload": {
            "deploymentId": f"dpl_{ident}",
            "id": f"{ms}-{secrets.token_hex(4)}",
            "date": ms,
            "serial": str(ms),
            "text": text,
            "info": {"type": "build", "name": f"bld_{ident[:10]}", "entrypoint": "."},
        },
    }
