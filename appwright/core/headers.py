"""Security headers of the platform origin, the Content-Security-Policy among them.

The policy covers every answer of the platform app: the SPA (``index.html`` and its
assets), the API and the pages it renders. Previews are another origin and never reach
the app (the gateway answers them with their own ``frame-ancestors`` policy).

What the UI needs, and so what the policy allows:

* scripts, styles, fonts, workers: the built bundle on the platform origin (Monaco's
  workers are files of the bundle; ``blob:`` workers for tooling that makes them);
  inline styles, which React's ``style`` props, Monaco and xterm set at run time;
* images: the platform origin, ``data:`` and ``blob:`` (attachments, screenshots) and
  nothing remote, so nothing a model writes into the chat can make the browser call
  another server;
* connections: the platform origin and its WebSocket (``ws(s)://`` of the same host);
* frames: the preview origins ``{scheme}://*.{preview domain}[:port]`` only.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from appwright.core.config import Settings

_CSP = b"content-security-policy"


def content_security_policy(settings: Settings) -> str:
    base = urlsplit(settings.base_url)
    ws_scheme = "wss" if base.scheme == "https" else "ws"
    host = base.netloc.rpartition("@")[2]
    port = f":{base.port}" if base.port else ""
    previews = f"{base.scheme}://*.{settings.preview_domain.strip('.')}{port}"
    directives = [
        ("default-src", "'self'"),
        ("script-src", "'self'"),
        ("style-src", "'self' 'unsafe-inline'"),
        ("img-src", "'self' data: blob:"),
        ("font-src", "'self' data:"),
        ("connect-src", f"'self' {ws_scheme}://{host}"),
        ("frame-src", previews),
        ("worker-src", "'self' blob:"),
        ("object-src", "'none'"),
        ("base-uri", "'self'"),
        ("form-action", "'self'"),
        ("frame-ancestors", "'none'"),
    ]
    return "; ".join(f"{name} {value}" for name, value in directives)


class SecurityHeadersMiddleware:
    """Headers for the platform origin: never framed, never sniffed, the CSP above.

    A response that sets its own Content-Security-Policy keeps it (a project file served
    raw carries ``sandbox``, stricter than this one).
    """

    def __init__(self, app: ASGIApp, *, csp: str) -> None:
        self.app = app
        self.headers = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
            (b"x-frame-options", b"DENY"),
        ]
        self.csp = csp.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(k.lower() == _CSP for k, _ in headers):
                    headers.append((_CSP, self.csp))
                message["headers"] = headers + self.headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
