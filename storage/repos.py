"""Repositories for the core tables. They take a session and never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Base,
    ChannelIdentity,
    Counter,
    FlowState,
    JobRun,
    MessageLog,
    OutboxMessage,
    OutboxStatus,
    Person,
    ProcessedEvent,
    SentMessage,
)


async def find_person(session: AsyncSession, channel: str, user_id: str) -> Person | None:
    stmt = (
        select(Person)
        .join(ChannelIdentity)
        .where(ChannelIdentity.channel == channel, ChannelIdentity.user_id == user_id)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def person_for(
    session: AsyncSession,
    channel: str,
    user_id: str,
    chat_id: str,
    now: datetime,
    display_name: str | None = None,
) -> Person:
    """The person behind a channel account, created on first contact."""
    ident = (
        await session.execute(
            select(ChannelIdentity).where(ChannelIdentity.channel == channel, ChannelIdentity.user_id == user_id)
        )
    ).scalar_one_or_none()
    if ident is None:
        try:
            async with session.begin_nested():
                person = Person(display_name=display_name, created_at=now)
                ident = ChannelIdentity(
                    person=person, channel=channel, user_id=user_id, chat_id=chat_id, last_seen_at=now
                )
                session.add(ident)
            return person
        except IntegrityError:  # the same new person wrote twice at once
            return await person_for(session, channel, user_id, chat_id, now, display_name)
    ident.chat_id = chat_id
    ident.last_seen_at = now
    person = await session.get_one(Person, ident.person_id)
    if display_name and not person.display_name:
        person.display_name = display_name
    return person


async def identities_of(session: AsyncSession, person_id: int) -> Sequence[ChannelIdentity]:
    stmt = (
        select(ChannelIdentity)
        .where(ChannelIdentity.person_id == person_id)
        .order_by(ChannelIdentity.last_seen_at.desc())
    )
    return (await session.execute(stmt)).scalars().all()


# Flows ---------------------------------------------------------------------------------------


async def get_flow(session: AsyncSession, person_id: int, channel: str, chat_id: str) -> FlowState | None:
    stmt = select(FlowState).where(
        FlowState.person_id == person_id, FlowState.channel == channel, FlowState.chat_id == chat_id
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def set_flow(
    session: AsyncSession,
    person_id: int,
    channel: str,
    chat_id: str,
    state: str,
    data: dict[str, Any],
    expires_at: datetime,
    now: datetime,
) -> FlowState:
    row = await get_flow(session, person_id, channel, chat_id)
    if row is None:
        row = FlowState(person_id=person_id, channel=channel, chat_id=chat_id)
        session.add(row)
    row.state, row.data, row.expires_at, row.updated_at = state, dict(data), expires_at, now
    return row


async def clear_flow(session: AsyncSession, person_id: int, channel: str, chat_id: str) -> bool:
    result = await session.execute(
        delete(FlowState).where(
            FlowState.person_id == person_id, FlowState.channel == channel, FlowState.chat_id == chat_id
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


# Outbox --------------------------------------------------------------------------------------


def add_outbox(
    session: AsyncSession,
    channel: str,
    chat_id: str,
    thread_id: str | None,
    payload: dict[str, Any],
    ref: str | None,
    now: datetime,
    person_id: int | None = None,
    response_url: str | None = None,
) -> OutboxMessage:
    row = OutboxMessage(
        person_id=person_id,
        channel=channel,
        response_url=response_url,
        chat_id=chat_id,
        thread_id=thread_id,
        payload=payload,
        ref=ref,
        status=OutboxStatus.PENDING,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(row)
    return row


async def outbox_by_ref(session: AsyncSession, ref: str) -> Sequence[OutboxMessage]:
    stmt = select(OutboxMessage).where(OutboxMessage.ref == ref).order_by(OutboxMessage.id)
    return (await session.execute(stmt)).scalars().all()


def record_sent(session: AsyncSession, row: OutboxMessage, message_id: str | None, now: datetime) -> None:
    """Remember the platform id of a delivered message that something refers to (its ``ref``)."""
    if row.ref and message_id:
        session.add(
            SentMessage(
                ref=row.ref,
                channel=row.channel,
                chat_id=row.chat_id,
                thread_id=row.thread_id,
                message_id=message_id,
                sent_at=now,
            )
        )


async def purge_outbox(session: AsyncSession, before: datetime) -> int:
    """Delete delivered (or given-up) messages older than ``before``; pending ones stay."""
    result = await session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status.in_((OutboxStatus.SENT, OutboxStatus.FAILED)), OutboxMessage.created_at < before
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


# Message log ---------------------------------------------------------------------------------


def log_message(
    session: AsyncSession,
    person_id: int | None,
    direction: str,
    channel: str,
    chat_id: str,
    text: str,
    now: datetime,
    flow: str | None = None,
) -> None:
    session.add(
        MessageLog(
            person_id=person_id, direction=direction, channel=channel, chat_id=chat_id, text=text, at=now, flow=flow
        )
    )


async def recent_messages(session: AsyncSession, person_id: int, limit: int = 20) -> list[MessageLog]:
    stmt = (
        select(MessageLog)
        .where(MessageLog.person_id == person_id)
        .order_by(MessageLog.at.desc(), MessageLog.id.desc())
        .limit(limit)
    )
    rows = list((await session.execute(stmt)).scalars())
    rows.reverse()
    return rows


async def purge_messages(session: AsyncSession, before: datetime) -> int:
    result = await session.execute(delete(MessageLog).where(MessageLog.at < before))
    return int(result.rowcount)  # type: ignore[attr-defined]


# Events, counters, jobs ----------------------------------------------------------------------


async def first_time_event(session: AsyncSession, event_id: str, now: datetime) -> bool:
    """Record an event id; False when it was recorded before (a redelivery)."""
    try:
        async with session.begin_nested():
            session.add(ProcessedEvent(event_id=event_id, at=now))
        return True
    except IntegrityError:
        return False


async def purge_events(session: AsyncSession, before: datetime) -> int:
    """Forget event ids and handled inbox rows older than ``before``."""
    from storage import inbox

    result = await session.execute(delete(ProcessedEvent).where(ProcessedEvent.at < before))
    return int(result.rowcount) + await inbox.purge(session, before)  # type: ignore[attr-defined]


async def increment(session: AsyncSession, name: str, by: int = 1) -> None:
    result = await session.execute(update(Counter).where(Counter.name == name).values(value=Counter.value + by))
    if not result.rowcount:  # type: ignore[attr-defined]
        try:
            async with session.begin_nested():
                session.add(Counter(name=name, value=by))
        except IntegrityError:
            await increment(session, name, by)


async def counter(session: AsyncSession, name: str) -> int:
    value = await session.scalar(select(Counter.value).where(Counter.name == name))
    return int(value or 0)


async def claim_job(session: AsyncSession, name: str, worker: str, now: datetime, every: timedelta) -> bool:
    """Take this run of a job; exactly one worker wins each due run."""
    if await session.get(JobRun, name) is None:
        try:
            async with session.begin_nested():
                session.add(JobRun(name=name, next_run_at=now))
        except IntegrityError:
            pass
    result = await session.execute(
        update(JobRun)
        .where(JobRun.name == name, JobRun.next_run_at <= now)
        .values(next_run_at=now + every, last_run_at=now, claimed_by=worker)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def count_rows(session: AsyncSession, model: type[Any]) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


# What is held about a person (privacy) -----------------------------------------------------


def person_tables() -> list[Table]:
    """Every table with a ``person_id`` column: features' tables are found without listing them."""
    return [t for t in Base.metadata.sorted_tables if "person_id" in t.c]


async def held_counts(session: AsyncSession, person_id: int) -> dict[str, int]:
    """Rows per table that belong to the person."""
    counts: dict[str, int] = {}
    for table in person_tables():
        stmt = select(func.count()).select_from(table).where(table.c.person_id == person_id)
        counts[table.name] = int(await session.scalar(stmt) or 0)
    return counts


async def held_rows(session: AsyncSession, person_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row that belongs to the person, by table."""
    held: dict[str, list[dict[str, Any]]] = {}
    for table in person_tables():
        rows = (await session.execute(select(table).where(table.c.person_id == person_id))).mappings()
        held[table.name] = [dict(row) for row in rows]
    return held


async def last_message_id(session: AsyncSession) -> int:
    """The newest message-log id (0 for none): what was said before a moment."""
    return int(await session.scalar(select(func.max(MessageLog.id))) or 0)
