"""Slack: Events API, the /ced command and button presses to :class:`Incoming`; replies as Block Kit.

The pure functions :func:`to_incoming` and :func:`render` (in the ``_convert`` module) hold all the conversion; the
:class:`SlackChannel` only wires slack-bolt to the runtime and the outbox.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Coroutine, Mapping
from dataclasses import dataclass
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
from bot.outbox import DeliveryError
from bot.runtime import Runtime
from bot.settings import Settings
from bot.types import Address, Channel, Incoming, Reply

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
        try:
            incoming = to_incoming(body, bot_user_id=context.bot_user_id or "")
        except (KeyError, TypeError, ValueError, AttributeError) as exc:  # signed, yet not Slack's shape
            log.warning("ignored a Slack request without the fields it needs: %s %s", type(exc).__name__, exc)
            return
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
