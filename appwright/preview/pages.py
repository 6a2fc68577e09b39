"""HTML pages the gateway serves itself (private preview, starting, errors)."""

from __future__ import annotations

from html import escape

_STYLE = (
    "body{font-family:system-ui,sans-serif;display:flex;min-height:100vh;margin:0;"
    "align-items:center;justify-content:center;background:#f8fafc;color:#0f172a}"
    "main{max-width:28rem;padding:2rem;text-align:center}p{color:#475569}"
)


def _page(title: str, message: str, extra_head: str = "") -> bytes:
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>{escape(title)}</title>{extra_head}<style>{_STYLE}</style></head>"
        f"<body><main><h1>{escape(title)}</h1><p>{escape(message)}</p></main></body></html>"
    ).encode()


def unauthorized_page() -> bytes:
    """401: the preview is private and this browser has no valid preview cookie."""
    return _page(
        "This preview is private",
        "Open it from the project's workspace in appwright; the link signs you in.",
    )


def starting_page(refresh_s: int = 2) -> bytes:
    """503 while the dev server starts or wakes up; reloads itself until it answers."""
    return _page(
        "Starting your app…",
        "The development server is starting. This page reloads when it is ready.",
        f'<meta http-equiv="refresh" content="{refresh_s}">',
    )


def bad_gateway_page() -> bytes:
    """502: the dev server answered with something that is not HTTP."""
    return _page("The app did not answer properly", "Try reloading the preview.")


def bad_request_page(message: str) -> bytes:
    """400 with a message a person can act on."""
    return _page("Bad request", message)
