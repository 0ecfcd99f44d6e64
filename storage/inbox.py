"""The durable inbox: updates stored before they are acknowledged, claimed by one worker at a time.

Repositories take a session and never commit. Claims are single statements on both databases:
an ``UPDATE ... WHERE id IN (eligible ...) RETURNING``; on PostgreSQL the eligible rows are
locked with ``SKIP LOCKED`` so workers do not queue on each other, on SQLite the write lock
taken by ``BEGIN IMMEDIATE`` makes the statement atomic.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, exists, func, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import InboxMessage

PENDING, DONE, FAILED = "pending", "done", "failed"


async def put(session: AsyncSession, rows: Sequence[dict[str, Any]], now: datetime) -> int:
    """Store updates; one already stored (same bot and event id) is skipped. Returns how many were new."""
    if not rows:
        return 0
    values = [
        {**row, "status": PENDING, "attempts": 0, "fence": 0, "received_at": now, "claimed_by": None} for row in rows
    ]
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(InboxMessage).values(values).on_conflict_do_nothing(index_elements=["bot", "event_id"])
    result = await session.execute(stmt)
    return int(result.rowcount)  # type: ignore[attr-defined]


async def put_claimed(
    session: AsyncSession,
    *,
    bot: str,
    event_id: str,
    channel: str,
    person_key: str,
    payload: dict[str, Any],
    worker: str,
    now: datetime,
    lease: timedelta,
) -> InboxMessage:
    """Store an update that this worker handles at once (a console line)."""
    row = InboxMessage(
        bot=bot,
        event_id=event_id,
        channel=channel,
        person_key=person_key,
        payload=payload,
        status=PENDING,
        attempts=1,
        fence=1,
        claimed_by=worker,
        claimed_until=now + lease,
        received_at=now,
    )
    session.add(row)
    await session.flush()
    return row


def _claimable(now: datetime) -> Any:
    return and_(
        InboxMessage.status == PENDING,
        or_(InboxMessage.claimed_until.is_(None), InboxMessage.claimed_until < now),
    )


async def claim(
    session: AsyncSession,
    channels: Sequence[str],
    worker: str,
    now: datetime,
    lease: timedelta,
    limit: int,
    *,
    postgres: bool,
    skip: Sequence[int] = (),
) -> list[InboxMessage]:
    """Claim up to ``limit`` rows, the oldest first and at most one per person: a row waits
    while an older row of the same person is not finished, so each person is answered in order."""
    older = aliased(InboxMessage)
    earlier_waiting = exists().where(
        older.person_key == InboxMessage.person_key, older.status == PENDING, older.id < InboxMessage.id
    )
    eligible = (
        select(InboxMessage.id)
        .where(_claimable(now), InboxMessage.channel.in_(channels), ~earlier_waiting)
        .order_by(InboxMessage.id)
        .limit(limit)
    )
    if skip:
        eligible = eligible.where(InboxMessage.id.not_in(skip))
    if postgres:
        eligible = eligible.with_for_update(skip_locked=True, of=InboxMessage)
    stmt = (
        update(InboxMessage)
        .where(InboxMessage.id.in_(eligible.scalar_subquery()), _claimable(now))
        .values(
            claimed_by=worker,
            claimed_until=now + lease,
            fence=InboxMessage.fence + 1,
            attempts=InboxMessage.attempts + 1,
        )
        .returning(InboxMessage)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    rows = list((await session.execute(stmt)).scalars())
    rows.sort(key=lambda r: r.id)
    return rows


async def finish(
    session: AsyncSession, row_id: int, fence: int, now: datetime, *, status: str = DONE, error: str | None = None
) -> bool:
    """Record the outcome; False when the claim was lost (another worker holds the row now)."""
    result = await session.execute(
        update(InboxMessage)
        .where(InboxMessage.id == row_id, InboxMessage.fence == fence, InboxMessage.status == PENDING)
        .values(status=status, handled_at=now, claimed_until=None, last_error=error)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def renew(session: AsyncSession, held: dict[int, int], now: datetime, lease: timedelta) -> None:
    """Extend the leases still held (row id -> fence)."""
    if held:
        await session.execute(
            update(InboxMessage)
            .where(tuple_(InboxMessage.id, InboxMessage.fence).in_(list(held.items())), InboxMessage.status == PENDING)
            .values(claimed_until=now + lease)
            .execution_options(synchronize_session=False)
        )


async def listing(session: AsyncSession, status: str | None = None, limit: int = 50) -> list[InboxMessage]:
    """Rows not yet done (or of one status), oldest first."""
    stmt = select(InboxMessage).order_by(InboxMessage.id).limit(limit)
    stmt = stmt.where(InboxMessage.status == status) if status else stmt.where(InboxMessage.status != DONE)
    return list((await session.execute(stmt)).scalars())


async def retry(session: AsyncSession, ids: Sequence[int] = ()) -> int:
    """Put failed rows (all, or these) back in the queue with a fresh count of attempts."""
    stmt = update(InboxMessage).where(InboxMessage.status == FAILED)
    if ids:
        stmt = stmt.where(InboxMessage.id.in_(ids))
    result = await session.execute(
        stmt.values(status=PENDING, attempts=0, claimed_until=None, handled_at=None).execution_options(
            synchronize_session=False
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def counts(session: AsyncSession) -> dict[str, int]:
    stmt = select(InboxMessage.status, func.count()).group_by(InboxMessage.status)
    return {str(status): int(n) for status, n in (await session.execute(stmt)).all()}


async def purge(session: AsyncSession, before: datetime) -> int:
    """Forget handled rows received before ``before`` (platforms redeliver within a day)."""
    result = await session.execute(
        delete(InboxMessage).where(InboxMessage.status != PENDING, InboxMessage.received_at < before)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def waiting(session: AsyncSession, channel: str) -> int:
    stmt = select(func.count()).where(InboxMessage.channel == channel, InboxMessage.status == PENDING)
    return int(await session.scalar(stmt) or 0)
