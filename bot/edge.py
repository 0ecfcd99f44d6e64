"""The HTTP edge of ``cedbot serve``: what a request must be before any channel code sees it.

- Bodies are read with a size limit while they stream in (413) and within a deadline (408);
  a declared ``Content-Length`` over the limit is refused before a byte is read.
- Webhook bodies must have the shape the platform sends (a JSON object, not too deeply
  nested; a Slack form whose ``payload`` is a JSON object): anything else is a 400 with one
  log line, never a traceback.
- Signed Slack form requests (the slash command, button presses) are recorded by their
  signature base, so a request replayed inside Slack's five-minute window acts once.
- :class:`GuardedH11Protocol` gives slow clients a deadline for their request headers and
  caps the open connections below the open-files limit, shedding idle connections first, so
  half-open connections cannot take the service (or ``/healthz``) offline or flood the log.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import resource
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

import h11
import uvicorn
from slack_sdk.signature import SignatureVerifier
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message
from uvicorn.protocols.http.h11_impl import H11Protocol

from bot.settings import Settings
from storage import repos

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger("cedbot.edge")

MAX_JSON_DEPTH = 32
"""Telegram and Slack payloads nest a handful of levels; deeper is not from them."""
MAX_FORM_FIELDS = 100
FD_RESERVE = 128
"""Open files kept free for the database, the platform clients and the log."""


class Refused(Exception):
    """A request refused at the edge, with the status to answer."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason

    def response(self) -> Response:
        # The body may still be streaming in: close the connection rather than read the rest.
        return Response(f"{self.reason}\n", status_code=self.status, headers={"Connection": "close"})


def refuse(request: Request, exc: Refused) -> Response:
    """One log line per refused request: the route, the status and why."""
    client = request.client.host if request.client else "?"
    log.warning("refused %s %s from %s: %s %s", request.method, request.url.path, client, exc.status, exc)
    return exc.response()


async def read_body(request: Request, limit: int, seconds: float) -> bytes:
    """The request body, refused once it passes ``limit`` bytes or takes longer than ``seconds``."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise Refused(413, f"body of {declared} bytes is over the limit of {limit}")
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(seconds):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise Refused(413, f"body over the limit of {limit} bytes")
                chunks.append(chunk)
    except TimeoutError:
        raise Refused(408, f"body not received within {seconds:g} s") from None
    return b"".join(chunks)


def with_body(request: Request, body: bytes) -> Request:
    """The same request, its body already read, for code that reads it again (slack-bolt)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(request.scope, receive)


def json_object(raw: bytes | str) -> dict[str, Any] | None:
    """``raw`` parsed when it is a JSON object nested at most :data:`MAX_JSON_DEPTH` deep."""
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, dict) or _depth(value) > MAX_JSON_DEPTH:
        return None
    return value


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_DEPTH:
            break
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def telegram_update(body: bytes) -> dict[str, Any]:
    update = json_object(body)
    if update is None:
        raise Refused(400, "not a JSON object of reasonable depth")
    return update


def check_slack_body(body: bytes, content_type: str) -> None:
    """Refuse bodies Slack never sends: bad JSON, a JSON list, a form with a bad ``payload``."""
    kind = content_type.split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "not UTF-8") from None
    if kind == "application/json":
        envelope = json_object(text)
        if envelope is None:
            raise Refused(400, "not a JSON object of reasonable depth")
        if envelope.get("type") == "event_callback" and not _event(envelope.get("event")):
            raise Refused(400, "event without the fields Slack sends")
        return
    if kind != "application/x-www-form-urlencoded":
        raise Refused(400, f"unsupported content type {kind or 'none'}")
    try:
        form = parse_qs(text, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
    except ValueError:
        raise Refused(400, "not a form body") from None
    payload = form.get("payload")
    if payload is None:
        return
    interaction = json_object(payload[0]) if len(payload) == 1 else None
    if interaction is None:
        raise Refused(400, "form payload is not a JSON object")
    if interaction.get("type") == "block_actions" and not _pressed_buttons(interaction):
        raise Refused(400, "button press without a user or an action id")


_EVENT_TEXT_FIELDS = ("type", "subtype", "user", "channel", "channel_type", "ts", "thread_ts", "text", "bot_id")


def _event(event: object) -> bool:
    """An event as Slack sends it: an object whose ids and texts, where present, are strings."""
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        return False
    return all(isinstance(event[key], str) for key in _EVENT_TEXT_FIELDS if key in event)


def _pressed_buttons(payload: dict[str, Any]) -> bool:
    """A button press as Slack sends it: a user with an id, one or more actions with ids."""
    user, actions = payload.get("user"), payload.get("actions")
    return (
        isinstance(user, dict)
        and isinstance(user.get("id"), str)
        and isinstance(actions, list)
        and bool(actions)
        and all(isinstance(a, dict) and isinstance(a.get("action_id"), str) for a in actions)
    )


def slack_replay_key(secret: str, headers: Mapping[str, str], body: bytes) -> str | None:
    """The key of a correctly signed Slack form request (a command or a button), else None.

    Slack signs ``v0:timestamp:body``; a replay repeats both exactly, and Slack's own requests
    never do (each carries a fresh ``trigger_id``). Events are deduplicated by their event id.
    """
    if not headers.get("content-type", "").lower().startswith("application/x-www-form-urlencoded"):
        return None
    timestamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    if not SignatureVerifier(secret).is_valid(body, timestamp, signature):
        return None  # slack-bolt answers 401
    digest = hashlib.sha256(f"{timestamp}:".encode() + body).hexdigest()
    return f"slack-request:{digest}"


async def first_time(runtime: Runtime, key: str) -> bool:
    async with runtime.sessions() as session, session.begin():
        return await repos.first_time_event(session, key, runtime.clock())


# Connections ---------------------------------------------------------------------------------


class QuietLog:
    """At most one line per ``every`` seconds for one recurring condition, with a count."""

    def __init__(self, message: str, every: float = 10.0) -> None:
        self.message, self.every = message, every
        self.last, self.count = -every, 0

    def __call__(self) -> None:
        self.count += 1
        now = time.monotonic()
        if now - self.last >= self.every:
            log.warning("%s (%d since the last report)", self.message, self.count)
            self.last, self.count = now, 0


_slow_headers = QuietLog("closed connections that did not send their request headers in time")
_shed = QuietLog("connection limit reached: closed idle connections")


class GuardedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a deadline for request headers and a connection cap.

    uvicorn times out idle keep-alive connections, but not a connection that never finishes
    its request headers; such connections used to pile up until the process ran out of files.
    """

    header_timeout: float = 10.0
    max_connections: int = 500

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.opened_at = time.monotonic()
        self.header_deadline: asyncio.TimerHandle | None = None
        if len(self.connections) > self.max_connections:
            self._shed_one()
        if not transport.is_closing():
            self._arm()

    def waiting_for_headers(self) -> bool:
        return self.conn.their_state is h11.IDLE and (self.cycle is None or self.cycle.response_complete)

    def _arm(self) -> None:
        if self.header_deadline is None:
            self.header_deadline = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self.header_deadline is not None:
            self.header_deadline.cancel()
            self.header_deadline = None

    def _headers_too_slow(self) -> None:
        self.header_deadline = None
        if self.waiting_for_headers() and not self.transport.is_closing():
            _slow_headers()
            self.transport.close()

    def _shed_one(self) -> None:
        idle = [
            c
            for c in self.connections
            if isinstance(c, GuardedH11Protocol) and c is not self and c.waiting_for_headers()
        ]
        victim = min(idle, key=lambda c: c.opened_at, default=self)
        _shed()
        victim.transport.close()

    def handle_events(self) -> None:
        super().handle_events()
        if self.transport.is_closing():
            self._disarm()
        elif self.waiting_for_headers():
            self._arm()  # part of a request arrived: the rest must follow in time
        else:
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def connection_cap(wanted: int) -> int:
    """``wanted``, or less where the open-files limit would not allow it."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return wanted
    return max(2, min(wanted, soft - FD_RESERVE))


def uvicorn_config(app: ASGIApp, settings: Settings, **options: Any) -> uvicorn.Config:
    """uvicorn set up for the open internet: header and keep-alive deadlines, a connection cap."""
    protocol = type(
        "Guarded",
        (GuardedH11Protocol,),
        {
            "header_timeout": settings.http_timeout_seconds,
            "max_connections": connection_cap(settings.http_max_connections),
        },
    )
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        http=protocol,
        timeout_keep_alive=5,
        lifespan="off",
        log_level="warning",
        access_log=False,
        **options,
    )
