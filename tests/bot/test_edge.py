"""The HTTP edge of ``cedbot serve`` against hostile clients: the real server on a real socket."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from bot import edge
from bot.channels.slack import SlackChannel
from bot.channels.telegram import TelegramChannel
from bot.router import Dispatcher
from bot.runtime import Runtime
from bot.server import _Uvicorn, build_app
from cedbot import routers as build_routers
from tests.channels_probe import probe
from tests.fakes.slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack, command_body, signed_headers
from tests.fakes.telegram import TOKEN, FakeTelegram

SECRET = "edge-Secret_1"
ONE_DB = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
"""Tests of the socket alone store nothing: one database is enough."""


@dataclass
class Served:
    url: str
    host: str
    port: int
    server: _Uvicorn
    telegram: TelegramChannel
    slack: SlackChannel

    async def raw(self, data: bytes) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        if data:
            writer.write(data)
            await writer.drain()
        return reader, writer

    def open_connections(self) -> int:
        return len(self.server.server_state.connections)


@pytest.fixture
async def served(
    make_runtime: Callable[..., Any], fake_telegram: FakeTelegram, fake_slack: FakeSlack
) -> AsyncIterator[Callable[..., Any]]:
    """Start the app on uvicorn as ``cedbot serve`` configures it, on a free port."""
    started: list[Served] = []

    async def _start(**settings: Any) -> Served:
        runtime: Runtime = await make_runtime(
            telegram_token=TOKEN,
            telegram_api_url=fake_telegram.url,
            telegram_webhook_url="https://bot.ced.example/telegram/webhook",
            telegram_webhook_secret=SECRET,
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=fake_slack.api_url,
            port=0,
            **settings,
        )
        runtime.dispatcher = Dispatcher([probe, *build_routers()])
        telegram, slack = TelegramChannel(runtime, runtime.settings), SlackChannel(runtime, runtime.settings)
        await telegram.start()
        await slack.start()
        server = _Uvicorn(edge.uvicorn_config(build_app(runtime, telegram, slack), runtime.settings))
        task = asyncio.create_task(server.serve())
        while not server.started:
            assert not task.done()
            await asyncio.sleep(0.01)
        host, port = server.servers[0].sockets[0].getsockname()[:2]
        s = Served(f"http://{host}:{port}", host, port, server, telegram, slack)
        s.task = task  # type: ignore[attr-defined]
        started.append(s)
        return s

    yield _start
    for s in started:
        s.server.should_exit = True
        await s.task  # type: ignore[attr-defined]
        await s.telegram.stop()
        await s.slack.stop()


async def _status(reader: asyncio.StreamReader, within: float = 5) -> int:
    line = await asyncio.wait_for(reader.readline(), within)
    return int(line.split()[1])


async def _closed(reader: asyncio.StreamReader, within: float) -> bool:
    try:
        while await asyncio.wait_for(reader.read(65536), within):
            pass
    except TimeoutError:
        return False
    except ConnectionError:
        return True
    return True


def _post(path: str, length: int, **headers: str) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: cedbot", f"Content-Length: {length}"]
    lines += [f"{k.replace('_', '-')}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


@ONE_DB
async def test_a_wrong_telegram_secret_is_refused_before_the_body_is_read(served: Callable[..., Any]) -> None:
    s: Served = await served()
    head = _post("/telegram/webhook", 200_000_000, Content_Type="application/json")
    head = head.replace(b"\r\n\r\n", b"\r\nX-Telegram-Bot-Api-Secret-Token: wrong\r\n\r\n")
    reader, writer = await s.raw(head + b"{")
    try:
        assert await _status(reader) == 403  # no 200 MB awaited first
    finally:
        writer.close()


@ONE_DB
async def test_bodies_over_the_limit_are_refused_while_streaming(served: Callable[..., Any]) -> None:
    s: Served = await served()
    declared = []
    for path in ("/telegram/webhook", "/slack/events"):
        head = _post(path, 1_500_000, Content_Type="application/json", X_Telegram_Bot_Api_Secret_Token=SECRET)
        reader, writer = await s.raw(head)  # the body never comes: the length alone decides
        declared.append(await _status(reader))
        writer.close()

    head = _post("/telegram/webhook", 0, Content_Type="application/json", X_Telegram_Bot_Api_Secret_Token=SECRET)
    head = head.replace(b"Content-Length: 0", b"Transfer-Encoding: chunked")
    reader, writer = await s.raw(head)

    async def stream() -> None:
        with contextlib.suppress(ConnectionError):
            for _ in range(40):  # 40 x 64 KB, no Content-Length: counted as it arrives
                writer.write(b"10000\r\n" + b" " * 65536 + b"\r\n")
                await writer.drain()

    sender = asyncio.create_task(stream())
    streamed = await _status(reader)
    await sender
    writer.close()
    async with httpx.AsyncClient(base_url=s.url, trust_env=False) as client:
        health = await client.get("/healthz")
    assert (declared, streamed) == ([413, 413], 413)
    assert health.status_code == 200


MALFORMED = [
    ("/slack/events", b"{not json", "application/json"),
    ("/slack/events", b"[1, 2, 3]", "application/json"),
    ("/slack/events", b"payload=%7Bbroken", "application/x-www-form-urlencoded"),
    ("/slack/events", b"payload=%5B%5D", "application/x-www-form-urlencoded"),
    ("/slack/events", b"\xff\xfe=\xff", "application/x-www-form-urlencoded"),
    ("/telegram/webhook", b"[]", "application/json"),
    ("/telegram/webhook", b'"text"', "application/json"),
    ("/telegram/webhook", b"[" * 50_000 + b"]" * 50_000, "application/json"),
    ("/telegram/webhook", b'{"a":' * 100 + b"1" + b"}" * 100, "application/json"),
    ("/telegram/webhook", b'{"update_id": 1, "message": 5}', "application/json"),
]


@ONE_DB
async def test_malformed_bodies_get_400_and_one_log_line(
    served: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    s: Served = await served()
    async with httpx.AsyncClient(base_url=s.url, trust_env=False) as client:
        for path, body, content_type in MALFORMED:
            headers = {"Content-Type": content_type, "X-Telegram-Bot-Api-Secret-Token": SECRET}
            caplog.clear()
            with caplog.at_level(logging.INFO):
                response = await client.post(path, content=body, headers=headers)
                await asyncio.sleep(0.05)  # let a background task fail, if one was started
            assert response.status_code == 400, (path, body[:40])
            warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
            assert len(warnings) == 1 and warnings[0].exc_info is None, [r.getMessage() for r in warnings]


@ONE_DB
async def test_half_open_connections_are_cut_off_and_health_keeps_answering(
    served: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    s: Served = await served(http_timeout_seconds=0.5)
    silent = [await s.raw(b"") for _ in range(20)]
    partial = [await s.raw(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n") for _ in range(20)]
    slow_body = [await s.raw(_post("/slack/events", 1000, Content_Type="application/json") + b"{") for _ in range(5)]
    async with httpx.AsyncClient(base_url=s.url, trust_env=False) as client:
        assert (await client.get("/healthz")).status_code == 200
    for reader, _ in silent + partial:
        assert await _closed(reader, within=3)
    for reader, _ in slow_body:
        assert await _status(reader) == 408
    for _, writer in silent + partial + slow_body:
        writer.close()
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) <= 7


@ONE_DB
async def test_the_connection_cap_sheds_idle_connections_first(served: Callable[..., Any]) -> None:
    s: Served = await served(http_max_connections=10)
    idle = [await s.raw(b"") for _ in range(30)]
    await asyncio.sleep(0.1)
    async with httpx.AsyncClient(base_url=s.url, trust_env=False) as client:
        assert (await client.get("/healthz")).status_code == 200
    assert s.open_connections() <= 10
    closed = await asyncio.gather(*(_closed(reader, within=0.5) for reader, _ in idle))
    assert closed.count(True) >= 20
    for _, writer in idle:
        writer.close()


async def test_a_replayed_slash_command_or_button_acts_once(served: Callable[..., Any], fake_slack: FakeSlack) -> None:
    s: Served = await served()
    command = command_body("echo once", response_url=fake_slack.response_url())
    headers = signed_headers(command, content_type="application/x-www-form-urlencoded")
    payload = {
        "type": "block_actions",
        "user": {"id": "U0MANAGER", "name": "mette"},
        "container": {"type": "message", "message_ts": "1764237600.000900", "channel_id": "D0MANAGER"},
        "channel": {"id": "D0MANAGER"},
        "trigger_id": "1.2.def",
        "actions": [{"action_id": "a", "value": "probe:yes", "type": "button"}],
    }
    button = urlencode({"payload": json.dumps(payload)}).encode()
    button_headers = signed_headers(button, content_type="application/x-www-form-urlencoded")
    async with httpx.AsyncClient(base_url=s.url, trust_env=False) as client:
        for _ in range(3):
            assert (await client.post("/slack/events", content=command, headers=headers)).status_code == 200
            assert (await client.post("/slack/events", content=button, headers=button_headers)).status_code == 200
    await fake_slack.wait_for("response_url")
    await fake_slack.wait_for("chat.update")
    for _ in range(50):
        if not s.slack._tasks:
            break
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.2)
    assert len(fake_slack.called("response_url")) == 1
    assert len(fake_slack.called("chat.update")) == 1
