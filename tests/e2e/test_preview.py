"""Issue 3 acceptance in Chromium: a project's preview shows the template, a file changed
through the API appears without a manual refresh (HMR through the gateway), and the app's
console output and an uncaught error reach the console panel and the error overlay."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from .workspace_helpers import (
    HMR_MS,
    create_project,
    expect_template_page,
    open_workspace,
    preview_frame,
    sign_up,
    write_file,
)

# A cold Next.js start installs its packages first: well past the default 300 s timeout.
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

NEXT_PAGE = """import Head from "next/head";
{imports}
export default function Home() {{
{body}
  return (
    <>
      <Head>
        <title>My app</title>
      </Head>
      <main className="flex min-h-screen flex-col items-center justify-center gap-4 p-8">
        <h1 className="text-4xl font-bold tracking-tight">{heading}</h1>
      </main>
    </>
  );
}}
"""

VITE_APP = """{imports}
export default function App() {{
{body}
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-4 p-8">
      <h1 className="text-4xl font-bold tracking-tight">{heading}</h1>
    </main>
  );
}}
"""

FAULTY_BODY = """  useEffect(() => {
    console.log("e2e console hello", { answer: 42 });
    const timer = setTimeout(() => {
      throw new Error("e2e boom from the app");
    }, 50);
    return () => clearTimeout(timer);
  }, []);"""

CASES = {
    "nextjs": ("pages/index.tsx", NEXT_PAGE),
    "react-vite": ("src/App.tsx", VITE_APP),
}


@pytest.mark.parametrize("template", ["nextjs", "react-vite"])
def test_preview_hot_reload_console_and_error_overlay(page: Page, template: str) -> None:
    path, source = CASES[template]
    started = time.monotonic()
    sign_up(page)
    project_id = create_project(page, template)
    open_workspace(page, project_id)

    # The sandbox starts, the dev server answers, the iframe shows the template's page.
    expect_template_page(page)
    ready_s = time.monotonic() - started
    preview = page.get_by_test_id("preview-panel")
    expect(preview.get_by_test_id("preview-status")).to_have_attribute("data-status", "running")
    frame_locator = page.frame_locator('[data-testid="preview-frame"]')

    # A marker on the page's window survives hot updates but not a reload.
    page.wait_for_timeout(2000)  # let the first load settle (HMR socket connected)
    # An untouched template has nothing wrong with it: no error over the preview.
    expect(page.get_by_test_id("preview-error-overlay")).to_have_count(0)
    frame = preview_frame(page)
    frame.evaluate("window.__e2eMarker = 'kept'")

    changed = source.format(imports="", body="", heading="Changed through the API")
    write_file(page, project_id, path, changed)
    expect(frame_locator.get_by_role("heading", name="Changed through the API")).to_be_visible(
        timeout=HMR_MS
    )
    hmr_s = time.monotonic() - started - ready_s
    assert preview_frame(page).evaluate("window.__e2eMarker") == "kept", "the page was reloaded"

    # console.log and an uncaught error in the app.
    use_effect = 'import { useEffect } from "react";'
    faulty = source.format(imports=use_effect, body=FAULTY_BODY, heading="Now with errors")
    write_file(page, project_id, path, faulty)
    expect(frame_locator.get_by_role("heading", name="Now with errors")).to_be_visible(
        timeout=HMR_MS
    )
    overlay = page.get_by_role("alert", name="Preview error")
    expect(overlay).to_contain_text("e2e boom from the app", timeout=HMR_MS)
    expect(overlay.get_by_role("button", name="Fix with AI")).to_be_visible()

    page.get_by_role("button", name="Toggle console").click()
    console = page.get_by_test_id("preview-console")
    entries = console.get_by_test_id("console-entry")
    expect(entries.filter(has_text="e2e console hello")).to_be_visible()
    boom = entries.filter(has_text="e2e boom from the app")
    expect(boom).to_have_attribute("data-level", "error")
    shown = [entries.nth(i).get_attribute("data-entry-id") for i in range(entries.count())]
    assert shown and None not in shown
    page.get_by_role("button", name="Clear console").click()
    # Every line shown before is gone. (The app may log again right after: the dev
    # server's client can reload the page, which runs its effects again.)
    for entry_id in shown:
        expect(console.locator(f'[data-entry-id="{entry_id}"]')).to_have_count(0)

    # Viewport switch: the iframe takes the phone's width.
    page.get_by_role("button", name="Mobile (375 px) viewport").click()
    expect(page.get_by_test_id("preview-frame")).to_have_css("width", "375px")

    # The dev server's log is one click away.
    page.get_by_role("button", name="Dev server log").click()
    dialog = page.get_by_role("dialog", name="Dev server log")
    log = dialog.get_by_test_id("dev-server-log")
    expect(log).not_to_contain_text("No output yet", timeout=15_000)
    print(f"RESULT template={template} preview_ready_s={ready_s:.1f} hmr_visible_s={hmr_s:.1f}")
