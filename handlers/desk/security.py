"""Who is looking at a desk page: the signed session cookie, CSRF tokens and security headers."""

from __future__ import annotations

import hashlib
import hmac
import weakref
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.runtime import Runtime
from bot.types import Lang
from handlers.desk.signin import may_sign_in
from storage import desk as db

COOKIE = "cedbot_desk"
PRE_COOKIE = "cedbot_desk_signin"

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # The sign-in token is in the link's path: it must never leave in a Referer header.
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeaders:
    """Adds the strict headers to every desk response, including errors."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


@dataclass(frozen=True)
class Viewer:
    """The signed-in adviser behind a request."""

    identity: str
    session_id: int
    csrf: str
    lang: Lang
    admin: bool
    flash: str | None = None


_KEYS: weakref.WeakKeyDictionary[Runtime, bytes] = weakref.WeakKeyDictionary()
"""The signing key per runtime, read from the database once per process."""


async def key(runtime: Runtime, session: AsyncSession) -> bytes:
    cached = _KEYS.get(runtime)
    if cached is None:
        cached = _KEYS[runtime] = (await db.signing_key(session)).encode()
    return cached


def sign(secret: bytes, token: str) -> str:
    mac = hmac.new(secret, token.encode(), hashlib.sha256).hexdigest()
    return f"{token}.{mac}"


def unsign(secret: bytes, value: str) -> str | None:
    token = value.rpartition(".")[0]
    if not token or not hmac.compare_digest(sign(secret, token), value):
        return None
    return token


async def viewer(runtime: Runtime, session: AsyncSession, request: Request, *, touch: bool = True) -> Viewer | None:
    """The session behind the cookie: signed by this database's key, not signed out, not idle,
    and its adviser still listed in the settings. Reading it keeps it alive unless ``touch``
    is False (the page's own refreshes, which are not the adviser at work)."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    token = unsign(await key(runtime, session), raw)
    if token is None:
        return None
    settings = runtime.settings
    idle = timedelta(minutes=settings.desk_idle_minutes)
    row = await db.live_session(session, token, runtime.clock(), idle, touch=touch)
    if row is None or not may_sign_in(settings, row.identity):
        return None
    if not touch:
        return Viewer(row.identity, row.id, row.csrf, Lang(row.lang), row.identity in settings.admins)
    flash, row.flash = row.flash, None
    return Viewer(row.identity, row.id, row.csrf, Lang(row.lang), row.identity in settings.admins, flash)


def csrf_ok(expected: str, given: object) -> bool:
    return isinstance(given, str) and bool(given) and hmac.compare_digest(expected, given)


def set_session_cookie(response: Response, runtime: Runtime, value: str) -> None:
    response.set_cookie(
        COOKIE,
        value,
        httponly=True,
        samesite="strict",
        secure=secure(runtime),
        path="/desk",
    )


def secure(runtime: Runtime) -> bool:
    return (runtime.settings.public_url or "").startswith("https://")
