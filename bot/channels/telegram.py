"""Telegram: Bot API updates to :class:`Incoming`, replies to HTML messages, inline keyboards.

The pure functions :func:`to_incoming` and :func:`render` (in the ``_convert`` module) hold all the conversion; the
:class:`TelegramChannel` only wires python-telegram-bot to the runtime and the outbox.
"""

from __future__ import annotations

import os

# Opt in to the Bot API library's coming behaviour (durations as timedelta) so that a 429
# does not raise a deprecation warning on every flood-control error.
os.environ.setdefault("PTB_TIMEDELTA", "1")

import asyncio
import hmac
import json
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial
from typing import Any, TypeVar, cast

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, Application
from telegram.request import HTTPXRequest

from bot.channels.telegram_convert import (
    Outgoing,
    render,
    to_incoming,
)
from bot.inbox import Arrival, InboxWorker, settle
from bot.outbox import DeliveryError, OutboxDelivery
from bot.runtime import Runtime
from bot.settings import Settings
from bot.types import Address, AttachmentKind, Channel, Incoming, Reply
from storage.models import InboxMessage

__all__ = ["TelegramChannel", "render", "to_incoming"]

log = logging.getLogger("cedbot.telegram")
T = TypeVar("T")

ALLOWED_UPDATES = ["message", "callback_query"]

# The wiring: python-telegram-bot -------------------------------------------------------------


class TelegramChannel:
    """Runs the bot: its own long polling, or updates from the webhook route of the server.

    Updates go into the inbox before Telegram is told they arrived; the inbox worker handles
    them and the outbox delivery sends every reply.
    """

    def __init__(self, runtime: Runtime, settings: Settings) -> None:
        assert settings.telegram_token is not None
        self.runtime, self.settings = runtime, settings
        api = settings.telegram_api_url.rstrip("/")
        builder = (
            Application.builder()
            .token(settings.telegram_token)
            .base_url(f"{api}/bot")
            .base_file_url(f"{api}/file/bot")
            # Flood control: a 429 is waited out and the same call retried, so it goes out once.
            .rate_limiter(AIORateLimiter(max_retries=3))
            .request(
                # Bot API calls that hang give up well inside the outbox lease's renewal.
                HTTPXRequest(
                    connection_pool_size=16,
                    connect_timeout=5.0,
                    read_timeout=15.0,
                    write_timeout=15.0,
                    pool_timeout=5.0,
                )
            )
            .get_updates_request(HTTPXRequest(read_timeout=40, connect_timeout=5.0))
            # Updates reach the inbox through our own polling loop or the webhook route:
            # the library's updater confirms a batch before it is stored.
            .updater(None)
        )
        self.app: Application[Any, Any, Any, Any, Any, Any] = builder.build()
        self.inbox = InboxWorker(runtime, Channel.TELEGRAM, self._convert, reply_address)
        self.delivery = OutboxDelivery(runtime, Channel.TELEGRAM, self.deliver)
        self._stop = asyncio.Event()
        self._accepting = False
        self._tasks: list[asyncio.Task[None]] = []
        self._poll_timeout = 30
        self._answering: set[asyncio.Task[None]] = set()

    @property
    def bot(self) -> Bot:
        return cast(Bot, self.app.bot)

    @property
    def bot_key(self) -> str:
        return f"telegram:{self.bot.id}"

    @property
    def webhook(self) -> bool:
        return bool(self.settings.telegram_webhook_url)

    async def start(self, poll_timeout: int = 30) -> None:
        await self.app.initialize()
        self._poll_timeout = poll_timeout
        if self.webhook:
            await self.bot.set_webhook(
                str(self.settings.telegram_webhook_url),
                secret_token=self.settings.telegram_webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        else:
            await self.bot.delete_webhook()
        self._accepting = True
        self._tasks = [
            asyncio.create_task(self.inbox.run_forever(self._stop)),
            asyncio.create_task(self.delivery.run_forever(self._stop)),
        ]
        if not self.webhook:
            self._poller = asyncio.create_task(self._poll())
        log.info("telegram: @%s on %s", self.bot.username, "webhook" if self.webhook else "polling")

    async def stop_taking(self) -> None:
        """No new updates: polling ends, the webhook answers 503 (Telegram sends them again later)."""
        self._accepting = False
        poller = getattr(self, "_poller", None)
        if poller is not None:
            poller.cancel()
            await asyncio.gather(poller, return_exceptions=True)

    async def stop(self) -> None:
        """Stop taking updates, finish the ones being handled and their replies, close."""
        await self.stop_taking()
        self._stop.set()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.app.shutdown()

    async def settle(self, within: float = 10.0) -> None:
        """Wait until every stored update is handled and its replies sent (for tests and tools)."""
        await settle(self.runtime, self.inbox, self.delivery, within)

    # Taking updates in --------------------------------------------------------------------------

    def _update(self, payload: dict[str, Any], *, strict: bool = False) -> Arrival | None:
        try:
            incoming = to_incoming(payload, bot_username=self.bot.username, bot_id=self.bot.id)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:  # from the secret's holder, yet malformed
            if strict:  # the webhook answers 400 (and logs it)
                raise
            log.warning("ignored a Telegram update without the fields it needs: %s %s", type(exc).__name__, exc)
            return None
        if incoming is None or incoming.event_id is None:
            return None  # nothing for us (a bot's message, chatter in a group): nothing to store
        return Arrival(incoming.event_id, incoming.identity.key, payload)

    async def _poll(self) -> None:
        """Long polling that confirms a batch (by asking past it) only once it is stored."""
        offset: int | None = None
        failures = 0
        while self._accepting:
            try:
                updates = await self.bot.get_updates(
                    offset=offset, timeout=self._poll_timeout, allowed_updates=ALLOWED_UPDATES
                )
                if updates:
                    payloads = [u.to_dict() for u in updates]
                    await self.inbox.put(self.bot_key, [u for p in payloads if (u := self._update(p))])
                    offset = updates[-1].update_id + 1
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the network or the database: the same batch comes again
                failures += 1
                log.warning("telegram: polling paused (%s); the batch will be fetched again", exc)
                await asyncio.sleep(min(0.5 * 2**failures, 10.0))

    def secret_ok(self, secret: str | None) -> bool:
        """The webhook secret header is the one Telegram was given."""
        expected = self.settings.telegram_webhook_secret or ""
        return bool(expected) and hmac.compare_digest((secret or "").encode(), expected.encode())

    async def feed_webhook(self, body: bytes, secret: str | None) -> int:
        """Store one webhook request's update; returns the HTTP status to answer."""
        if not self.secret_ok(secret):
            return 403
        if not self._accepting:
            return 503  # shutting down: Telegram delivers it again later
        try:
            payload = json.loads(body)
            if not isinstance(payload, dict) or "update_id" not in payload:
                raise ValueError("not an update")
            Update.de_json(payload, self.bot)  # a shape the library cannot read is refused here
            update = self._update(payload, strict=True)
        except Exception as exc:  # any shape we cannot read is the sender's fault
            log.warning("refused a webhook update we cannot read: %s", type(exc).__name__)
            return 400
        if update is None:
            return 200
        try:
            await self.inbox.put(self.bot_key, [update])
        except Exception as exc:
            log.warning("telegram: update %s not stored (%s); Telegram will send it again", update.event_id, exc)
            return 503
        return 200

    async def _convert(self, row: InboxMessage) -> Incoming | None:
        query = row.payload.get("callback_query")
        if query is not None and query.get("id"):
            # Stops the button's spinner; a second answer after a crash is refused harmlessly.
            task = asyncio.create_task(_quietly(self.bot.answer_callback_query(query["id"])))
            self._answering.add(task)
            task.add_done_callback(self._answering.discard)
        try:
            return to_incoming(row.payload, bot_username=self.bot.username, bot_id=self.bot.id)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:  # from the secret's holder, yet malformed
            log.warning("ignored a Telegram update without the fields it needs: %s %s", type(exc).__name__, exc)
            return None

    # Sending ------------------------------------------------------------------------------------

    async def deliver(self, address: Address, reply: Reply) -> str | None:
        """The outbox sender; an ``edit`` reply edits the message ``address.thread_id``."""
        return await self.send(address, reply, edit_ref=address.thread_id if reply.edit else None)

    async def send(self, address: Address, reply: Reply, *, edit_ref: str | None = None) -> str | None:
        """Send (or edit) one reply; returns the id of the message carrying the buttons."""
        messages = render(reply)
        card: str | None = None
        for i, message in enumerate(messages):
            if i == 0 and edit_ref is not None and message.attachment is None:
                sent = await _retrying(partial(self._edit, address, edit_ref, message))
                if sent is not None:
                    card = edit_ref
                    continue
            reply_to = address.thread_id if edit_ref is None else None
            result = await _retrying(partial(self._send_one, address, message, reply_to))
            if message.attachment is None:
                card = str(result.message_id)
        return card

    async def _send_one(self, address: Address, message: Outgoing, reply_to: str | None) -> Message:
        bot = self.bot
        keyboard = _markup(message.keyboard)
        params = ReplyParameters(int(reply_to), allow_sending_without_reply=True) if reply_to else None
        if message.attachment is None:
            return await bot.send_message(
                address.chat_id,
                message.text,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard,
                reply_parameters=params,
                link_preview_options=None,
            )
        file = InputFile(message.attachment.content, filename=message.attachment.filename)
        if message.attachment.kind is AttachmentKind.IMAGE:
            return await bot.send_photo(address.chat_id, file, reply_parameters=params)
        return await bot.send_document(address.chat_id, file, reply_parameters=params)

    async def _edit(self, address: Address, ref: str, message: Outgoing) -> Message | bool | None:
        try:
            return await self.bot.edit_message_text(
                message.text,
                chat_id=address.chat_id,
                message_id=int(ref),
                parse_mode=ParseMode.HTML,
                reply_markup=_markup(message.keyboard),
            )
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return True  # the card already shows this
            log.info("telegram: could not edit message %s (%s); sending a new one", ref, exc)
            return None


def reply_address(incoming: Incoming, reply: Reply) -> Address:
    """A reply goes to the sender's chat; an ``edit`` replaces the card whose button was pressed."""
    ref = incoming.message_ref if reply.edit else None
    return Address(Channel.TELEGRAM, incoming.identity.chat_id, ref)


def _markup(keyboard: list[list[dict[str, str]]] | None) -> InlineKeyboardMarkup | None:
    if keyboard is None:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(**button) for button in row] for row in keyboard]  # type: ignore[arg-type]
    )


async def _quietly(call: Any) -> None:
    try:
        await call
    except TelegramError as exc:  # an old query cannot be answered any more; nothing is lost
        log.info("telegram: callback query not answered: %s", exc)


NETWORK_RETRIES = 3


async def _retrying(call: Callable[[], Awaitable[T]]) -> T:
    """Make a Bot API call; transient network errors are retried with backoff.

    Failures that retrying cannot fix become :class:`DeliveryError` for the outbox.
    """
    for attempt in range(NETWORK_RETRIES + 1):
        try:
            return await call()
        except Forbidden as exc:  # the person blocked the bot or left the chat
            raise DeliveryError(f"blocked: {exc}", permanent=True) from exc
        except RetryAfter as exc:  # the rate limiter already waited and retried
            raise DeliveryError(f"flood control: {exc}", retry_after=retry_seconds(exc)) from exc
        except BadRequest as exc:
            raise DeliveryError(str(exc), permanent="chat not found" in str(exc).lower()) from exc
        except NetworkError as exc:
            if attempt == NETWORK_RETRIES:
                raise DeliveryError(f"network: {exc}") from exc
            log.info("telegram: network error (%s); retrying", exc)
            await asyncio.sleep(0.5 * 2**attempt)
    raise AssertionError("unreachable")


def retry_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # the property warns about its int/timedelta transition
        warnings.simplefilter("ignore")
        value: Any = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
