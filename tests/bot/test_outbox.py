"""Messages to other people: written with the change, delivered once, retried on failure."""

from __future__ import annotations

import asyncio
import io
from typing import Any

from sqlalchemy import select

from bot.channels.console import ConsoleChannel
from bot.context import Notifier
from bot.outbox import DeliveryError, OutboxDelivery
from bot.runtime import Runtime
from bot.types import Address, Channel, Reply
from storage.models import OutboxMessage
from tests.chat import Chat


async def _rows(runtime: Runtime) -> list[OutboxMessage]:
    async with runtime.sessions() as session:
        return list((await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars())


async def test_rolled_back_change_sends_nothing(demo_runtime: Runtime) -> None:
    chat = Chat(demo_runtime, "anna")
    await chat.send("/tell bob fail")
    assert "something went wrong" in chat.text()
    assert await _rows(demo_runtime) == []
    await chat.send("/tell bob")
    assert [r.chat_id for r in await _rows(demo_runtime)] == ["bob"]


async def test_console_user_receives_what_another_sent(demo_runtime: Runtime) -> None:
    out = io.StringIO()
    bob = ConsoleChannel(demo_runtime, "bob", out=out)
    await Chat(demo_runtime, "anna").send("/tell bob")
    await Chat(demo_runtime, "anna").send("/tell carl")
    assert await bob.delivery.run_once() == 1
    assert "psst" in out.getvalue()
    assert await bob.delivery.run_once() == 0  # carl's message is not bob's
    rows = await _rows(demo_runtime)
    assert [(r.chat_id, r.status) for r in rows] == [("bob", "sent"), ("carl", "pending")]


async def test_failed_delivery_is_retried_with_backoff(runtime: Runtime, clock: Any) -> None:
    calls: list[str] = []

    async def flaky(address: Address, reply: Reply) -> str | None:
        calls.append(reply.text)
        if len(calls) == 1:
            raise DeliveryError("network down")
        return "m-1"

    async with runtime.sessions() as session, session.begin():
        Notifier(runtime, session, clock()).notify(Address(Channel.SLACK, "C1"), Reply("hello"))
    delivery = OutboxDelivery(runtime, Channel.SLACK, flaky)
    assert await delivery.run_once() == 0
    assert await delivery.run_once() == 0  # not due yet: backing off
    clock.advance(seconds=5)
    assert await delivery.run_once() == 1
    (row,) = await _rows(runtime)
    assert (row.status, row.attempts, row.sent_message_id, calls) == ("sent", 2, "m-1", ["hello", "hello"])


async def test_permanent_failure_and_retry_after(runtime: Runtime, clock: Any) -> None:
    async def blocked(address: Address, reply: Reply) -> str | None:
        if reply.text == "a":
            raise DeliveryError("bot was blocked", permanent=True)
        raise DeliveryError("flood", retry_after=30)

    async with runtime.sessions() as session, session.begin():
        n = Notifier(runtime, session, clock())
        n.notify(Address(Channel.TELEGRAM, "1"), Reply("a"))
        n.notify(Address(Channel.TELEGRAM, "2"), Reply("b"))
    await OutboxDelivery(runtime, Channel.TELEGRAM, blocked).run_once()
    a, b = await _rows(runtime)
    assert a.status == "failed" and "blocked" in (a.last_error or "")
    assert b.status == "pending" and (b.next_attempt_at - clock()).total_seconds() == 30


async def test_two_delivery_loops_never_send_a_row_twice(make_runtime: Any, clock: Any) -> None:
    first: Runtime = await make_runtime()
    second: Runtime = await make_runtime()
    async with first.sessions() as session, session.begin():
        n = Notifier(first, session, clock())
        for i in range(120):
            n.notify(Address(Channel.SLACK, f"C{i}"), Reply(str(i)))
    sent: list[str] = []

    async def record(address: Address, reply: Reply) -> str | None:
        sent.append(reply.text)
        await asyncio.sleep(0)
        return None

    async def drain(runtime: Runtime) -> None:
        delivery = OutboxDelivery(runtime, Channel.SLACK, record)
        while await delivery.run_once():
            pass

    await asyncio.gather(drain(first), drain(second), drain(first), drain(second))
    assert sorted(sent, key=int) == [str(i) for i in range(120)]
    assert {r.status for r in await _rows(first)} == {"sent"}


async def test_console_choices_keep_working_when_a_message_arrives(demo_runtime: Runtime) -> None:
    out = io.StringIO()
    anna = ConsoleChannel(demo_runtime, "anna", out=out)
    await Chat(demo_runtime, "bob").send("/tell anna")  # queued for anna's console
    await anna.say("/ask")  # the answer shows [1] Cancel; then bob's message is printed
    assert "[1] Cancel" in out.getvalue() and "psst" in out.getvalue()
    await anna.say("1")
    assert out.getvalue().rstrip().endswith("Stopped.")
