"""Guards of the web app: loopback check, token, body size, origin, headers.

- On a loopback address the app trusts the local user; elsewhere every
  state-changing endpoint needs ``Authorization: Bearer <GBAD_TOKEN>``.
- Bodies over ``max_body_bytes`` get 413 before they are read in full.
- A state-changing request whose ``Origin`` is not the server itself gets 403,
  so another web page open in the same browser cannot start runs (CSRF).
- Responses carry a strict Content-Security-Policy: no script, style, font or
  image from another host.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "TOKEN_ENV",
    "BodyLimitMiddleware",
    "SecurityHeadersMiddleware",
    "is_loopback",
    "origin_allowed",
    "token_ok",
]

#: Environment variable holding the API token for non-loopback servers.
TOKEN_ENV = "GBAD_TOKEN"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

UI_CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-eval'; font-src 'self' data:; connect-src 'self'; "
    "frame-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'"
)
#: The report is self-contained: inline scripts and styles, data: images, nothing
#: fetched. It is also sandboxed into an origin of its own, so nothing in a report
#: (whose text includes user input such as the scenario name) can use the API or
#: read the app's session, even if an escaping bug let a script through.
REPORT_CSP = (
    "default-src 'none'; img-src data: blob:; style-src 'unsafe-inline'; "
    "script-src 'unsafe-inline' 'unsafe-eval'; font-src data:; frame-ancestors 'self'; "
    "base-uri 'none'; form-action 'none'; "
    "sandbox allow-scripts allow-popups allow-popups-to-escape-sandbox allow-modals"
)


def is_loopback(host: str) -> bool:
    """Whether ``host`` (name or address) is the local machine only."""
    name = host.strip().strip("[]").lower()
    if name in {"localhost", "ip6-localhost", "ip6-loopback"}:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def token_ok(expected: str | None, authorization: str | None, header_token: str | None) -> bool:
    """Check a bearer token (constant-time); no expected token means open."""
    if not expected:
        return True
    given = header_token
    if authorization and authorization.lower().startswith("bearer "):
        given = authorization[7:].strip()
    if not given:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def origin_allowed(origin: str | None, host: str | None) -> bool:
    """Whether a request's ``Origin`` is this server (or absent, as from curl)."""
    if origin is None:
        return True
    if origin == "null" or not host:
        return False
    return urlsplit(origin).netloc.lower() == host.lower()


async def _send_json(send: Send, status: int, payload: dict[str, Any]) -> None:
    body = json.dumps(payload).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class _TooLargeError(Exception):
    pass


class BodyLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` with 413 (declared or streamed)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        detail = {"detail": f"request body over {self.max_bytes} bytes", "field": "body"}
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared < 0 or declared > self.max_bytes:
                    await _send_json(send, 413, detail)
                    return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLargeError
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLargeError:
            if not started:
                await _send_json(send, 413, detail)


class SecurityHeadersMiddleware:
    """Add CSP, nosniff and referrer headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        csp = REPORT_CSP if path.endswith("/report") else UI_CSP

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {h[0].lower() for h in headers}
                extra = [
                    (b"content-security-policy", csp.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"SAMEORIGIN"),
                ]
                headers += [h for h in extra if h[0] not in names]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
