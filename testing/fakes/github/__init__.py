"""A fake GitHub REST API (``/user``, ``/user/repos``, ``/repos/{owner}/{repo}``).

Repositories are real bare git repositories in a directory; their ``clone_url`` is a
``file://`` URL, so pushes and pulls exercise real git.
"""

from testing.fakes.github.app import FakeGitHubState, create_app
from testing.fakes.github.server import FakeGitHubServer, serve

__all__ = ["FakeGitHubServer", "FakeGitHubState", "create_app", "serve"]
