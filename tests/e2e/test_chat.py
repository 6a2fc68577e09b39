"""Issue 4 acceptance in Chromium: a prompt's reply streams, its file change shows as a
tool-call card, the preview shows the change and the turn is saved as a version.

The server talks to the fake LLM (tests/e2e/conftest.py); `tc=e2e-chat-react-vite`
picks testing/fake_llm/scenarios/e2e-chat-react-vite.yaml."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from .workspace_helpers import (
    HMR_MS,
    api,
    create_project,
    expect_template_page,
    open_workspace,
    sign_up,
)

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

TURN_MS = 180_000  # the loop's automatic error check runs a TypeScript check in the sandbox


def test_prompt_streams_edits_files_updates_preview_and_makes_a_version(page: Page) -> None:
    started = time.monotonic()
    sign_up(page)
    project_id = create_project(page, "react-vite")
    open_workspace(page, project_id)
    expect_template_page(page)
    ready_s = time.monotonic() - started

    chat = page.get_by_test_id("chat-panel")
    prompt = "Rename the heading to Hat shop from chat tc=e2e-chat-react-vite"
    chat.get_by_label("Message", exact=True).fill(prompt)
    chat.get_by_role("button", name="Send").click()

    # The prompt shows at once; the reply streams in (markdown rendered, not raw).
    expect(chat.locator('[data-testid="chat-message"][data-role="user"]')).to_contain_text(prompt)
    reply = chat.locator('[data-testid="chat-message"][data-role="assistant"]').last
    expect(reply.locator("strong", has_text="Hat shop from chat")).to_be_visible(timeout=60_000)

    # The file change appears as a tool-call card with its compact diff.
    card = chat.locator('[data-testid="tool-call-card"][data-tool="update_file_sections"]')
    expect(card).to_contain_text("src/App.tsx", timeout=60_000)
    expect(card).to_have_attribute("data-state", "ok", timeout=60_000)
    expect(card).to_contain_text("+1")

    # The preview follows (hot reload, no manual refresh).
    frame = page.frame_locator('[data-testid="preview-frame"]')
    expect(frame.get_by_role("heading", name="Hat shop from chat")).to_be_visible(timeout=HMR_MS)

    # The turn ends (final text, Send is back) and is recorded as a version.
    expect(reply).to_contain_text("the page's heading now says", timeout=TURN_MS)
    expect(chat.get_by_role("button", name="Send")).to_be_visible(timeout=TURN_MS)
    expect(chat.get_by_test_id("message-version")).to_be_visible(timeout=30_000)
    expect(chat.get_by_test_id("message-usage").first).to_contain_text("tokens")
    turn_s = time.monotonic() - started - ready_s

    timeline = api(page, "GET", f"/api/version-history/{project_id}")
    ai_versions = [v for v in timeline["items"] if v["author"] == "ai"]
    assert ai_versions, timeline
    assert "src/App.tsx" in ai_versions[0]["files_changed"]
    assert ai_versions[0]["message_id"] is not None

    # The Versions tab beside the chat lists it too (when the versions panel shows it).
    page.get_by_role("tab", name="Versions").click()
    expect(page.get_by_role("tab", name="Versions")).to_have_attribute("data-state", "active")
    page.get_by_role("tab", name="Chat").click()
    expect(chat).to_be_visible()
    print(f"RESULT chat_preview_ready_s={ready_s:.1f} chat_turn_s={turn_s:.1f}")


def test_code_a_model_puts_in_the_chat_can_be_written_to_its_file(page: Page) -> None:
    sign_up(page)
    project_id = create_project(page, "static")
    open_workspace(page, project_id)
    chat = page.get_by_test_id("chat-panel")
    chat.get_by_label("Message", exact=True).fill("Add a greeting tc=e2e-code-in-chat")
    chat.get_by_role("button", name="Send").click()
    expect(chat.get_by_role("button", name="Send")).to_be_visible(timeout=60_000)  # turn ended

    # A new file: written at once, in the person's name, and it shows in the file tree.
    new_file = chat.locator('[data-testid="code-file-action"][data-path="greeting.js"]')
    new_file.get_by_role("button", name="Write to greeting.js").click()
    expect(new_file).to_contain_text("Written to greeting.js")
    written = api(page, "GET", f"/api/files/{project_id}?path=greeting.js")
    assert written["content"] == 'export const greeting = "Hello from a chat code block";\n'
    tree = page.get_by_test_id("editor-panel")
    expect(tree.locator('[role="treeitem"][data-path="greeting.js"]')).to_be_visible()

    # An existing file: replaced only after a confirmation; the path comment is left out.
    existing = chat.locator('[data-testid="code-file-action"][data-path="script.js"]')
    existing.get_by_role("button", name="Write to script.js").click()
    expect(existing).to_contain_text("Replace the existing")
    unchanged = api(page, "GET", f"/api/files/{project_id}?path=script.js")["content"]
    assert "replaced from the chat" not in unchanged
    existing.get_by_role("button", name="Replace").click()
    expect(existing).to_contain_text("Written to script.js")
    replaced = api(page, "GET", f"/api/files/{project_id}?path=script.js")["content"]
    assert replaced == 'console.log("script replaced from the chat");\n'
