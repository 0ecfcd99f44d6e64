"""Slack end to end: the real slack-bolt app behind the server's route, against a fake Web API."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from bot.channels.slack import SlackChannel
from bot.router import Dispatcher
from bot.runtime import Runtime
from bot.server import build_app
from cedbot import routers as build_routers
from storage.models import MessageLog
from tests.channels_probe import probe
from tests.fakes.slack import (
    BOT_TOKEN,
    SIGNING_SECRET,
    FakeSlack,
    action_body,
    command_body,
    dm_event,
    event_body,
    mention_event,
    rate_limited,
    signed_headers,
)


class SlackUser:
    """Sends what Slack would send to the server, signed, and reads what the bot posted."""

    def __init__(self, client: httpx.AsyncClient, fake: FakeSlack, channel: SlackChannel) -> None:
        self.client, self.fake, self.channel = client, fake, channel

    async def post(self, body: bytes, *, form: bool = False, **header_args: Any) -> httpx.Response:
        content_type = "application/x-www-form-urlencoded" if form else "application/json"
        extra = header_args.pop("extra", {})
        headers = {**signed_headers(body, content_type=content_type, **header_args), **extra}
        return await self.client.post("/slack/events", content=body, headers=headers)

    async def settle(self) -> None:
        """Wait until the work acknowledged so far is done and its replies sent."""
        await self.channel.settle()


@pytest.fixture
async def slack(make_runtime: Callable[..., Any], fake_slack: FakeSlack) -> AsyncIterator[SlackUser]:
    runtime: Runtime = await make_runtime(
        slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET, slack_api_url=fake_slack.api_url
    )
    runtime.dispatcher = Dispatcher([probe, *build_routers()])
    channel = SlackChannel(runtime, runtime.settings)
    await channel.start()
    transport = httpx.ASGITransport(app=build_app(runtime, slack=channel))
    async with httpx.AsyncClient(transport=transport, base_url="http://cedbot") as client:
        yield SlackUser(client, fake_slack, channel)
        await channel.stop()


async def test_a_direct_message_is_answered(slack: SlackUser, fake_slack: FakeSlack) -> None:
    response = await slack.post(event_body(dm_event("/start")))
    assert response.status_code == 200
    [post] = await fake_slack.wait_for("chat.postMessage")
    assert post.params["channel"] == "D0MANAGER" and post.params.get("thread_ts") is None
    assert "*cedbot*" in fake_slack.texts()[0]


async def test_a_mention_is_answered_in_its_thread(slack: SlackUser, fake_slack: FakeSlack) -> None:
    event = mention_event("/echo hello")
    await slack.post(event_body(event))
    [post] = await fake_slack.wait_for("chat.postMessage")
    assert post.params["channel"] == "C0GENERAL" and post.params["thread_ts"] == event["ts"]
    assert fake_slack.texts() == ["You said: hello"]


async def test_ced_help_answers_privately(slack: SlackUser, fake_slack: FakeSlack) -> None:
    response = await slack.post(command_body("help", response_url=fake_slack.response_url()), form=True)
    assert response.status_code == 200
    [answer] = await fake_slack.wait_for("response_url")
    text = "\n".join(b["text"]["text"] for b in answer.params["blocks"] if "text" in b)
    assert "/start" in text and "/lang" in text and answer.params["response_type"] == "ephemeral"


async def test_a_button_updates_its_card(slack: SlackUser, fake_slack: FakeSlack) -> None:
    await slack.post(event_body(dm_event("/card")))
    [card] = await fake_slack.wait_for("chat.postMessage")
    assert [e["value"] for e in card.params["blocks"][-1]["elements"]] == ["probe:yes", "probe:no"]
    response = await slack.post(action_body("probe:yes", message_ts="1764237600.000900"), form=True)
    assert response.status_code == 200
    [update] = await fake_slack.wait_for("chat.update")
    assert update.params["ts"] == "1764237600.000900" and update.params["channel"] == "D0MANAGER"
    assert "*helpful*" in update.params["blocks"][0]["text"]["text"]


async def test_forged_or_stale_requests_are_refused_without_side_effects(
    slack: SlackUser, fake_slack: FakeSlack
) -> None:
    forged = await slack.post(event_body(dm_event("/start")), secret="not-the-secret")
    stale = await slack.post(event_body(dm_event("/start")), timestamp=int(time.time()) - 6 * 60)
    assert (forged.status_code, stale.status_code) == (401, 401)
    await slack.settle()
    assert fake_slack.posts() == []
    async with slack.channel.runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(MessageLog)) == 0


async def test_a_redelivered_event_is_answered_once(slack: SlackUser, fake_slack: FakeSlack) -> None:
    body = event_body(dm_event("/echo once"), event_id="Ev0RETRY01")
    for retry in range(3):
        extra = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        assert (await slack.post(body, extra=extra)).status_code == 200
    await fake_slack.wait_for("chat.postMessage")
    await slack.settle()
    assert fake_slack.texts() == ["You said: once"]


async def test_user_text_cannot_ping_the_channel(slack: SlackUser, fake_slack: FakeSlack) -> None:
    await slack.post(event_body(dm_event("/echo <!channel> &lt;!here&gt; <@U0BOSS> *x*")))
    [post] = await fake_slack.wait_for("chat.postMessage")
    mrkdwn = fake_slack.texts()[0]
    assert "<" not in mrkdwn and "<" not in post.params["text"]
    assert "&lt;!here&gt;" in mrkdwn


async def test_rate_limit_is_respected_and_the_reply_posted_once(slack: SlackUser, fake_slack: FakeSlack) -> None:
    status, body, headers = rate_limited()
    fake_slack.fail_next("chat.postMessage", status, body, headers)
    await slack.post(event_body(dm_event("/echo again")))
    await fake_slack.wait_for("chat.postMessage", count=2)
    await slack.settle()
    assert [c.failed for c in fake_slack.posts()] == [True, False]


async def test_files_are_uploaded(slack: SlackUser, fake_slack: FakeSlack) -> None:
    await slack.post(event_body(dm_event("/files")))
    completed = await fake_slack.wait_for("files.completeUploadExternal", count=2)
    uploads = fake_slack.called("upload")
    assert any(c.files["file"][1].startswith(b"BEGIN:VCALENDAR") for c in uploads)
    names = [json.dumps(c.params) for c in fake_slack.called("files.getUploadURLExternal")]
    assert any("chart.png" in n for n in names) and completed[0].params["channel_id"] == "D0MANAGER"
