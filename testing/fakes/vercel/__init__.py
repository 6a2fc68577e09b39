"""A fake Vercel REST API: accounts and teams by token (``/v2/user``, ``/v2/teams``),
projects (created on demand or by ``POST /v11/projects``; ``promote`` records
``FakeProject.production``), files kept by SHA-1 (``missing_files`` for the others),
deployments that go QUEUED → BUILDING → READY or ERROR by the rule in ``builds.py``, build
events (streamed with ``follow=1``), project env and domains, 429s on demand
(``state.throttle``) and revoked tokens (``state.revoke``)."""

from testing.fakes.vercel.app import create_app
from testing.fakes.vercel.builds import FAIL_FILE, plan_build
from testing.fakes.vercel.server import FakeVercelServer, serve
from testing.fakes.vercel.state import FakeDeployment, FakeProject, FakeVercelState

__all__ = [
    "FAIL_FILE",
    "FakeDeployment",
    "FakeProject",
    "FakeVercelServer",
    "FakeVercelState",
    "create_app",
    "plan_build",
    "serve",
]
