"""Branches, uploads and the zip download in Chromium (static template, no npm): create a
branch, edit and save a file on it, switch back, merge the branch and see the change in
the editor, delete the branch; upload a PNG through the file tree; download the zip."""

from __future__ import annotations

import struct
import uuid
import zlib
from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Locator, Page, expect

from tests.e2e.workspace_helpers import (
    create_project,
    open_in_editor,
    open_workspace,
    sign_up,
)

pytestmark = pytest.mark.e2e


def _png_1x1() -> bytes:
    """A valid one-pixel PNG (signature, IHDR, IDAT, IEND)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x80\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _branch_menu(page: Page, current: str) -> Locator:
    """Opens the versions panel's branch menu (the current branch is its label)."""
    button = page.get_by_test_id("versions-panel").get_by_role("button", name=f"Branch: {current}")
    button.click()
    return page.get_by_role("menu")


def test_branch_merge_delete_upload_and_download(page: Page, tmp_path: Path) -> None:
    marker = f"on_branch_{uuid.uuid4().hex[:8]}"
    branch = f"try-{uuid.uuid4().hex[:6]}"
    sign_up(page)
    project_id = create_project(page, "static")
    open_workspace(page, project_id)

    editor_panel = page.get_by_test_id("editor-panel")
    code = open_in_editor(page, "script.js", "Page behaviour goes here")
    lines = code.locator(".monaco-editor .view-lines")

    # A new branch from the current version (its name is asked in a prompt).
    page.get_by_role("tab", name="Versions").click()
    versions = page.get_by_test_id("versions-panel")

    def name_branch(dialog: Dialog) -> None:
        dialog.accept(branch)

    page.once("dialog", name_branch)
    _branch_menu(page, "main").get_by_role("menuitem", name="New branch…").click()
    expect(versions.get_by_role("button", name=f"Branch: {branch}")).to_be_visible()

    # Edit and save the file on the branch, and save that as a version.
    lines.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type(f"// {marker}")
    expect(lines).to_contain_text(marker)
    page.keyboard.press("Control+s")
    tab = editor_panel.locator('[data-testid="editor-tab"][data-path="script.js"]')
    expect(tab).to_have_attribute("data-status", "clean")
    expect(versions.get_by_test_id("versions-pending")).to_have_text("1 unsaved change")
    versions.get_by_label("Version description").fill("Mark the script on the branch")
    versions.get_by_role("button", name="Save version").click()
    rows = versions.get_by_test_id("version-row")
    expect(rows.first.get_by_test_id("version-description")).to_have_text(
        "Mark the script on the branch"
    )

    # Back on main the open file shows main's content again.
    _branch_menu(page, branch).get_by_role("menuitem", name="main").click()
    expect(versions.get_by_role("button", name="Branch: main")).to_be_visible()
    expect(lines).not_to_contain_text(marker)
    expect(rows.first.get_by_test_id("version-description")).not_to_have_text(
        "Mark the script on the branch"
    )

    # Merge the branch into main: the editor shows the change, the timeline the merge.
    _branch_menu(page, "main").get_by_role("menuitem", name="Merge or delete branches…").click()
    dialog = page.get_by_test_id("branches-dialog")
    row = dialog.locator(f'[data-testid="branch-row"][data-name="{branch}"]')
    row.get_by_test_id("branch-merge").click()
    expect(lines).to_contain_text(marker)
    expect(tab).to_have_attribute("data-status", "clean")
    expect(rows.first.get_by_test_id("version-description")).to_have_text(
        f"Merge branch {branch} into main"
    )
    expect(dialog.get_by_test_id("merge-conflict")).to_have_count(0)

    # Delete the (merged) branch, after confirming.
    row.get_by_test_id("branch-delete").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Delete branch").click()
    expect(row).to_have_count(0)
    expect(dialog.get_by_test_id("branch-row")).to_have_count(1)
    # The confirmation closes with an animation; a key pressed meanwhile goes to it.
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    dialog.get_by_role("button", name="Close").first.click()
    expect(dialog).to_be_hidden()

    # Upload a PNG through the file tree's input: it shows in the tree.
    png = tmp_path / "pixel.png"
    png.write_bytes(_png_1x1())
    tree = editor_panel.get_by_test_id("file-tree")
    tree.get_by_test_id("file-upload-input").set_input_files(png)
    expect(tree.locator('[role="treeitem"][data-path="pixel.png"]')).to_be_visible()
    expect(page.get_by_text("Uploaded pixel.png to the project root")).to_be_visible()

    # The whole project as a zip.
    with page.expect_download() as download_info:
        page.get_by_test_id("workspace-download").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".zip"), download.suggested_filename
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes()[:2] == b"PK"
