"""Push to a real local bare remote and pull a change made there."""

from __future__ import annotations

from pathlib import Path

import pytest

from appwright.versions.git import remote
from appwright.versions.git.errors import (
    MergeConflict,
    PushRejected,
    RemoteBranchNotFound,
    RemoteError,
    RemoteRejected,
)
from appwright.versions.git.repo import ProjectRepo

from .conftest import git

pytestmark = pytest.mark.anyio


@pytest.fixture
def bare(tmp_path: Path) -> Path:
    path = tmp_path / "remote.git"
    path.mkdir()
    git(path, "init", "-q", "--bare")
    return path


async def test_push_then_pull_a_change_made_on_the_remote(
    repo: ProjectRepo, worktree: Path, bare: Path, tmp_path: Path
) -> None:
    (worktree / "index.html").write_text("<h1>v1</h1>\n")
    await repo.commit_all("first page", "ai")
    header = remote.basic_auth_header("x-access-token", "ghp_secret")
    pushed = await remote.push(repo, bare.as_uri(), auth_header=header, allow_local=True)
    assert pushed.branch == "main" and pushed.remote_branch == "main"
    assert git(bare, "rev-parse", "main").strip() == pushed.head
    assert "ghp_secret" not in (repo.git.git_dir / "config").read_text()
    assert "extraHeader" not in (repo.git.git_dir / "config").read_text()

    # Someone changes the project on "GitHub".
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(bare), str(clone))
    (clone / "README.md").write_text("from github\n")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "Add README on GitHub")
    git(clone, "push", "-q", "origin", "main")

    result = await remote.pull(repo, str(bare), allow_local=True)
    assert result.fast_forward and result.version is not None
    assert result.version.message == "Add README on GitHub"
    assert result.version.author_kind == "person"  # no trailer: made by a person elsewhere
    assert (worktree / "README.md").read_text() == "from github\n"
    assert (await remote.pull(repo, str(bare), allow_local=True)).up_to_date


async def test_push_rejected_then_pull_merges(
    repo: ProjectRepo, worktree: Path, bare: Path, tmp_path: Path
) -> None:
    (worktree / "a.txt").write_text("a\n")
    await repo.commit_all("a")
    await remote.push(repo, str(bare), allow_local=True)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(bare), str(clone))
    (clone / "b.txt").write_text("b\n")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "b on remote")
    git(clone, "push", "-q", "origin", "main")
    (worktree / "c.txt").write_text("c\n")
    await repo.commit_all("c here")
    with pytest.raises(PushRejected):
        await remote.push(repo, str(bare), allow_local=True)
    merged = await remote.pull(repo, str(bare), allow_local=True)
    assert merged.version is not None and not merged.fast_forward
    assert len(merged.version.parents) == 2
    assert (worktree / "b.txt").exists() and (worktree / "c.txt").exists()
    await remote.push(repo, str(bare), allow_local=True)


async def test_pull_conflict_reported(
    repo: ProjectRepo, worktree: Path, bare: Path, tmp_path: Path
) -> None:
    (worktree / "a.txt").write_text("base\n")
    await repo.commit_all("a")
    await remote.push(repo, str(bare), allow_local=True)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(bare), str(clone))
    (clone / "a.txt").write_text("theirs\n")
    git(clone, "commit", "-q", "-am", "theirs")
    git(clone, "push", "-q", "origin", "main")
    (worktree / "a.txt").write_text("ours, not yet saved\n")
    with pytest.raises(MergeConflict) as info:
        await remote.pull(repo, str(bare), allow_local=True)
    assert info.value.files == ["a.txt"]
    assert (worktree / "a.txt").read_text() == "ours, not yet saved\n"
    assert await repo.status() == []  # the edit was saved as a version first
    with pytest.raises(RemoteBranchNotFound):
        await remote.pull(repo, str(bare), remote_branch="nope", allow_local=True)


@pytest.mark.parametrize(
    "url",
    [
        "file:///srv/other-project.git",
        "/srv/other-project.git",
        "http://example.com/repo.git",
        "ssh://git@github.com/a/b.git",
        "git@github.com:a/b.git",
        "ext::sh -c touch% /tmp/pwned",
        "--upload-pack=touch /tmp/pwned",
        "https://user:s3cr3t@github.com/a/b.git",
        "https:///nohost",
        "",
    ],
)
def test_remote_urls_rejected_by_default(url: str) -> None:
    with pytest.raises(RemoteRejected) as info:
        remote.check_remote_url(url)
    assert "s3cr3t" not in info.value.detail


def test_https_accepted() -> None:
    assert remote.check_remote_url("https://github.com/a/b.git") == "https://github.com/a/b.git"


async def test_auth_header_sent_per_command_and_never_leaked(repo: ProjectRepo) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    seen: list[str | None] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.headers.get("Authorization"))
            self.send_response(403)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/owner/app.git"
        header = remote.basic_auth_header("x-access-token", "ghp_topsecret")
        with pytest.raises(RemoteError) as info:
            await remote.push(repo, url, auth_header=header, allow_local=True)
    finally:
        server.shutdown()
        server.server_close()
    assert seen and seen[0] == header.removeprefix("Authorization: ")
    assert "ghp_topsecret" not in info.value.detail
    assert header.split()[-1] not in info.value.detail
    assert "ghp_topsecret" not in (repo.git.git_dir / "config").read_text()
