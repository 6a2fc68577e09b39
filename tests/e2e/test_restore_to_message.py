"""Restore to a chat message in Chromium: the AI makes a version, the person changes the
code by hand and saves, then "Restore to this message" in the versions panel puts the
code back to the AI's version and the chat continues from that message on a new branch.
Uses the `static` template (no npm) and the fake LLM (`tc=create-file`)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.workspace_helpers import api, create_project, open_workspace, sign_up, write_file

pytestmark = pytest.mark.e2e

TURN_MS = 60_000


def test_restore_to_a_message_reverts_the_code_and_branches_the_chat(page: Page) -> None:
    sign_up(page)
    project_id = create_project(page, "static")
    open_workspace(page, project_id)
    chat = page.get_by_test_id("chat-panel")
    chat.get_by_label("Message", exact=True).fill("Add a counter tc=create-file")
    chat.get_by_role("button", name="Send").click()
    expect(chat.get_by_test_id("message-version")).to_be_visible(timeout=TURN_MS)
    expect(chat.get_by_role("button", name="Send")).to_be_visible(timeout=TURN_MS)

    # The person changes the code by hand and saves it as a version.
    write_file(page, project_id, "src/components/Counter.tsx", "// rewritten by hand\n")
    saved = api(page, "POST", f"/api/version-history/{project_id}/save", {"message": "By hand"})
    assert saved["version"] is not None

    page.get_by_role("tab", name="Versions").click()
    versions = page.get_by_test_id("versions-panel")
    ai_row = versions.locator('[data-testid="version-row"]').filter(
        has=page.get_by_test_id("version-restore-to-message")
    )
    expect(ai_row).to_have_count(1)
    ai_row.get_by_test_id("version-restore-to-message").click()
    page.get_by_role("button", name="Restore and continue from here").click()

    # The workspace goes back to the chat, which now ends at that message ...
    expect(chat).to_be_visible()
    expect(chat.locator('[data-testid="chat-message"]')).to_have_count(2)
    # ... and the code is the AI's again: the hand edit is undone, and kept in the history.
    page.get_by_role("tab", name="Versions").click()
    newest = versions.locator('[data-testid="version-row"]').first
    expect(newest).to_contain_text("restores", timeout=30_000)
    restored = api(page, "GET", f"/api/files/{project_id}?path=src/components/Counter.tsx")
    assert "useState" in restored["content"]
    by_hand = versions.get_by_test_id("version-description").filter(has_text="By hand")
    expect(by_hand).to_be_visible()

    # The chat continues from that message: what is sent next follows the AI's reply.
    page.get_by_role("tab", name="Chat").click()
    chat.get_by_label("Message", exact=True).fill("And now say hello tc=hello")
    chat.get_by_role("button", name="Send").click()
    reply = chat.locator('[data-testid="chat-message"][data-role="assistant"]').last
    expect(reply).to_contain_text("Hello! I am the fake model.", timeout=TURN_MS)
    thread = api(page, "GET", f"/api/threads/{project_id}")[0]
    branch = api(page, "GET", f"/api/messages/{thread['id']}")
    contents = [m["content"] for m in branch["messages"]]
    assert contents[0] == "Add a counter tc=create-file"
    assert contents[-2] == "And now say hello tc=hello"
    assert contents[-1].startswith("Hello! I am the fake model.")
