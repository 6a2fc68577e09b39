"""Editor and version history in Chromium (issue 5 acceptance): open a file in Monaco,
edit, save, see the version in the timeline and its diff, restore the previous version
and see the editor show the old content again. Uses the `static` template (no npm)."""

from __future__ import annotations

import time
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.workspace_helpers import (
    MONACO_MS,
    create_project,
    open_in_editor,
    open_workspace,
    sign_up,
)

pytestmark = pytest.mark.e2e


def test_edit_save_version_diff_and_restore(page: Page) -> None:
    started = time.monotonic()
    marker = f"edited_by_e2e_{uuid.uuid4().hex[:8]}"
    sign_up(page)
    project_id = create_project(page, "static")
    open_workspace(page, project_id)

    editor_panel = page.get_by_test_id("editor-panel")
    code = open_in_editor(page, "script.js", "Page behaviour goes here")
    lines = code.locator(".monaco-editor .view-lines")

    # Real typing into Monaco, then Ctrl+S.
    lines.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type(f"// {marker}")
    tab = editor_panel.locator('[data-testid="editor-tab"][data-path="script.js"]')
    expect(lines).to_contain_text(marker)
    page.keyboard.press("Control+s")
    expect(tab).to_have_attribute("data-status", "clean")
    expect(editor_panel.get_by_test_id("editor-save-status")).to_have_text("Saved")
    # The new line is marked in the gutter as added since the last version.
    expect(code.locator(".aw-gutter-added").first).to_be_visible()

    # Save it as a version from the Versions tab.
    page.get_by_role("tab", name="Versions").click()
    versions = page.get_by_test_id("versions-panel")
    expect(versions.get_by_test_id("versions-pending")).to_have_text("1 unsaved change")
    versions.get_by_label("Version description").fill("Mark the script")
    versions.get_by_role("button", name="Save version").click()
    rows = versions.get_by_test_id("version-row")
    expect(rows.first.get_by_test_id("version-description")).to_have_text("Mark the script")
    expect(rows.first).to_contain_text("1 file changed")
    assert rows.count() >= 2, "the project starts with the template's version"

    # Its diff shows the change side by side.
    rows.first.get_by_role("button", name="Changes").click()
    diff = page.get_by_test_id("version-diff")
    expect(diff.get_by_test_id("diff-file")).to_have_count(1)
    expect(diff.get_by_test_id("diff-file")).to_contain_text("script.js")
    modified = diff.locator(".monaco-diff-editor .editor.modified .view-lines")
    expect(modified).to_contain_text(marker, timeout=MONACO_MS)
    expect(diff.locator(".monaco-diff-editor .editor.original .view-lines")).not_to_contain_text(
        marker
    )
    page.keyboard.press("Escape")
    expect(diff).to_be_hidden()

    # Restore the version before the edit (with confirmation): the editor reloads.
    rows.nth(1).get_by_role("button", name="Restore").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Restore").click()
    expect(rows.first).to_contain_text("restores")
    expect(lines).not_to_contain_text(marker)
    expect(lines).to_contain_text("Page behaviour goes here")
    expect(tab).to_have_attribute("data-status", "clean")
    print(f"editor E2E took {time.monotonic() - started:.1f}s")
