"""Slack: Events API, the /ced command and button presses to :class:`Incoming`; replies as Block Kit.

The pure functions :func:`to_incoming` and :func:`render` (in the ``_convert`` module) hold all the conversion; the
:class:`SlackChannel` only wires slack-bolt to the runtime and the outbox.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
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

from bot.channels.slack_convert import (
    COMMAND,
    Message,
    render,
    to_incoming,
)
from bot.inbox import Arrival, InboxWorker, one_off_id, settle
from bot.outbox import DeliveryError, OutboxDelivery
from bot.runtime import Runtime
from bot.settings import Settings
from bot.types import Address, Channel, Incoming, Reply
from storage.models import InboxMessage

__all__ = ["SlackChannel", "render", "to_incoming"]

log = logging.getLogger("cedbot.slack")

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
    """Runs the Slack app: HTTP requests from the server's route, or Socket Mode.

    Each event is stored in the inbox before Slack gets its acknowledgement (well within its
    3 seconds); the inbox worker handles it and the outbox delivery sends every reply.
    """

    def __init__(self, runtime: Runtime, settings: Settings) -> None:
        self.runtime, self.settings = runtime, settings
        self.client = AsyncWebClient(
            token=settings.slack_bot_token,
            base_url=settings.slack_api_url,
            timeout=15,
            retry_handlers=[
                AsyncConnectionErrorRetryHandler(max_retry_count=2),
                AsyncRateLimitErrorRetryHandler(max_retry_count=3),
            ],
        )
        self.app = AsyncApp(
            client=self.client,
            signing_secret=settings.slack_signing_secret or "",
            request_verification_enabled=bool(settings.slack_signing_secret),
            # The listener stores the event and acknowledges: Slack's 200 comes after the commit.
            process_before_response=True,
        )
        self.app.event("message")(self._on_event)
        self.app.event("app_mention")(self._on_event)
        self.app.command(COMMAND)(self._on_event)
        self.app.action(re.compile(".*"))(self._on_event)
        self.inbox = InboxWorker(runtime, Channel.SLACK, self._convert, reply_address)
        self.delivery = OutboxDelivery(runtime, Channel.SLACK, self.deliver)
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._socket: Any = None
        self._bot_user_id = ""
        self.accepting = True

    async def start(self) -> None:
        if self.settings.slack_app_token:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            self._socket = AsyncSocketModeHandler(self.app, self.settings.slack_app_token)
            await self._socket.connect_async()
        self._tasks = [
            asyncio.create_task(self.inbox.run_forever(self._stop)),
            asyncio.create_task(self.delivery.run_forever(self._stop)),
        ]
        log.info("slack: %s", "socket mode" if self._socket else "HTTP events at /slack/events")

    async def stop_taking(self) -> None:
        self.accepting = False
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None

    async def stop(self) -> None:
        """Stop taking events, finish the ones being handled and their replies, close."""
        await self.stop_taking()
        self._stop.set()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def settle(self, within: float = 10.0) -> None:
        """Wait until every stored event is handled and its replies sent (for tests and tools)."""
        await settle(self.runtime, self.inbox, self.delivery, within)

    async def _on_event(self, body: dict[str, Any], ack: AsyncAck, context: AsyncBoltContext) -> None:
        bot_user_id = context.bot_user_id or ""
        self._bot_user_id = self._bot_user_id or bot_user_id
        try:
            incoming = to_incoming(body, bot_user_id=bot_user_id)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:  # signed, yet not Slack's shape
            log.warning("ignored a Slack request without the fields it needs: %s %s", type(exc).__name__, exc)
            await ack()
            return
        if incoming is not None:
            # Raises when the database is away: bolt answers 500 and Slack sends the event again.
            event_id = incoming.event_id or one_off_id("slack")  # commands and buttons are never resent
            await self.inbox.put(f"slack:{bot_user_id}", [Arrival(event_id, incoming.identity.key, body)])
        await ack()

    async def _convert(self, row: InboxMessage) -> Incoming | None:
        bot_user_id = row.bot.partition(":")[2]
        return to_incoming(row.payload, bot_user_id=bot_user_id)

    async def deliver(self, address: Address, reply: Reply) -> str | None:
        """The outbox sender; an ``edit`` reply updates the message whose ts is ``address.thread_id``."""
        if address.response_url:
            plain = Address(Channel.SLACK, address.chat_id, address.thread_id)
            return await self.send(Target(plain, address.response_url), reply)
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
        hook = AsyncWebhookClient(url, timeout=15, retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=3)])
        response = await hook.send(
            text=message.text,
            blocks=message.blocks,
            response_type="ephemeral",
            replace_original=replace,
        )
        if response.status_code >= 400:
            raise DeliveryError(f"response_url answered {response.status_code}: {response.body}")


def reply_address(incoming: Incoming, reply: Reply) -> Address:
    """Answers to /ced (and its private messages) go back through the response URL; an ``edit``
    updates the card whose button was pressed; the rest goes to the chat (or its thread)."""
    target = target_of(incoming)
    if target.response_url:
        return replace(target.address, response_url=target.response_url)
    if reply.edit and target.message_ts:
        return Address(Channel.SLACK, target.address.chat_id, target.message_ts)
    return target.address


def _delivery_error(exc: SlackApiError) -> DeliveryError:
    status = exc.response.status_code
    error = str(exc.response.get("error", "")) if isinstance(exc.response.data, dict) else ""
    if status == 429:
        retry = exc.response.headers.get("Retry-After") or exc.response.headers.get("retry-after") or 1
        return DeliveryError(f"rate limited: {error}", retry_after=float(retry))
    return DeliveryError(f"slack: {error or status}", permanent=error in _PERMANENT)
