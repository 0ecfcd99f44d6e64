"""Generated input against the chat, the button parser and the webhook endpoints.

Whatever arrives: no traceback in the log, no generic "something went wrong", no 500, and the
rows of a bystander (a person with a booking, a meeting and a ticket) stay exactly as they were.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.channels.slack import SlackChannel
from bot.channels.telegram import TelegramChannel
from bot.payload import PayloadError
from bot.router import Dispatcher
from bot.runtime import Runtime
from bot.server import build_app
from bot.types import Channel, Identity, Incoming
from cedbot import routers as build_routers
from storage.repos import person_tables
from tests.chat import Chat
from tests.fakes.slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack
from tests.fakes.telegram import TOKEN, FakeTelegram

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
ONE_DB = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
"""The generated input is the point here; the rows it could touch are checked on SQLite."""
SECRET = "fuzz-Secret_1"

ODD = st.sampled_from(
    [
        "²",
        "١٢",
        "0",
        "-1",
        "2147483648",
        "4294967296",
        "99999999999999999999",
        "9999-12-31",
        "23:59",
        "480",
        "\x00",
        "\ud800",
        "\u202e",
        "x" * 300,
        "",
        " ",
        "#1",
        "1",
        "2",
        "<!channel>",
        "**",
        "[a](javascript:x)",
    ]
)
WORD = st.one_of(ODD, st.text(max_size=12))


def messages(commands: list[str]) -> st.SearchStrategy[str]:
    command = st.builds(
        lambda name, args: f"/{name} {' '.join(args)}".strip(), st.sampled_from(commands), st.lists(WORD, max_size=4)
    )
    return st.one_of(command, st.text(max_size=200), st.lists(WORD, min_size=1, max_size=6).map(" ".join))


def actions(keys: list[tuple[str, str]]) -> st.SearchStrategy[str]:
    real = st.builds(lambda key, parts: ":".join([*key, *parts]), st.sampled_from(keys), st.lists(WORD, max_size=4))
    return st.one_of(real, st.text(max_size=70))


async def bystander(rt: Runtime) -> dict[str, list[Any]]:
    """Every row that belongs to the bystander, by table."""
    async with rt.sessions() as session:
        person = (await session.execute(select(rt_person_id(rt)))).scalar_one()
        rows: dict[str, list[Any]] = {}
        for table in person_tables():
            if table.name in {"message_log", "channel_identities", "flow_states", "outbox"}:
                continue  # the bystander is told things (a cancelled meeting): only their records count
            found = await session.execute(select(table).where(table.c.person_id == person).order_by(*table.primary_key))
            rows[table.name] = [tuple(r) for r in found.all()]
        return rows


def rt_person_id(rt: Runtime) -> Any:
    from storage.models import ChannelIdentity

    return select(ChannelIdentity.person_id).where(ChannelIdentity.user_id == "bystander").scalar_subquery()


async def with_bystander(rt: Runtime) -> dict[str, list[Any]]:
    """The bystander books a seat and a meeting and opens a ticket; their rows, as stored."""
    bea = Chat(rt, "bystander")
    await bea.send("/courses")
    await bea.press("Introduction to cluster management")
    await bea.press("Book a seat")
    for answer in ("Bea Bystander", "Bystander Cluster", "bea@bystander.example"):
        await bea.send(answer)
    await bea.press("Confirm")
    await bea.send("/advice")
    await bea.press("Internationalisation")
    await bea.send("We want partners in Germany for a hydrogen project.")
    await bea.press("Tue 12 Jan, 10:00")
    await bea.press("Confirm")
    await bea.send("Can we combine two grants for one pilot?")
    await bea.send("/adviser")
    await bea.press("Funding")
    assert "#1" in bea.text()
    return await bystander(rt)


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


ROUTES = Dispatcher(build_routers())
COMMANDS = sorted(ROUTES.commands)
KEYS = sorted(ROUTES.buttons)
PEOPLE = [Identity(Channel.CONSOLE, "fuzz", "fuzz"), Identity(Channel.TELEGRAM, "4711", "4711")]


@pytest.fixture
async def office(make_runtime: Callable[..., Any]) -> tuple[Runtime, dict[str, list[Any]]]:
    """An adviser (who is also a fuzzer), and a bystander with a seat, a meeting and a ticket."""
    rt: Runtime = await make_runtime(advisers="console:ada,console:fuzz", adviser_channel="console:ada")
    return rt, await with_bystander(rt)


@FUZZ
@given(steps=st.lists(st.tuples(st.sampled_from(PEOPLE), st.one_of(messages(COMMANDS), actions(KEYS))), max_size=8))
async def test_the_chat_takes_any_message_or_button(
    office: tuple[Runtime, dict[str, list[Any]]], caplog: Any, steps: list[tuple[Identity, str]]
) -> None:
    rt, before = office
    caplog.set_level(logging.WARNING)
    caplog.clear()
    for who, text in steps:
        is_action = ":" in text and not text.startswith("/") and " " not in text
        incoming = Incoming(who, action=text) if is_action else Incoming(who, text=text, display_name=text[:300])
        for reply in await rt.handle(incoming):
            assert "went wrong" not in reply.text and "gik noget galt" not in reply.text, text
    assert tracebacks(caplog) == []
    assert await bystander(rt) == before


@ONE_DB
async def test_button_payloads_parse_or_refuse(make_runtime: Callable[..., Any]) -> None:
    rt: Runtime = await make_runtime()
    kinds = [kind for kind, _ in rt.dispatcher.buttons.values()]

    @FUZZ
    @given(st.sampled_from(kinds), st.one_of(actions(sorted(rt.dispatcher.buttons)), st.text(max_size=80)))
    def parse(kind: Any, action: str) -> None:
        try:
            payload = kind.unpack(action)
        except PayloadError:
            return
        assert type(payload).unpack(payload.pack()) == payload

    parse()


@pytest.fixture
async def endpoints(
    make_runtime: Callable[..., Any], fake_telegram: FakeTelegram, fake_slack: FakeSlack
) -> AsyncIterator[tuple[httpx.AsyncClient, Runtime, SlackChannel, TelegramChannel]]:
    rt: Runtime = await make_runtime(
        telegram_token=TOKEN,
        telegram_api_url=fake_telegram.url,
        telegram_webhook_url="https://bot.ced.example/telegram/webhook",
        telegram_webhook_secret=SECRET,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake_slack.api_url,
        advisers="slack:UADA",
        adviser_channel="slack:C0ADVISERS",
    )
    telegram, slack = TelegramChannel(rt, rt.settings), SlackChannel(rt, rt.settings)
    await telegram.start()
    await slack.start()
    transport = httpx.ASGITransport(app=build_app(rt, telegram, slack))
    async with httpx.AsyncClient(transport=transport, base_url="http://cedbot") as client:
        yield client, rt, slack, telegram
    await slack.stop()
    await telegram.stop()


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
ID = st.one_of(st.integers(-(2**70), 2**70), st.text(max_size=12), st.none())
USER = st.fixed_dictionaries(
    {"id": ID, "is_bot": st.booleans(), "first_name": st.one_of(ODD, st.text(max_size=50))},
    optional={"username": st.text(max_size=40), "last_name": st.text(max_size=300)},
)
TG_MESSAGE = st.fixed_dictionaries(
    {
        "message_id": ID,
        "date": st.integers(0, 2**33),
        "chat": st.fixed_dictionaries({"id": ID, "type": st.sampled_from(["private", "group", "x"])}),
        "from": USER,
        "text": st.one_of(ODD, st.text(max_size=100)),
    },
    optional={"entities": JSON, "reply_to_message": JSON},
)
TG_UPDATE = st.one_of(
    st.fixed_dictionaries({"update_id": ID, "message": TG_MESSAGE}),
    st.fixed_dictionaries(
        {"update_id": ID, "callback_query": st.fixed_dictionaries({"id": ID, "from": USER, "data": WORD})}
    ),
    st.dictionaries(st.text(max_size=10), JSON, max_size=4),
)
SLACK_EVENT = st.fixed_dictionaries(
    {
        "type": st.just("event_callback"),
        "event_id": st.text(max_size=20),
        "event": st.fixed_dictionaries(
            {"type": st.sampled_from(["message", "app_mention", "x"]), "user": ID, "channel": ID, "text": WORD},
            optional={"ts": st.text(max_size=20), "thread_ts": JSON, "channel_type": st.text(max_size=5)},
        ),
    }
)
SLACK_FORM = st.one_of(
    st.dictionaries(st.sampled_from(["command", "text", "user_id", "channel_id", "user_name"]), WORD).map(
        lambda d: urlencode({"command": "/ced", **d}, errors="surrogatepass").encode()
    ),
    JSON.map(lambda p: urlencode({"payload": json.dumps(p)}).encode()),
    st.fixed_dictionaries(
        {
            "type": st.just("block_actions"),
            "user": USER,
            "actions": st.lists(st.fixed_dictionaries({"value": WORD}), max_size=2),
        },
        optional={"channel": JSON, "container": JSON, "message": JSON},
    ).map(lambda p: urlencode({"payload": json.dumps(p)}).encode()),
)


@pytest.fixture
async def posted_to(
    endpoints: tuple[httpx.AsyncClient, Runtime, SlackChannel, TelegramChannel],
) -> tuple[httpx.AsyncClient, Runtime, SlackChannel, TelegramChannel, dict[str, list[Any]]]:
    client, rt, slack, telegram = endpoints
    return client, rt, slack, telegram, await with_bystander(rt)


BODIES = st.one_of(
    TG_UPDATE.map(lambda u: ("tg", json.dumps(u).encode())),
    SLACK_EVENT.map(lambda e: ("slack-json", json.dumps(e).encode())),
    SLACK_FORM.map(lambda b: ("slack-form", b)),
    st.binary(max_size=300).map(lambda b: (st_kind(b), b)),
)


@ONE_DB
@FUZZ
@given(case=BODIES)
async def test_webhooks_answer_any_body_without_a_500(
    posted_to: tuple[httpx.AsyncClient, Runtime, SlackChannel, TelegramChannel, dict[str, list[Any]]],
    caplog: Any,
    case: tuple[str, bytes],
) -> None:
    client, rt, slack, telegram, before = posted_to
    caplog.set_level(logging.WARNING)
    caplog.clear()
    kind, body = case
    if kind == "tg":
        headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
        response = await client.post("/telegram/webhook", content=body, headers=headers)
    else:
        content_type = "application/json" if kind == "slack-json" else "application/x-www-form-urlencoded"
        response = await client.post("/slack/events", content=body, headers=signed(body, content_type))
    assert response.status_code < 500, (kind, body[:200])
    for _ in range(300):  # what was acknowledged is handled in the background
        if not slack._tasks and telegram.app.update_queue.empty():
            break
        await asyncio.sleep(0.01)
    assert tracebacks(caplog) == [], (kind, body[:200])
    assert await bystander(rt) == before


def signed(body: bytes, content_type: str) -> dict[str, str]:
    """Slack's signature over any bytes (the SDK's helper wants UTF-8)."""
    ts = str(int(time.time()))
    digest = hmac.new(SIGNING_SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}", "Content-Type": content_type}


def st_kind(body: bytes) -> str:
    return ["tg", "slack-json", "slack-form"][len(body) % 3]
