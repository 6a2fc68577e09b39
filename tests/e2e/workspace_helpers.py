"""Helpers for the workspace E2E tests (preview, chat): an account and a project made
through the API from the page's own context (its cookies, its CSRF token)."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

from playwright.sync_api import Frame, Locator, Page, expect

# The first Next.js start installs the template's packages (npm ci, minutes when cold).
COLD_START_MS = 420_000
HMR_MS = 90_000
# The Monaco chunk is a few MB; the first load on a busy 2-core machine takes a while.
MONACO_MS = 60_000


def csrf(page: Page) -> str:
    for cookie in page.context.cookies():
        if cookie["name"] == "appwright_csrf":
            return cookie["value"]
    raise AssertionError("no CSRF cookie: call GET /api/auth/session first")


def api(page: Page, method: str, path: str, body: Any = None) -> Any:
    headers = {"X-CSRF-Token": csrf(page)} if method != "GET" else {}
    response = page.request.fetch(path, method=method, data=body, headers=headers)
    assert response.ok, f"{method} {path}: {response.status} {response.text()}"
    return response.json() if response.status != 204 else None


def sign_up(page: Page) -> str:
    """A new account, signed in in this browser context; answers its email address."""
    page.request.get("/api/auth/session")
    suffix = uuid.uuid4().hex[:10]
    account = {"email": f"ws-{suffix}@example.com", "password": f"pw-{suffix}-long", "name": "W"}
    api(page, "POST", "/api/auth/signup", account)
    return account["email"]


def verify_via_outbox(page: Page, email: str) -> None:
    """Follow the verification link the dev outbox shows for ``email``."""
    page.goto("/dev/outbox")
    mail = page.get_by_test_id("outbox-email").filter(has_text=email).filter(has_text="Verify")
    expect(mail).to_have_count(1)
    mail.get_by_role("link", name=re.compile(r"verify-email\?token=")).click()
    expect(page.get_by_role("heading", name="Email verified")).to_be_visible()
    page.get_by_role("link", name="Go to your projects").click()
    expect(page.get_by_role("heading", name="Projects", exact=True)).to_be_visible()


def create_project(page: Page, template: str) -> str:
    project = api(page, "POST", "/api/projects", {"name": f"E2E {template}", "template": template})
    project_id: str = project["id"]
    return project_id


def write_file(page: Page, project_id: str, path: str, content: str) -> None:
    api(page, "PUT", f"/api/files/{project_id}/{path}", {"content": content})


def preview_frame(page: Page, timeout_ms: float = 30_000) -> Frame:
    """The preview iframe's frame (its URL is on the project's preview origin)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        for frame in page.frames:
            if ".preview.localhost" in frame.url:
                return frame
        page.wait_for_timeout(250)
    raise AssertionError(f"no preview frame among {[f.url for f in page.frames]}")


def open_workspace(page: Page, project_id: str) -> None:
    page.goto(f"/projects/{project_id}")
    expect(page.get_by_test_id("preview-panel")).to_be_visible()
    expect(page.get_by_test_id("workspace-connection")).to_have_attribute("data-state", "open")


def expect_template_page(page: Page) -> None:
    frame = page.frame_locator('[data-testid="preview-frame"]')
    expect(frame.get_by_role("heading", name="Your app starts here")).to_be_visible(
        timeout=COLD_START_MS
    )


def open_in_editor(page: Page, path: str, shows: str) -> Locator:
    """Open ``path`` from the file tree and wait until Monaco shows ``shows``; returns the
    file's code editor (``data-testid="code-editor"``)."""
    editor_panel = page.get_by_test_id("editor-panel")
    editor_panel.locator(f'[role="treeitem"][data-path="{path}"] button').first.click()
    code = editor_panel.locator(f'[data-testid="code-editor"][data-path="{path}"]')
    expect(code.locator(".monaco-editor .view-lines")).to_contain_text(shows, timeout=MONACO_MS)
    return code
