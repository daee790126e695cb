"""What the dashboard sends and serves so that no page can be used against its user.

Every response carries ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY``
(the dashboard frames nothing, so nothing may frame it), ``Referrer-Policy:
no-referrer`` and a ``Content-Security-Policy``: its own pages may run their inline
scripts and call the dashboard; a report, a self-contained file with plotly.js inline,
may run its inline scripts (no ``eval``) but reach nothing outside.

Files are served only when they are regular files inside the runs folder after every
symlink is resolved (:func:`served_file`); anything else is "not found".
"""

from __future__ import annotations

from pathlib import Path

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["PAGE_POLICY", "REPORT_POLICY", "SecurityHeaders", "served_file"]

_COMMON = (
    "default-src 'none'; img-src 'self' data: blob:; font-src 'self' data:; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
#: The dashboard's own pages: inline scripts and styles, requests to the dashboard only.
PAGE_POLICY = (
    f"{_COMMON}; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "connect-src 'self'"
)
#: A report: plotly.js inline (the report's traces need no ``eval``), no request anywhere.
REPORT_POLICY = (
    f"{_COMMON}; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'none'"
)
_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)


class SecurityHeaders:
    """ASGI middleware: add the security headers to every response that lacks them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers as the response starts."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                extra = [*_HEADERS, (b"content-security-policy", PAGE_POLICY.encode())]
                headers += [(name, value) for name, value in extra if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def served_file(root: Path, candidate: Path) -> Path:
    """``candidate`` resolved, if it is a regular file inside ``root``; else a 404."""
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, or a symlink loop
        raise HTTPException(404, "no such report") from None
    if not resolved.is_relative_to(root.resolve()) or not resolved.is_file():
        raise HTTPException(404, "no such report")
    return resolved
