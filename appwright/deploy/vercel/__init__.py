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
    Deployment,
    DeploymentEvent,
    DeploymentFile,
    DomainChallenge,
    EnvVar,
    ProjectDomain,
    ProjectSettings,
)

__all__ = [
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
    "VercelRateLimited",
    "VercelUnavailable",
]
