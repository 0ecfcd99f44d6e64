"""Storage on both databases: migrations, identities, jobs claimed once, log retention."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.runtime import Runtime
from storage import repos
from storage.db import downgrade, pending_migrations, upgrade
from storage.models import ChannelIdentity, MessageLog, Person
from tests.chat import Chat


async def test_migrations_apply_and_roll_back(runtime: Runtime) -> None:
    assert not await pending_migrations(runtime.engine)
    await downgrade(runtime.engine, "base")
    assert await pending_migrations(runtime.engine)
    await upgrade(runtime.engine)
    assert not await pending_migrations(runtime.engine)


async def test_one_person_many_identities(runtime: Runtime, clock: Any) -> None:
    async with runtime.sessions() as session, session.begin():
        person = await repos.person_for(session, "slack", "U1", "D1", clock(), "Anna")
        session.add(
            ChannelIdentity(person_id=person.id, channel="telegram", user_id="42", chat_id="42", last_seen_at=clock())
        )
    async with runtime.sessions() as session, session.begin():
        again = await repos.person_for(session, "telegram", "42", "42", clock())
        assert again.id == person.id and again.display_name == "Anna"
        assert {i.channel for i in await repos.identities_of(session, person.id)} == {"slack", "telegram"}


async def test_first_contact_from_many_messages_at_once_makes_one_person(runtime: Runtime) -> None:
    chats = [Chat(runtime, "newcomer") for _ in range(8)]
    await asyncio.gather(*(c.send("/help") for c in chats))
    async with runtime.sessions() as session:
        assert await repos.count_rows(session, Person) == 1


async def test_a_job_run_is_claimed_by_one_worker(make_runtime: Any, clock: Any) -> None:
    workers: list[Runtime] = [await make_runtime() for _ in range(3)]
    wins = 0

    async def claim(rt: Runtime) -> None:
        nonlocal wins
        async with rt.sessions() as session, session.begin():
            if await repos.claim_job(session, "demo", rt.worker_id, clock(), timedelta(hours=1)):
                wins += 1

    await asyncio.gather(*(claim(w) for w in workers for _ in range(3)))
    assert wins == 1
    clock.advance(hours=1)
    await asyncio.gather(*(claim(w) for w in workers))
    assert wins == 2


async def test_message_log_purge_keeps_the_retention_period(runtime: Runtime, clock: Any) -> None:
    chat = Chat(runtime, "anna")
    await chat.send("/help")
    clock.advance(days=181)
    await chat.send("/start")
    assert "purge-message-log" in await runtime.run_due_jobs()
    async with runtime.sessions() as session:
        texts = [m.text for m in (await session.execute(select(MessageLog))).scalars()]
    assert "/start" in texts and "/help" not in texts and len(texts) == 2


async def test_samples_load_on_sqlite_only_unless_asked(make_runtime: Any, db_url: tuple[str, str | None]) -> None:
    from sqlalchemy import func

    from storage.bookings import Course
    from storage.labels import Cluster

    rt: Runtime = await make_runtime(sample_data=None)  # the production default
    async with rt.sessions() as session:
        courses = await session.scalar(select(func.count()).select_from(Course))
        clusters = await session.scalar(select(func.count()).select_from(Cluster))
    expected = db_url[1] is None  # SQLite: the embedded default
    assert (bool(courses), bool(clusters)) == (expected, expected)
    asked: Runtime = await make_runtime(sample_data=True)
    async with asked.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Course))
        assert await session.scalar(select(func.count()).select_from(Cluster))


def test_the_heads_read_from_the_migration_scripts_are_alembics() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from storage.db import MIGRATIONS, shipped_heads

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert shipped_heads() == set(ScriptDirectory.from_config(cfg).get_heads())
