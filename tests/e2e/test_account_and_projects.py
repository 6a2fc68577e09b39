"""The paths a new user walks: sign up, verify through the dev outbox, create and delete a
project, sign out and back in, and a theme choice that survives a reload."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import BrowserContext, Page, Response, expect

from tests.e2e.conftest import Server
from tests.e2e.workspace_helpers import verify_via_outbox

pytestmark = pytest.mark.e2e

ContextFactory = Callable[[], BrowserContext]


@dataclass(frozen=True)
class Account:
    name: str
    email: str
    password: str


@pytest.fixture
def account() -> Account:
    """Credentials for a user who does not exist yet, unique per test."""
    suffix = uuid.uuid4().hex[:10]
    return Account(f"Ada {suffix}", f"ada-{suffix}@example.com", f"pw-{suffix}-long")


def sign_up(page: Page, account: Account) -> None:
    page.goto("/signup")
    page.get_by_label("Name").fill(account.name)
    page.get_by_label("Email").fill(account.email)
    page.get_by_label("Password").fill(account.password)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Projects", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/$"))


def sign_in(page: Page, account: Account) -> None:
    page.goto("/signin")
    page.get_by_label("Email").fill(account.email)
    page.get_by_label("Password").fill(account.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Projects", exact=True)).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Account menu").click()
    page.get_by_role("menuitem", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/signin$"))


def create_project(page: Page, name: str, description: str, template: str) -> None:
    page.get_by_role("button", name="New project").click()
    dialog = page.get_by_role("dialog", name="New project")
    dialog.get_by_test_id("template-option").filter(has_text=template).click()
    dialog.get_by_role("button", name="Next").click()
    dialog.get_by_label("Project name").fill(name)
    dialog.get_by_label("Description").fill(description)
    dialog.get_by_role("button", name="Create project").click()
    expect(page).to_have_url(re.compile(r"/projects/[^/]+$"))
    expect(page.get_by_test_id("workspace-project-name")).to_have_text(name)


def is_profile_update(response: Response) -> bool:
    return response.url.endswith("/api/users/me") and response.request.method == "PATCH"


def test_sign_up_verify_create_and_delete_project(page: Page, account: Account) -> None:
    sign_up(page, account)
    banner = page.get_by_test_id("verify-email-banner")
    expect(banner).to_be_visible()
    expect(page.get_by_test_id("projects-empty")).to_be_visible()

    verify_via_outbox(page, account.email)
    expect(banner).to_have_count(0)
    page.reload()
    expect(page.get_by_role("heading", name="Projects", exact=True)).to_be_visible()
    expect(banner).to_have_count(0)

    name = f"Todo {uuid.uuid4().hex[:6]}"
    create_project(page, name, "Tasks with due dates", "React + Vite")
    for testid in ("chat-panel", "editor-panel", "preview-panel"):
        expect(page.get_by_test_id(testid)).to_be_visible()

    page.get_by_role("link", name="Back to projects").click()
    card = page.get_by_test_id("project-card").filter(has_text=name)
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Tasks with due dates")

    card.get_by_role("button", name=f"Actions for {name}").click()
    page.get_by_role("menuitem", name="Delete").click()
    confirm = page.get_by_role("alertdialog")
    delete_button = confirm.get_by_role("button", name="Delete project")
    confirm.get_by_label("to confirm").fill(name.lower())
    expect(delete_button).to_be_disabled()
    confirm.get_by_label("to confirm").fill(name)
    delete_button.click()
    expect(confirm).to_have_count(0)
    expect(page.get_by_test_id("project-card").filter(has_text=name)).to_have_count(0)
    expect(page.get_by_test_id("projects-empty")).to_be_visible()
    page.reload()
    expect(page.get_by_test_id("projects-empty")).to_be_visible()


def test_sign_out_and_sign_in_again(page: Page, account: Account) -> None:
    sign_up(page, account)
    create_project(page, "Kept project", "survives signing out", "Static site")
    page.goto("/")
    sign_out(page)

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/signin$"))

    page.get_by_label("Email").fill(account.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/signin$"))

    sign_in(page, account)
    expect(page.get_by_test_id("project-card").filter(has_text="Kept project")).to_have_count(1)


def test_theme_choice_persists_across_reload_and_devices(
    page: Page, account: Account, context_factory: ContextFactory
) -> None:
    sign_up(page, account)
    html = page.locator("html")
    page.goto("/settings?tab=appearance")
    with page.expect_response(is_profile_update):
        page.get_by_test_id("theme-option").filter(has_text="Dark").click()
    expect(html).to_have_class(re.compile(r"\bdark\b"))
    page.reload()
    expect(page.get_by_role("heading", name="Settings", exact=True)).to_be_visible()
    expect(html).to_have_class(re.compile(r"\bdark\b"))

    # The header toggle changes the same preference.
    page.get_by_test_id("theme-toggle").click()
    page.get_by_role("menuitemradio", name="Light").click()
    expect(html).not_to_have_class(re.compile(r"\bdark\b"))
    # The menu closes with an animation; a click on the toggle before it has gone would
    # land on the closing menu's dismiss layer instead of opening it again.
    expect(page.get_by_role("menu")).to_have_count(0)
    page.get_by_test_id("theme-toggle").click()
    with page.expect_response(is_profile_update):
        page.get_by_role("menuitemradio", name="Dark").click()
    expect(html).to_have_class(re.compile(r"\bdark\b"))

    # Another browser (no local storage) gets the theme from the account.
    other = context_factory().new_page()
    sign_in(other, account)
    expect(other.locator("html")).to_have_class(re.compile(r"\bdark\b"))


def _outbox_link(server: Server, email: str, marker: str) -> str:
    """The newest link containing ``marker`` in a mail to ``email``, read from the data dir."""
    for path in sorted((server.data_dir / "outbox").glob("*.json"), reverse=True):
        mail = json.loads(path.read_text())
        if mail["to"] == email:
            for link in re.findall(r"https?://\S+", mail["text"]):
                if marker in link:
                    return str(link)
    raise AssertionError(f"no mail to {email} with {marker} in the outbox")


def test_forgotten_password_is_reset_through_the_outbox(
    page: Page, account: Account, server: Server
) -> None:
    sign_up(page, account)
    sign_out(page)

    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(account.email)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    page.get_by_role("link", name="Open the dev outbox").click()

    # Signed out, the outbox shows nothing: it says where the mails are on disk instead.
    expect(page.get_by_test_id("outbox-signed-out")).to_be_visible()
    expect(page.get_by_test_id("outbox-on-disk")).to_contain_text("outbox/")
    expect(page.get_by_test_id("outbox-email")).to_have_count(0)
    page.goto(_outbox_link(server, account.email, "/reset-password?token="))

    new_password = account.password + "-new"
    page.get_by_label("New password", exact=True).fill(new_password)
    page.get_by_label("Confirm new password").fill(new_password)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", name="Password changed")).to_be_visible()

    page.goto("/signin")
    page.get_by_label("Email").fill(account.email)
    page.get_by_label("Password").fill(account.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    sign_in(page, Account(account.name, account.email, new_password))
