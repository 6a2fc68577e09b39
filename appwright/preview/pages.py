"""HTML pages the gateway serves itself (private preview, starting, errors)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

_STYLE = (
    "body{font-family:system-ui,sans-serif;display:flex;min-height:100vh;margin:0;"
    "align-items:center;justify-content:center;background:#f8fafc;color:#0f172a}"
    "main{max-width:28rem;padding:2rem;text-align:center}p{color:#475569}"
)


_LOG_STYLE = (
    "section{margin-top:1.5rem;text-align:left}h2{font-size:.8rem;color:#475569;margin:0 0 .4rem}"
    "pre{max-height:50vh;overflow:auto;background:#0f172a;color:#e2e8f0;padding:.75rem;"
    "border-radius:.5rem;font-size:.75rem;line-height:1.4;white-space:pre-wrap;"
    "word-break:break-word;margin:0}main.wide{max-width:48rem;width:100%}"
)


def _page(title: str, message: str, extra_head: str = "", extra_body: str = "") -> bytes:
    wide = ' class="wide"' if extra_body else ""
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>{escape(title)}</title>{extra_head}<style>{_STYLE}{_LOG_STYLE}</style></head>"
        f"<body><main{wide}><h1>{escape(title)}</h1><p>{escape(message)}</p>{extra_body}"
        "</main></body></html>"
    ).encode()


def unauthorized_page() -> bytes:
    """401: the preview is private and this browser has no valid preview cookie."""
    return _page(
        "This preview is private",
        "Open it from the project's workspace in appwright; the link signs you in.",
    )


def starting_page(refresh_s: int = 2, log_lines: Sequence[str] = ()) -> bytes:
    """503 while the dev server starts or wakes up; reloads itself until it answers.

    ``log_lines``: the newest lines of the dev-server log (escaped here), so that each
    reload shows how the start is going — an install, a compile, or the error that stops it.
    """
    log = ""
    if log_lines:
        text = escape("\n".join(line.rstrip("\n") for line in log_lines))
        log = f'<section><h2>Dev-server log</h2><pre id="log">{text}</pre></section>'
    return _page(
        "Starting your app…",
        "The development server is starting. This page reloads when it is ready.",
        f'<meta http-equiv="refresh" content="{refresh_s}">',
        log,
    )


def bad_gateway_page() -> bytes:
    """502: the dev server answered with something that is not HTTP."""
    return _page("The app did not answer properly", "Try reloading the preview.")


def bad_request_page(message: str) -> bytes:
    """400 with a message a person can act on."""
    return _page("Bad request", message)


def not_published_page() -> bytes:
    return _page(
        "Nothing published here",
        "No app is published at this address. If it is yours, publish it from its workspace.",
    )


def waking_page(refresh_s: int = 2) -> bytes:
    """503 of a published app whose server is starting (it slept while nobody came)."""
    return _page(
        "Starting…",
        "This app is waking up. The page reloads by itself in a moment.",
        extra_head=f'<meta http-equiv="refresh" content="{refresh_s}">',
    )
