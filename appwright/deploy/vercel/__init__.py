"""Vercel as a place to deploy: an async client on its REST API (``client.py``)."""

from appwright.deploy.vercel.client import VercelClient
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
    DomainChallenge,
    EnvVar,
    ProjectDomain,
    ProjectSettings,
    VercelProject,
)

__all__ = [
    "Account",
    "Deployment",
    "DeploymentEvent",
    "DeploymentFile",
    "DomainChallenge",
    "EnvVar",
    "ProjectDomain",
    "ProjectSettings",
    "VercelAuthError",
    "VercelClient",
    "VercelError",
    "VercelMissingFiles",
    "VercelProject",
    "VercelRateLimited",
    "VercelUnavailable",
]
