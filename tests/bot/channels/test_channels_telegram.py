"""Telegram end to end: the real python-telegram-bot against a fake Bot API on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bot.channels.telegram import TelegramChannel
from bot.router import Dispatcher
from bot.runtime import Runtime
from bot.server import build_app
from cedbot import routers as build_routers
from storage.models import OutboxMessage
from tests.channels_probe import probe
from tests.fakes.telegram import BOT_ID, TOKEN, FakeTelegram, blocked, flood

SECRET = "s3cret-Token_1"


async def _channel(make_runtime: Callable[..., Any], fake: FakeTelegram, **settings: Any) -> TelegramChannel:
    runtime: Runtime = await make_runtime(telegram_token=TOKEN, telegram_api_url=fake.url, **settings)
    runtime.dispatcher = Dispatcher([probe, *build_routers()])
    channel = TelegramChannel(runtime, runtime.settings)
    await channel.start(poll_timeout=1)
    return channel


@pytest.fixture
async def polling(make_runtime: Callable[..., Any], fake_telegram: FakeTelegram) -> AsyncIterator[TelegramChannel]:
    channel = await _channel(make_runtime, fake_telegram)
    yield channel
    await channel.stop()


@pytest.fixture
async def webhook(make_runtime: Callable[..., Any], fake_telegram: FakeTelegram) -> AsyncIterator[TelegramChannel]:
    channel = await _channel(
        make_runtime,
        fake_telegram,
        telegram_webhook_url="https://bot.ced.example/telegram/webhook",
        telegram_webhook_secret=SECRET,
    )
    yield channel
    await channel.stop()


async def test_start_is_answered_over_polling(polling: TelegramChannel, fake_telegram: FakeTelegram) -> None:
    fake_telegram.push_update(fake_telegram.message_update("/start", first_name="Mette"))
    [call] = await fake_telegram.wait_for("sendMessage")
    assert "Hello Mette! I'm <b>cedbot</b>" in call.params["text"]
    assert call.params["parse_mode"] == "HTML" and call.params["chat_id"] == "42"


async def test_card_buttons_press_answered_and_card_edited(
    polling: TelegramChannel, fake_telegram: FakeTelegram
) -> None:
    fake_telegram.push_update(fake_telegram.message_update("/card"))
    [card] = await fake_telegram.wait_for("sendMessage")
    keyboard = card.params["reply_markup"]["inline_keyboard"]
    assert [b["callback_data"] for b in keyboard[0]] == ["probe:yes", "probe:no"]
    assert '<a href="https://clusterexcellencedenmark.dk">Read more</a>' in card.params["text"]

    sent = {"message_id": 900, "date": 1, "chat": {"id": 42, "type": "private"}, "text": "card"}
    fake_telegram.push_update(fake_telegram.press_update("probe:yes", sent))
    await fake_telegram.wait_for("answerCallbackQuery")
    [edit] = await fake_telegram.wait_for("editMessageText")
    assert edit.params["message_id"] == "900" and "<b>helpful</b>" in edit.params["text"]
    assert len(fake_telegram.sent()) == 1  # the card changed; no new message


async def test_html_looking_text_is_echoed_escaped(polling: TelegramChannel, fake_telegram: FakeTelegram) -> None:
    fake_telegram.push_update(fake_telegram.message_update('/echo <b>hi</b> & <a href="x">'))
    [call] = await fake_telegram.wait_for("sendMessage")
    assert call.params["text"] == 'You said: &lt;b&gt;hi&lt;/b&gt; &amp; &lt;a href="x"&gt;'


async def test_flood_control_is_waited_out_and_the_message_goes_out_once(
    polling: TelegramChannel, fake_telegram: FakeTelegram
) -> None:
    fake_telegram.fail_next("sendMessage", 429, flood(retry_after=1))
    fake_telegram.push_update(fake_telegram.message_update("/echo once"))
    calls = await fake_telegram.wait_for("sendMessage", count=2)
    await polling.settle()  # every stored update handled and its replies sent
    assert [c.failed for c in fake_telegram.called("sendMessage")] == [True, False]
    assert calls[1].params["text"] == "You said: once"


async def test_group_chatter_is_ignored_and_a_mention_answered(
    polling: TelegramChannel, fake_telegram: FakeTelegram
) -> None:
    group = {"chat_id": -1001, "chat_type": "supergroup"}
    fake_telegram.push_update(fake_telegram.message_update("anyone for lunch?", **group))
    fake_telegram.push_update(fake_telegram.message_update("/echo@ced_test_bot hej", **group))
    [call] = await fake_telegram.wait_for("sendMessage")
    await polling.settle()  # every stored update handled and its replies sent
    assert fake_telegram.texts() == ["You said: hej"] and call.params["chat_id"] == "-1001"


async def test_files_go_as_photo_and_document(polling: TelegramChannel, fake_telegram: FakeTelegram) -> None:
    fake_telegram.push_update(fake_telegram.message_update("/files"))
    [photo] = await fake_telegram.wait_for("sendPhoto")
    [doc] = await fake_telegram.wait_for("sendDocument")
    assert photo.files["photo"][0] == "chart.png" and doc.files["document"][0] == "course.ics"
    assert doc.files["document"][1].startswith(b"BEGIN:VCALENDAR")


async def test_long_answer_is_split_at_the_limit(polling: TelegramChannel, fake_telegram: FakeTelegram) -> None:
    fake_telegram.push_update(fake_telegram.message_update("/long"))
    await fake_telegram.wait_for("sendMessage", count=3)
    await polling.settle()  # every stored update handled and its replies sent
    texts = fake_telegram.texts()
    assert all(len(t) <= 4096 for t in texts) and "Line 199" in texts[-1]


async def test_outbox_sends_and_a_blocked_bot_is_not_fatal(
    polling: TelegramChannel, fake_telegram: FakeTelegram
) -> None:
    runtime = polling.runtime
    fake_telegram.push_update(fake_telegram.message_update("/tell 77 psst <i>"))
    await fake_telegram.wait_for("sendMessage", count=2)
    relay = next(c for c in fake_telegram.called("sendMessage") if c.params["chat_id"] == "77")
    assert relay.params["text"] == "psst &lt;i&gt;"

    fake_telegram.fail_next("sendMessage", 403, blocked())
    fake_telegram.push_update(fake_telegram.message_update("/tell 78 hi"))
    await fake_telegram.wait_for("sendMessage", count=4)
    await polling.settle()
    fake_telegram.push_update(fake_telegram.message_update("/echo still here"))  # the loop goes on
    await fake_telegram.wait_for("sendMessage", count=5)
    await polling.settle()
    async with runtime.sessions() as session:
        rows = (await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars().all()
    assert [r.status for r in rows[:2]] == ["sent", "sent"] and rows[1].sent_message_id is not None
    assert sorted(r.status for r in rows[2:4]) == ["failed", "sent"]
    assert any("blocked" in (r.last_error or "") for r in rows[2:4]) and rows[4].status == "sent"


async def test_webhook_takes_updates_with_the_secret_only(
    webhook: TelegramChannel, fake_telegram: FakeTelegram
) -> None:
    [hook] = fake_telegram.called("setWebhook")
    assert hook.params["secret_token"] == SECRET
    app = build_app(webhook.runtime, telegram=webhook)
    body = json.dumps(fake_telegram.message_update("/start"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cedbot") as client:
        headers = {"Content-Type": "application/json"}
        wrong = await client.post(
            "/telegram/webhook", content=body, headers={**headers, "X-Telegram-Bot-Api-Secret-Token": "nope"}
        )
        missing = await client.post("/telegram/webhook", content=body, headers=headers)
        assert (wrong.status_code, missing.status_code) == (403, 403)
        ok = await client.post(
            "/telegram/webhook", content=body, headers={**headers, "X-Telegram-Bot-Api-Secret-Token": SECRET}
        )
        assert ok.status_code == 200
    [call] = await fake_telegram.wait_for("sendMessage")
    assert "cedbot" in call.params["text"]
    assert not fake_telegram.called("getUpdates") and BOT_ID
