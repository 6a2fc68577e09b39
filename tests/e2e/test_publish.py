"""Publishing in Chromium: a Next.js project changed through the chat is published from
the workspace header and a browser with no cookies sees the change at its public address;
a second change is published, then a rollback in the Deployments panel serves the first
version again, and the dashboard marks the project live.

The chat talks to the fake LLM (`tc=e2e-chat-nextjs`, then `tc=e2e-publish-nextjs`).
Published apps live at `{slug}.apps.localhost:{port}` (Chromium resolves *.localhost to
loopback). Set APPWRIGHT_E2E_SHOTS=dir to keep screenshots of the dialog, panel and badge.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Server
from tests.e2e.workspace_helpers import (
    api,
    create_project,
    expect_template_page,
    open_workspace,
    sign_up,
    verify_via_outbox,
    write_file,
)

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(2400)]

TURN_MS = 180_000  # the loop's automatic error check runs a TypeScript check in the sandbox
# A Next.js production build in a sandbox of its own, on a loaded 2-core machine.
BUILD_MS = 600_000
# A published server app starts (or wakes) on its first request.
APP_START_S = 180.0
FIRST = "Hat shop from chat"
SECOND = "Hat shop, second edition"


def _shot(page: Page, name: str) -> None:
    """A screenshot in the light and the dark theme (the account follows the system's)."""
    folder = os.environ.get("APPWRIGHT_E2E_SHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(400)  # a dialog's or toast's entry animation
    page.screenshot(path=f"{folder}/{name}.png")
    page.emulate_media(color_scheme="dark")
    page.wait_for_timeout(600)  # the theme's colour transitions
    page.screenshot(path=f"{folder}/{name}-dark.png")
    page.emulate_media(color_scheme="light")


def _chat(page: Page, prompt: str, versions: int) -> None:
    """Send ``prompt`` and wait until its turn is saved as the ``versions``-th AI version."""
    page.get_by_role("tab", name="Chat").click()
    chat = page.get_by_test_id("chat-panel")
    chat.get_by_label("Message", exact=True).fill(prompt)
    chat.get_by_role("button", name="Send").click()
    expect(chat.get_by_test_id("message-version")).to_have_count(versions, timeout=TURN_MS)
    expect(chat.get_by_role("button", name="Send")).to_be_visible(timeout=TURN_MS)


def _wait_published(page: Page, deployments: int) -> str:
    """Wait until the newest of ``deployments`` deployments is ready; its live URL."""
    panel = page.get_by_test_id("deployments-panel")
    expect(panel).to_be_visible()
    rows = panel.get_by_test_id("deployment-row")
    expect(rows).to_have_count(deployments)
    newest = rows.first
    expect(newest.get_by_test_id("deployment-status")).to_have_attribute(
        "data-status", "ready", timeout=BUILD_MS
    )
    expect(newest).to_have_attribute("data-live", "true")
    expect(page.get_by_test_id("workspace-publish")).to_have_attribute("data-state", "idle")
    link = panel.get_by_test_id("deploy-live-url")
    expect(link).to_have_attribute("target", "_blank")
    url = link.get_attribute("href")
    assert url is not None
    return url


def _expect_served(visitor: Page, url: str, heading: str) -> None:
    """The published address shows ``heading`` (the app may still be starting)."""
    deadline = time.monotonic() + APP_START_S
    while True:
        response = visitor.goto(url)
        found = visitor.get_by_role("heading", name=heading)
        if response is not None and response.ok and found.count() > 0:
            expect(found).to_be_visible()
            return
        if time.monotonic() > deadline:
            status = response.status if response else "no answer"
            raise AssertionError(f"{url} answered {status}: {visitor.content()[:500]}")
        visitor.wait_for_timeout(2000)


def test_publish_a_chat_change_republish_and_roll_back(
    page: Page, browser: Browser, server: Server
) -> None:
    verify_via_outbox(page, sign_up(page))
    project_id = create_project(page, "nextjs")
    open_workspace(page, project_id)
    expect_template_page(page)
    _chat(page, f"Rename the heading to {FIRST} tc=e2e-chat-nextjs", versions=1)

    # First publish: the dialog asks for the address and shows the URL it will have.
    page.get_by_test_id("workspace-publish").click()
    dialog = page.get_by_test_id("publish-dialog")
    address = dialog.get_by_label("Address")
    expect(address).to_have_value(re.compile(r"^e2e-nextjs-[0-9a-f]{6}$"))
    address.fill("No")
    expect(dialog).to_contain_text("3 to 63 characters")
    expect(dialog.get_by_role("button", name="Publish")).to_be_disabled()
    slug = f"hats-{uuid.uuid4().hex[:8]}"
    address.fill(slug)
    port = server.base_url.rsplit(":", 1)[1]
    expected_url = f"http://{slug}.apps.localhost:{port}/"
    expect(dialog.get_by_test_id("publish-url-preview")).to_have_text(expected_url)
    expect(dialog).to_contain_text("This server")
    _shot(page, "publish-dialog")
    dialog.get_by_role("button", name="Publish").click()
    expect(dialog).to_be_hidden()

    # The header shows progress, the Deployments panel the build's log, then the live URL.
    expect(page.get_by_test_id("workspace-publish")).to_have_attribute("data-state", "building")
    expect(page.get_by_role("tab", name="Deployments")).to_have_attribute("data-state", "active")
    log = page.get_by_test_id("deploy-build-log")
    expect(log).not_to_have_text(re.compile(r"^(Waiting for the build to start…)?$"))
    _shot(page, "deployments-building")
    url = _wait_published(page, deployments=1)
    assert url == expected_url
    expect(page.get_by_test_id("publish-toast-link")).to_have_attribute("href", url)
    expect(log).not_to_be_empty()
    _shot(page, "deployments-live")

    # Someone else (no cookies, no session) opens the address and sees the change.
    visitor_context = browser.new_context()
    try:
        visitor = visitor_context.new_page()
        _expect_served(visitor, url, FIRST)

        # A second change, published with the kept address (no dialog this time).
        _chat(page, "Make it the second edition tc=e2e-publish-nextjs", versions=2)
        page.get_by_test_id("workspace-publish").click()
        expect(page.get_by_test_id("publish-dialog")).to_have_count(0)
        assert _wait_published(page, deployments=2) == url
        _expect_served(visitor, url, SECOND)

        # Roll back in the panel: the first version is served again, without a build.
        panel = page.get_by_test_id("deployments-panel")
        first_row = panel.get_by_test_id("deployment-row").nth(1)
        first_row.get_by_role("button", name="Rollback").click()
        expect(first_row).to_have_attribute("data-live", "true")
        expect(panel.get_by_test_id("deployment-row").first).to_have_attribute("data-live", "false")
        _shot(page, "deployments-rolled-back")
        _expect_served(visitor, url, FIRST)
    finally:
        visitor_context.close()

    # The dashboard marks the project live, with its address.
    page.goto("/")
    card = page.get_by_test_id("project-card").filter(has_text="E2E nextjs")
    live = card.get_by_test_id("project-live")
    expect(live).to_have_attribute("href", url)
    expect(live).to_contain_text(f"{slug}.apps.localhost:{port}")
    _shot(page, "dashboard-live")


def test_a_failed_build_shows_why_and_asks_the_agent_to_fix_it(page: Page) -> None:
    verify_via_outbox(page, sign_up(page))
    project_id = create_project(page, "static")
    # A version without an index.html cannot be a site: its publish fails.
    api(page, "DELETE", f"/api/files/{project_id}/index.html")
    api(page, "POST", f"/api/version-history/{project_id}/save", {"message": "No page"})
    open_workspace(page, project_id)
    page.get_by_test_id("workspace-publish").click()
    dialog = page.get_by_test_id("publish-dialog")
    dialog.get_by_label("Address").fill(f"broken-{uuid.uuid4().hex[:8]}")
    dialog.get_by_role("button", name="Publish").click()

    panel = page.get_by_test_id("deployments-panel")
    failure = panel.get_by_test_id("deploy-failure")
    expect(failure).to_contain_text("index.html", timeout=60_000)
    row = panel.get_by_test_id("deployment-row")
    expect(row.get_by_test_id("deployment-status")).to_have_attribute("data-status", "error")
    expect(row.get_by_role("button", name="Rollback")).to_have_count(0)
    expect(panel).to_contain_text("Not live yet")
    expect(page.locator("[data-sonner-toast]").filter(has_text="Publishing failed")).to_be_visible()
    _shot(page, "deployments-failed")

    # Fix with AI hands the failure to the agent as a chat message.
    failure.get_by_role("button", name="Fix with AI").click()
    expect(page.get_by_role("tab", name="Chat")).to_have_attribute("data-state", "active")
    sent = page.get_by_test_id("chat-panel").locator(
        '[data-testid="chat-message"][data-role="user"]'
    )
    expect(sent).to_contain_text("Publishing version")
    expect(sent).to_contain_text("index.html")


BROKEN_APP = """// The literal type puts this string (and its scenario marker) into tsc's message.
const title: "Your app starts here" = "tc=e2e-fix-build";

export default function App() {
  return (
    <main>
      <h1>{title}</h1>
    </main>
  );
}
"""


def test_a_build_error_is_located_fixed_by_the_agent_and_republished(
    page: Page, browser: Browser
) -> None:
    verify_via_outbox(page, sign_up(page))
    project_id = create_project(page, "react-vite")
    open_workspace(page, project_id)
    page.get_by_test_id("workspace-publish").click()
    dialog = page.get_by_test_id("publish-dialog")
    dialog.get_by_label("Address").fill(f"fixme-{uuid.uuid4().hex[:8]}")
    dialog.get_by_role("button", name="Publish").click()
    url = _wait_published(page, deployments=1)
    visitor_context = browser.new_context()
    try:
        visitor = visitor_context.new_page()
        _expect_served(visitor, url, "Your app starts here")

        # A version whose build fails: the deployment ends with the file and line.
        write_file(page, project_id, "src/App.tsx", BROKEN_APP)
        api(page, "POST", f"/api/version-history/{project_id}/save", {"message": "Break it"})
        page.get_by_test_id("workspace-publish").click()
        panel = page.get_by_test_id("deployments-panel")
        failure = panel.get_by_test_id("deploy-failure")
        expect(failure).to_contain_text("src/App.tsx:2", timeout=BUILD_MS)
        expect(failure).to_contain_text("TS2322")
        # The earlier deployment still serves.
        _expect_served(visitor, url, "Your app starts here")

        # Fix with AI: the agent gets the errors, fixes the file, and the next publish works.
        failure.get_by_role("button", name="Fix with AI").click()
        chat = page.get_by_test_id("chat-panel")
        expect(chat.get_by_test_id("message-version")).to_have_count(1, timeout=TURN_MS)
        expect(chat.get_by_role("button", name="Send")).to_be_visible(timeout=TURN_MS)
        page.get_by_test_id("workspace-publish").click()
        _wait_published(page, deployments=3)
        _expect_served(visitor, url, "Fixed by the agent")
    finally:
        visitor_context.close()
