"""SQLAlchemy models, one module per table. Importing this package registers them all."""

from appwright.models.api_key import ApiKey
from appwright.models.api_usage import ApiUsage
from appwright.models.auth_session import AuthSession
from appwright.models.base import Base
from appwright.models.chat_thread import ChatThread
from appwright.models.deployment import Deployment
from appwright.models.email_token import EmailToken
from appwright.models.github_connection import GitHubConnection
from appwright.models.message import Message
from appwright.models.project import Project
from appwright.models.project_backend import ProjectBackend
from appwright.models.project_domain import ProjectDomain
from appwright.models.project_env_var import ProjectEnvVar
from appwright.models.user import User
from appwright.models.user_llm_settings import UserLLMSettings
from appwright.models.vercel_connection import VercelConnection
from appwright.models.version_history import VersionHistory

__all__ = [
    "ApiKey",
    "ApiUsage",
    "AuthSession",
    "Base",
    "ChatThread",
    "Deployment",
    "EmailToken",
    "GitHubConnection",
    "Message",
    "Project",
    "ProjectBackend",
    "ProjectDomain",
    "ProjectEnvVar",
    "User",
    "UserLLMSettings",
    "VercelConnection",
    "VersionHistory",
]
