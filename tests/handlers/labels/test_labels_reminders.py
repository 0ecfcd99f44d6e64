"""Reminders 90 and 30 days before a label expires: once each, in the person's language."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from sqlalchemy import select

from bot.context import Notifier
from bot.runtime import Runtime
from handlers.labels.reminders import send_reminders, weekly_summary
from storage.models import OutboxMessage
from tests.chat import Chat
from tests.labels_helpers import add_cluster


async def _outbox(runtime: Runtime) -> list[OutboxMessage]:
    async with runtime.sessions() as session:
        return list((await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars())


async def _run(runtime: Runtime, clock: Any) -> int:
    async with runtime.sessions() as session, session.begin():
        return await send_reminders(Notifier(runtime, session, clock()))


async def _follow(runtime: Runtime, user: str, cluster: str, lang: str = "en") -> None:
    chat = Chat(runtime, user)
    await chat.send(f"/lang {lang}")
    await chat.send(f"/mycluster {cluster}")
    await chat.send("yes")


async def test_reminders_at_90_and_30_days_once_each(runtime: Runtime, clock: Any) -> None:
    await add_cluster(runtime, "Alpha Cluster", "gold", date(2025, 3, 1), date(2027, 3, 1))  # 94 days left
    await _follow(runtime, "anna", "Alpha")
    await _follow(runtime, "bent", "Alpha", lang="da")
    assert await _run(runtime, clock) == 0  # more than 90 days left
    clock.advance(days=4)  # 90 days left
    assert await _run(runtime, clock) == 2
    assert await _run(runtime, clock) == 0  # a second run sends nothing again
    clock.advance(days=30)
    assert await _run(runtime, clock) == 0
    clock.advance(days=30)  # 30 days left
    assert await _run(runtime, clock) == 2
    clock.advance(days=1)
    assert await _run(runtime, clock) == 0
    texts = [(r.chat_id, r.payload["text"]) for r in await _outbox(runtime)]
    assert texts[0] == (
        "anna",
        "Reminder: the **Gold** label of **Alpha Cluster** expires on 1 March 2027, in 90 days. "
        "Renewing in time keeps it without a gap, and a CED adviser can help you plan it.",
    )
    assert (
        texts[1][0] == "bent" and "Guld**-mærket for **Alpha Cluster** udløber 1. marts 2027, om 90 dage" in texts[1][1]
    )
    assert "in 30 days" in texts[2][1] and "om 30 dage" in texts[3][1]
    assert (await _outbox(runtime))[0].payload["buttons"] == [
        [["Book an adviser meeting on labels", "advice:start:labels", None]]
    ]


async def test_two_workers_at_once_send_each_reminder_once(make_runtime: Any, clock: Any) -> None:
    first: Runtime = await make_runtime()
    second: Runtime = await make_runtime()
    for i in range(12):
        await add_cluster(first, f"Cluster {i}", "silver", date(2025, 1, 1), date(2026, 12, 20))  # 23 days
        await _follow(first, f"user{i}", f"Cluster {i}")
    results = await asyncio.gather(*(_run(rt, clock) for rt in (first, second, first, second)))
    assert sum(results) == 12
    rows = await _outbox(first)
    assert sorted(r.chat_id for r in rows) == sorted(f"user{i}" for i in range(12))


async def test_nothing_for_expired_unlinked_or_unlabelled_clusters(runtime: Runtime, clock: Any) -> None:
    await add_cluster(runtime, "Old Cluster", "gold", date(2024, 1, 1), date(2026, 11, 26))  # expired yesterday
    await add_cluster(runtime, "Nobody's Cluster", "bronze", date(2025, 1, 1), date(2026, 12, 10))  # unlinked
    await add_cluster(runtime, "Bare Cluster", "none", None, None)
    await _follow(runtime, "anna", "Old Cluster")
    await _follow(runtime, "carl", "Bare Cluster")
    assert await _run(runtime, clock) == 0
    assert await _outbox(runtime) == []


async def test_remind_me_button_subscribes_to_reminders(runtime: Runtime, clock: Any) -> None:
    await add_cluster(runtime, "Watched Cluster", "bronze", date(2025, 1, 1), date(2027, 2, 1))  # 66 days
    chat = Chat(runtime, "dora")
    await chat.send("/label Watched Cluster")
    await chat.press("Remind me")
    assert "in 66 days" in (await _reminder_texts(runtime, clock))[0]


async def _reminder_texts(runtime: Runtime, clock: Any) -> list[str]:
    await _run(runtime, clock)
    return [r.payload["text"] for r in await _outbox(runtime)]


async def test_a_renewed_label_is_reminded_again(runtime: Runtime, clock: Any) -> None:
    cluster_id = await add_cluster(runtime, "Renewing Cluster", "gold", date(2025, 1, 1), date(2026, 12, 1))
    await _follow(runtime, "erik", "Renewing")
    assert await _run(runtime, clock) == 1
    async with runtime.sessions() as session, session.begin():
        from storage.labels import Cluster

        cluster = await session.get_one(Cluster, cluster_id)
        cluster.valid_until = date(2027, 1, 15)  # renewed: a new expiry date, 49 days away
    assert await _run(runtime, clock) == 1


async def test_weekly_summary_goes_to_the_adviser_channel(make_runtime: Any, clock: Any) -> None:
    runtime: Runtime = await make_runtime(adviser_channel="console:advisers")
    await add_cluster(runtime, "Soon Cluster", "silver", date(2025, 1, 1), date(2027, 1, 10))
    await add_cluster(runtime, "Later Cluster", "gold", date(2026, 1, 1), date(2028, 1, 1))
    ran = await runtime.run_due_jobs()
    assert "label-expiry-summary" in ran
    (row,) = [r for r in await _outbox(runtime) if r.chat_id == "advisers"]
    assert "Soon Cluster: Silver, valid until 10 January 2027 (44 days left)" in row.payload["text"]
    assert "Later Cluster" not in row.payload["text"]
    clock.advance(days=1)
    assert "label-expiry-summary" not in await runtime.run_due_jobs()  # weekly
    clock.advance(days=6)
    assert "label-expiry-summary" in await runtime.run_due_jobs()


async def test_no_summary_without_an_adviser_channel(runtime: Runtime, clock: Any) -> None:
    async with runtime.sessions() as session, session.begin():
        await weekly_summary(Notifier(runtime, session, clock()))
    assert [r for r in await _outbox(runtime) if "expir" in r.payload["text"]] == []
