"""Slack: Events API, the /ced command and button presses to :class:`Incoming`; replies as Block Kit.

The pure functions :func:`to_incoming` and :func:`render` hold all the conversion; the
:class:`SlackChannel` only wires slack-bolt to the runtime and the outbox.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Coroutine, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiohttp import ClientError
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot import markup
from bot.outbox import DeliveryError
from bot.runtime import Runtime
from bot.settings import Settings
from bot.types import Address, Button, Channel, Identity, Incoming, Reply

log = logging.getLogger("cedbot.slack")

COMMAND = "/ced"
SECTION_LIMIT = 3000  # characters of mrkdwn in one section block
# Chatter that is not a person writing a message: edits, joins, topic changes, bots...
_USER_SUBTYPES = {None, "file_share", "thread_broadcast"}
_PERMANENT = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "account_inactive",
    "user_not_found",
    "invalid_auth",
    "not_authed",
    "token_revoked",
    "missing_scope",
    "cannot_dm_bot",
}

# Conversion: pure functions ---------------------------------------------------------------


def to_incoming(body: Mapping[str, Any], *, bot_user_id: str = "") -> Incoming | None:
    """A Slack request body as the core sees it; None for what the assistant ignores.

    Direct messages and mentions are addressed to the assistant; a reply in a channel
    thread passes as ``addressed=False`` (only a live hand-off relays it).
    """
    if "command" in body:
        return _command(body)
    if body.get("type") == "block_actions":
        return _action(body)
    if body.get("type") == "event_callback":
        event = body.get("event") or {}
        if event.get("type") == "app_mention":
            return _mention(event, body.get("event_id"), bot_user_id)
        if event.get("type") == "message":
            return _message(event, body.get("event_id"), bot_user_id)
    return None


def _message(event: Mapping[str, Any], event_id: str | None, bot_user_id: str) -> Incoming | None:
    if event.get("subtype") not in _USER_SUBTYPES or event.get("bot_id") or not event.get("user"):
        return None
    if event["user"] == bot_user_id:
        return None
    thread_ts = event.get("thread_ts")
    if event.get("channel_type") == "im":
        return _incoming(event, event_id, text=plain_text(event.get("text", "")), thread=thread_ts)
    if event.get("channel_type") not in {"channel", "group"} or not thread_ts or thread_ts == event.get("ts"):
        return None  # channel chatter outside a thread is none of the assistant's business
    if bot_user_id and f"<@{bot_user_id}" in event.get("text", ""):
        return None  # the app_mention event for the same message answers it
    return _incoming(
        event,
        event_id,
        text=plain_text(event.get("text", "")),
        thread=thread_ts,
        reply_to_ref=thread_ts,
        addressed=False,
    )


def _mention(event: Mapping[str, Any], event_id: str | None, bot_user_id: str) -> Incoming | None:
    if event.get("bot_id") or not event.get("user") or event["user"] == bot_user_id:
        return None
    text = str(event.get("text", ""))
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(\|[^>]*)?>[,:]?", " ", text)
    # A mention is answered in its thread: a new one if it was said in the channel itself.
    thread = event.get("thread_ts") or event.get("ts")
    return _incoming(
        event, event_id, text=plain_text(text), thread=thread, reply_to_ref=event.get("thread_ts")
    )


def _incoming(
    event: Mapping[str, Any],
    event_id: str | None,
    *,
    text: str,
    thread: str | None,
    reply_to_ref: str | None = None,
    addressed: bool = True,
) -> Incoming:
    return Incoming(
        Identity(Channel.SLACK, str(event["user"]), str(event["channel"]), thread),
        text=text,
        event_id=f"slack:{event_id}" if event_id else None,
        received_at=_ts_time(event.get("ts")),
        reply_to_ref=reply_to_ref,
        addressed=addressed,
        raw=event,
    )


def _command(body: Mapping[str, Any]) -> Incoming | None:
    """``/ced label Foo`` is the command ``/label Foo``; a bare ``/ced`` asks for help."""
    if body.get("command") != COMMAND:
        return None
    words = str(body.get("text") or "").strip().lstrip("/")
    return Incoming(
        Identity(Channel.SLACK, str(body["user_id"]), str(body["channel_id"])),
        text="/" + plain_text(words or "help"),
        display_name=body.get("user_name") or None,
        raw=body,
    )


def _action(body: Mapping[str, Any]) -> Incoming | None:
    actions = body.get("actions") or []
    value = actions[0].get("value") if actions else None
    if not value:
        return None  # a link button: Slack opened the link, nothing to do
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    user = body["user"]
    return Incoming(
        Identity(Channel.SLACK, str(user["id"]), str(channel), message.get("thread_ts")),
        action=str(value),
        display_name=user.get("name") or user.get("username") or None,
        message_ref=container.get("message_ts") or message.get("ts"),
        raw=body,
    )


def _ts_time(ts: object) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(str(ts)), UTC)
    except ValueError:
        return None


_SLACK_REF = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def plain_text(text: str) -> str:
    """Slack's message text as typed: ``<@U1>`` -> ``@U1``, links by their label, entities decoded."""

    def ref(m: re.Match[str]) -> str:
        target, label = m.group(1), m.group(2)
        if target[:1] in {"@", "#"}:
            return target[0] + (label or target[1:])
        if target.startswith("!"):
            return "@" + (label or target[1:].split("^")[0])
        return label or target

    text = _SLACK_REF.sub(ref, text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


def escape_mrkdwn(text: str) -> str:
    """The three characters Slack reads as control sequences; escaped, ``<!channel>`` pings no one."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(text: str) -> str:
    return markup.render(
        text,
        plain=escape_mrkdwn,
        # A '*' inside bold would end it early: a look-alike keeps the span whole.
        bold=lambda s: f"*{escape_mrkdwn(s).replace('*', '∗')}*",
        link=lambda label, url: f"<{escape_mrkdwn(url)}|{escape_mrkdwn(label).replace('|', '¦')}>",
    )


@dataclass(frozen=True, slots=True)
class Message:
    """One ``chat.postMessage`` body: fallback text (notifications) and Block Kit blocks."""

    text: str
    blocks: list[dict[str, Any]]


def render(reply: Reply) -> Message:
    """A reply as Block Kit: sections of mrkdwn, then one actions block per button row."""
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": part}}
        for part in _sections(to_mrkdwn(reply.text))
    ]
    for r, row in enumerate(reply.buttons):
        if row:
            elements = [_button(b, r, i) for i, b in enumerate(row)]
            blocks.append({"type": "actions", "block_id": f"row{r}", "elements": elements})
    fallback = escape_mrkdwn(markup.to_plain(reply.text))[:3000]
    return Message(fallback, blocks[:50])


def _button(button: Button, row: int, index: int) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": button.label[:75], "emoji": True},
        "action_id": f"cedbot-{row}-{index}",
    }
    if button.url:
        element["url"] = button.url
    else:
        element["value"] = button.action
    return element


def _sections(text: str) -> list[str]:
    """Lines packed into sections of at most SECTION_LIMIT characters."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        for piece in _cut(line):
            candidate = f"{current}\n{piece}" if current else piece
            if len(candidate) > SECTION_LIMIT:
                parts.append(current)
                candidate = piece
            current = candidate
    parts.append(current)
    return [p for p in parts if p.strip()] or ["\u200b"]


def _cut(line: str) -> list[str]:
    pieces: list[str] = []
    while len(line) > SECTION_LIMIT:
        cut = line.rfind(" ", 0, SECTION_LIMIT)
        cut = cut if cut > 0 else SECTION_LIMIT
        pieces.append(line[:cut])
        line = line[cut:].lstrip()
    return [*pieces, line]


# The wiring: slack-bolt ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Target:
    """Where the answers to one request go."""

    address: Address
    response_url: str | None = None
    """Answers to /ced and to buttons on its (ephemeral) messages go back privately here."""
    message_ts: str | None = None


def target_of(incoming: Incoming) -> Target:
    raw: Mapping[str, Any] = incoming.raw or {}
    ident = incoming.identity
    address = Address(Channel.SLACK, ident.chat_id, ident.thread_id)
    ephemeral = "command" in raw or bool((raw.get("container") or {}).get("is_ephemeral"))
    return Target(address, raw.get("response_url") if ephemeral else None, incoming.message_ref)


class SlackChannel:
    """Runs the Slack app: HTTP requests from the server's route, or Socket Mode."""

    def __init__(self, runtime: Runtime, settings: Settings) -> None:
        self.runtime, self.settings = runtime, settings
        self.client = AsyncWebClient(
            token=settings.slack_bot_token,
            base_url=settings.slack_api_url,
            retry_handlers=[
                AsyncConnectionErrorRetryHandler(max_retry_count=2),
                AsyncRateLimitErrorRetryHandler(max_retry_count=3),
            ],
        )
        self.app = AsyncApp(
            client=self.client,
            signing_secret=settings.slack_signing_secret or "",
            request_verification_enabled=bool(settings.slack_signing_secret),
            process_before_response=False,
        )
        self.app.event("message")(self._on_event)
        self.app.event("app_mention")(self._on_event)
        self.app.command(COMMAND)(self._on_event)
        self.app.action(re.compile(".*"))(self._on_event)
        self._tasks: set[asyncio.Task[None]] = set()
        self._socket: Any = None
        self.accepting = True

    async def start(self) -> None:
        if self.settings.slack_app_token:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            self._socket = AsyncSocketModeHandler(self.app, self.settings.slack_app_token)
            await self._socket.connect_async()
        log.info("slack: %s", "socket mode" if self._socket else "HTTP events at /slack/events")

    async def stop(self) -> None:
        """Stop taking events, let the ones being handled finish, close the connections."""
        self.accepting = False
        if self._socket is not None:
            await self._socket.close_async()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _on_event(self, body: dict[str, Any], ack: AsyncAck, context: AsyncBoltContext) -> None:
        # Slack wants an answer within 3 seconds: acknowledge now, work in the background.
        await ack()
        incoming = to_incoming(body, bot_user_id=context.bot_user_id or "")
        if incoming is not None:
            self._spawn(self._work(incoming))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _work(self, incoming: Incoming) -> None:
        replies = await self.runtime.handle(incoming)
        target = target_of(incoming)
        for reply in replies:
            try:
                await self.send(target, reply)
            except DeliveryError as exc:
                log.warning("slack reply to %s not delivered: %s", target.address.chat_id, exc)

    async def deliver(self, address: Address, reply: Reply) -> str | None:
        """The outbox sender; an ``edit`` reply updates the message whose ts is ``address.thread_id``."""
        if reply.edit and address.thread_id:
            card = Target(Address(Channel.SLACK, address.chat_id), None, address.thread_id)
            return await self.send(card, reply)
        return await self.send(Target(address), reply)

    async def send(self, target: Target, reply: Reply) -> str | None:
        """Post (or update) one reply and upload its files; returns the message ts."""
        message = render(reply)
        try:
            if target.response_url:
                await self._respond(target.response_url, message, replace=reply.edit)
                ts = None
            elif reply.edit and target.message_ts:
                ts = await self._update(target, message)
            else:
                ts = await self._post(target.address, message)
            for attachment in reply.attachments:
                await self.client.files_upload_v2(
                    channel=target.address.chat_id,
                    thread_ts=target.address.thread_id,
                    content=attachment.content,
                    filename=attachment.filename,
                    title=attachment.filename,
                )
        except SlackApiError as exc:
            raise _delivery_error(exc) from exc
        except (ClientError, TimeoutError) as exc:
            raise DeliveryError(f"network: {exc}") from exc
        return ts

    async def _post(self, address: Address, message: Message) -> str | None:
        response = await self.client.chat_postMessage(
            channel=address.chat_id,
            thread_ts=address.thread_id,
            text=message.text,
            blocks=message.blocks,
            unfurl_links=False,
        )
        return str(response["ts"]) if response.get("ts") else None

    async def _update(self, target: Target, message: Message) -> str | None:
        assert target.message_ts is not None
        await self.client.chat_update(
            channel=target.address.chat_id, ts=target.message_ts, text=message.text, blocks=message.blocks
        )
        return target.message_ts

    async def _respond(self, url: str, message: Message, *, replace: bool) -> None:
        hook = AsyncWebhookClient(url, retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=3)])
        response = await hook.send(
            text=message.text,
            blocks=message.blocks,
            response_type="ephemeral",
            replace_original=replace,
        )
        if response.status_code >= 400:
            raise DeliveryError(f"response_url answered {response.status_code}: {response.body}")


def _delivery_error(exc: SlackApiError) -> DeliveryError:
    status = exc.response.status_code
    error = str(exc.response.get("error", "")) if isinstance(exc.response.data, dict) else ""
    if status == 429:
        retry = exc.response.headers.get("Retry-After") or exc.response.headers.get("retry-after") or 1
        return DeliveryError(f"rate limited: {error}", retry_after=float(retry))
    return DeliveryError(f"slack: {error or status}", permanent=error in _PERMANENT)
