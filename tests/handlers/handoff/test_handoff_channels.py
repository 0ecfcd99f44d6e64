"""The hand-off end to end across channels: a Telegram manager and advisers in a Slack channel.

The real python-telegram-bot and slack-bolt code runs against the fake APIs on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bot.channels.slack import SlackChannel
from bot.channels.telegram import TelegramChannel
from bot.runtime import Runtime
from bot.server import build_app
from storage import handoff as db
from storage.models import OutboxMessage
from tests.fakes.slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack, action_body, event_body, signed_headers
from tests.fakes.telegram import TOKEN, FakeTelegram

ADVISERS_CHANNEL = "C0ADVISERS"


class TrackedTelegram(TelegramChannel):
    """Our Telegram channel, saying when it has finished with an update (answer sent)."""

    def __init__(self, runtime: Runtime, settings: Any) -> None:
        super().__init__(runtime, settings)
        self.handled: asyncio.Queue[int] = asyncio.Queue()

    async def _on_update(self, update: Any, context: Any) -> None:
        try:
            await super()._on_update(update, context)
        finally:
            self.handled.put_nowait(update.update_id)


class World:
    """A Telegram manager, Slack advisers, and the assistant between them."""

    def __init__(
        self,
        runtime: Runtime,
        telegram: TrackedTelegram,
        slack: SlackChannel,
        http: httpx.AsyncClient,
        fake_tg: FakeTelegram,
        fake_slack: FakeSlack,
    ) -> None:
        self.runtime, self.telegram, self.slack, self.http = runtime, telegram, slack, http
        self.fake_tg, self.fake_slack = fake_tg, fake_slack

    async def deliver(self) -> None:
        """Wait until both channels have handled and sent everything."""
        for _ in range(2):  # a message on one channel may queue one for the other
            await self.slack.settle()
            await self.telegram.settle()

    async def slack_post(self, body: bytes, *, form: bool = False) -> None:
        content_type = "application/x-www-form-urlencoded" if form else "application/json"
        response = await self.http.post(
            "/slack/events", content=body, headers=signed_headers(body, content_type=content_type)
        )
        assert response.status_code == 200
        await self.deliver()

    async def telegram_says(self, text: str) -> None:
        self.fake_tg.push_update(self.fake_tg.message_update(text, first_name="Mette"))
        await self._tg_settle(0)

    async def telegram_presses(self, data: str, message_id: int = 500) -> None:
        message = {"message_id": message_id, "date": 1, "chat": {"id": 42, "type": "private"}, "text": "card"}
        self.fake_tg.push_update(self.fake_tg.press_update(data, message))
        await self._tg_settle(0)

    async def _tg_settle(self, before: int, method: str | None = None) -> None:
        # The poller asks past an update only once it is stored; the fake forgets it then.
        async with asyncio.timeout(10):
            while self.fake_tg.updates:  # noqa: ASYNC110 - the fake offers no event for it
                await asyncio.sleep(0.01)
        await self.deliver()

    def telegram_keyboard(self) -> list[str]:
        for call in reversed(self.fake_tg.calls):
            markup = call.params.get("reply_markup")
            if call.method in {"sendMessage", "editMessageText"} and isinstance(markup, dict):
                return [b["callback_data"] for row in markup["inline_keyboard"] for b in row]
        return []

    def slack_thread_event(self, text: str, thread_ts: str, user: str) -> bytes:
        ts = f"{time.time():.6f}"
        event = {
            "type": "message",
            "channel_type": "channel",
            "channel": ADVISERS_CHANNEL,
            "user": user,
            "text": text,
            "ts": ts,
            "thread_ts": thread_ts,
            "event_ts": ts,
            "team": "T0CED",
        }
        return event_body(event)

    async def card_ts(self, number: int) -> str:
        async with self.runtime.sessions() as session:
            ts = await db.card_message_id(session, number, "slack", ADVISERS_CHANNEL)
        assert ts is not None
        return ts


@pytest.fixture
async def world(
    make_runtime: Callable[..., Any], fake_telegram: FakeTelegram, fake_slack: FakeSlack
) -> AsyncIterator[World]:
    runtime: Runtime = await make_runtime(
        telegram_token=TOKEN,
        telegram_api_url=fake_telegram.url,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake_slack.api_url,
        advisers="slack:U0ADA,slack:U0BO",
        adviser_channel=f"slack:{ADVISERS_CHANNEL}",
    )
    telegram = TrackedTelegram(runtime, runtime.settings)
    slack = SlackChannel(runtime, runtime.settings)
    await telegram.start(poll_timeout=1)
    await slack.start()
    transport = httpx.ASGITransport(app=build_app(runtime, telegram, slack))
    async with httpx.AsyncClient(transport=transport, base_url="http://cedbot") as http:
        yield World(runtime, telegram, slack, http, fake_telegram, fake_slack)
    await slack.stop()
    await telegram.stop()


async def test_telegram_manager_and_slack_adviser_work_a_ticket(world: World, fake_slack: FakeSlack) -> None:
    question = "Can you check whether our partner from Norway may join as a full member?"
    await world.telegram_says(question)
    assert "I don't have an answer to that" in world.fake_tg.texts()[-1]  # the FAQ declines
    assert "handoff:start" in world.telegram_keyboard()
    await world.telegram_presses("handoff:start")
    assert question in world.fake_tg.texts()[-1]  # the summary is pre-filled with the question
    assert "handoff:send:funding" in world.telegram_keyboard()
    await world.telegram_presses("handoff:send:funding")
    assert "Your request is <b>#1</b>" in world.fake_tg.texts()[-1]

    await world.deliver()
    [card] = fake_slack.posts()
    assert card.params["channel"] == ADVISERS_CHANNEL
    assert "Ticket #1" in json.dumps(card.params["blocks"]) and "partner from Norway" in json.dumps(card.params)
    assert "I don't have an answer to that" in json.dumps(card.params)  # the transcript came along
    assert "handoff:claim:1" in json.dumps(card.params["blocks"])
    card_ts = await world.card_ts(1)

    # Someone who is not an adviser presses Claim: refused, nothing changes.
    await world.slack_post(
        action_body("handoff:claim:1", message_ts=card_ts, channel=ADVISERS_CHANNEL, user="U0NOBODY"), form=True
    )
    assert "Only CED advisers" in fake_slack.texts()[-1]
    await world.slack_post(
        action_body("handoff:claim:1", message_ts=card_ts, channel=ADVISERS_CHANNEL, user="U0ADA"), form=True
    )
    [update] = await fake_slack.wait_for("chat.update")
    assert update.params["ts"] == card_ts and "claimed by" in json.dumps(update.params["blocks"])

    # Slack sends a typed @channel as <!channel>; it reaches the manager as plain text.
    await world.slack_post(
        world.slack_thread_event("Yes, if the costs are not funded twice. <!channel>", card_ts, "U0ADA")
    )
    await world.deliver()
    tg_texts = world.fake_tg.texts()
    assert any("has picked up your request #1" in t for t in tg_texts)
    relayed = tg_texts[-1]
    assert "(CED adviser):</b> Yes, if the costs are not funded twice. @channel" in relayed

    await world.telegram_says("Great, thanks! <b>we</b> will apply")
    await world.deliver()
    to_thread = fake_slack.posts()[-1]
    assert to_thread.params["thread_ts"] == card_ts
    relay_text = json.dumps(to_thread.params["blocks"])
    assert "Great, thanks!" in relay_text and "&lt;b&gt;we&lt;/b&gt;" in relay_text

    await world.slack_post(
        action_body("handoff:resolve:1", message_ts=card_ts, channel=ADVISERS_CHANNEL, user="U0ADA"), form=True
    )
    await world.deliver()
    assert "How helpful was it?" in world.fake_tg.texts()[-1]
    assert "handoff:rate:1:5" in world.telegram_keyboard()
    await world.telegram_presses("handoff:rate:1:5")
    async with world.runtime.sessions() as session:
        ticket = await session.get_one(db.Ticket, 1)
        assert (ticket.status, ticket.rating, ticket.adviser) == ("resolved", 5, "slack:U0ADA")
        failed = (await session.execute(select(OutboxMessage).where(OutboxMessage.status != "sent"))).scalars()
        assert list(failed) == []
