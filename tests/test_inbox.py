"""The inbox on both databases: redeliveries dropped per bot, each person in order, failures kept."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.inbox import Arrival, InboxWorker
from bot.runtime import Runtime
from bot.settings import load_settings
from bot.types import Address, Channel, Identity, Incoming, Reply
from cedbot import main
from storage import inbox
from storage.db import is_postgres
from storage.models import InboxMessage


def _worker(runtime: Runtime, convert: Any = None) -> InboxWorker:
    async def to_incoming(row: InboxMessage) -> Incoming:
        user = row.person_key.partition(":")[2]
        return Incoming(Identity(Channel.TELEGRAM, user, user), text=row.payload["text"])

    def route(incoming: Incoming, reply: Reply) -> Address:
        return Address(Channel.TELEGRAM, incoming.identity.chat_id)

    return InboxWorker(runtime, Channel.TELEGRAM, convert or to_incoming, route)


async def _claim(runtime: Runtime, worker: str) -> list[InboxMessage]:
    async with runtime.sessions() as session, session.begin():
        return await inbox.claim(
            session,
            ["telegram"],
            worker,
            runtime.clock(),
            timedelta(seconds=10),
            10,
            postgres=is_postgres(runtime.engine),
        )


async def test_a_redelivered_update_is_stored_once_per_bot(runtime: Runtime) -> None:
    worker = _worker(runtime)
    update = Arrival("tg:1", "telegram:42", {"text": "/help"})
    assert await worker.put("telegram:7000001", [update]) == 1
    assert await worker.put("telegram:7000001", [update, Arrival("tg:2", "telegram:42", {"text": "/start"})]) == 1
    # A new bot token's update ids start again: the same id from another bot is a new update.
    assert await worker.put("telegram:8000002", [update]) == 1


async def test_one_person_is_handled_in_order_by_competing_workers(runtime: Runtime) -> None:
    worker = _worker(runtime)
    await worker.put("b", [Arrival(f"e{i}", f"telegram:{i % 2}", {"text": "/help"}) for i in range(4)])
    first = await _claim(runtime, "w1")
    assert [r.event_id for r in first] == ["e0", "e1"]  # one row per person
    assert await _claim(runtime, "w2") == []  # their next rows wait for these
    async with runtime.sessions() as session, session.begin():
        assert await inbox.finish(session, first[0].id, first[0].fence, runtime.clock())
    assert [r.event_id for r in await _claim(runtime, "w2")] == ["e2"]


async def test_every_update_is_answered_through_the_outbox_once(runtime: Runtime) -> None:
    worker = _worker(runtime)
    await worker.put("b", [Arrival(f"e{i}", f"telegram:{i}", {"text": "/help"}) for i in range(5)])
    await asyncio.gather(worker.run_once(), _worker(runtime).run_once())
    async with runtime.sessions() as session:
        assert await inbox.counts(session) == {"done": 5}
        from storage import outbox

        assert await outbox.due(session, "telegram", runtime.clock()) == 5


async def test_an_update_that_always_fails_is_kept_as_failed(runtime: Runtime, clock: Any) -> None:
    async def broken(row: InboxMessage) -> Incoming:
        raise ValueError("cannot read this update")

    worker = _worker(runtime, broken)
    await worker.put("b", [Arrival("e1", "telegram:1", {"text": "?"})])
    for _ in range(runtime.settings.outbox_max_attempts + 1):
        await worker.run_once()
        clock.advance(seconds=30)  # the lease of the failed attempt runs out
    async with runtime.sessions() as session:
        [row] = await inbox.listing(session, "failed")
    assert "gave up" in (row.last_error or "")


def test_inbox_list_and_retry_on_the_command_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    make_settings: Callable[..., Any],
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("CEDBOT_DATABASE_URL", url)

    async def _setup() -> None:
        runtime = Runtime(load_settings(database_url=url))
        await runtime.start(migrate=True, hooks=False)
        async with runtime.sessions() as session, session.begin():
            await inbox.put(
                session,
                [dict(bot="b", event_id="e1", channel="slack", person_key="slack:U1", payload={})],
                runtime.clock(),
            )
            await inbox.put(
                session,
                [dict(bot="b", event_id="e2", channel="slack", person_key="slack:U2", payload={})],
                runtime.clock(),
            )
        async with runtime.sessions() as session, session.begin():
            [row, _] = await inbox.claim(
                session, ["slack"], "w", runtime.clock(), timedelta(seconds=1), 5, postgres=False
            )
            await inbox.finish(session, row.id, row.fence, runtime.clock(), status="failed", error="broken payload")
        await runtime.close()

    asyncio.run(_setup())
    assert main(["inbox", "list", "--failed"]) == 0
    out = capsys.readouterr().out
    assert "failed" in out and "slack:U1" in out and "broken payload" in out and "slack:U2" not in out
    assert main(["inbox", "retry"]) == 0
    assert "Queued again: 1" in capsys.readouterr().out
    assert main(["inbox", "list", "--failed"]) == 0
    assert "No failed update" in capsys.readouterr().out
