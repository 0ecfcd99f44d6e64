"""Outbox delivery: fenced claims with short leases, one row per chat at a time.

A claim raises the row's ``fence``; an outcome is recorded only with the fence of the claim
that sent it, so a worker whose lease ran out can never overwrite the result of the worker
that took the row over. ``claimed_until`` is cleared with every recorded outcome: a claim that
finds it still set knows the previous holder ended without one (``expired_claims``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import OutboxMessage


def _claimable(now: datetime) -> Any:
    return and_(
        OutboxMessage.status == "pending",
        OutboxMessage.next_attempt_at <= now,
        or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
    )


async def claim(
    session: AsyncSession,
    channel: str,
    worker: str,
    now: datetime,
    lease: timedelta,
    limit: int,
    *,
    postgres: bool,
    chat_id: str | None = None,
    skip: Sequence[int] = (),
) -> list[OutboxMessage]:
    """Claim up to ``limit`` due rows, each the oldest unsent row of its chat (per-chat order)."""
    older = aliased(OutboxMessage)
    earlier_unsent = exists().where(
        older.channel == OutboxMessage.channel,
        older.chat_id == OutboxMessage.chat_id,
        older.status == "pending",
        older.id < OutboxMessage.id,
    )
    eligible = (
        select(OutboxMessage.id)
        .where(OutboxMessage.channel == channel, _claimable(now), ~earlier_unsent)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if chat_id is not None:
        eligible = eligible.where(OutboxMessage.chat_id == chat_id)
    if skip:
        eligible = eligible.where(OutboxMessage.id.not_in(skip))
    if postgres:
        eligible = eligible.with_for_update(skip_locked=True, of=OutboxMessage)
    stmt = (
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(eligible.scalar_subquery()), _claimable(now))
        .values(
            claimed_by=worker,
            claimed_until=now + lease,
            fence=OutboxMessage.fence + 1,
            expired_claims=OutboxMessage.expired_claims + case((OutboxMessage.claimed_until.is_not(None), 1), else_=0),
        )
        .returning(OutboxMessage)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    rows = list((await session.execute(stmt)).scalars())
    rows.sort(key=lambda r: r.id)
    return rows


async def record(session: AsyncSession, row_id: int, fence: int, **values: object) -> bool:
    """Record an outcome for the claim holding ``fence``; False when the row was taken over."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, OutboxMessage.fence == fence, OutboxMessage.status == "pending")
        .values(claimed_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def record_sent(session: AsyncSession, sent: Mapping[int, tuple[int, str | None]], now: datetime) -> set[int]:
    """Mark rows sent (row id -> (fence, platform message id)); returns the ids recorded."""
    recorded: set[int] = set()
    for row_id, (fence, message_id) in sent.items():
        if await record(session, row_id, fence, status="sent", sent_at=now, sent_message_id=message_id):
            recorded.add(row_id)
    return recorded


async def renew(session: AsyncSession, held: Mapping[int, int], now: datetime, lease: timedelta) -> set[int]:
    """Extend the leases still held (row id -> fence); returns the ids whose lease was lost."""
    if not held:
        return set()
    result = await session.execute(
        update(OutboxMessage)
        .where(tuple_(OutboxMessage.id, OutboxMessage.fence).in_(list(held.items())), OutboxMessage.status == "pending")
        .values(claimed_until=now + lease)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    return set(held) - set(result.scalars())


async def possible_duplicates(session: AsyncSession) -> int:
    """Claims that ended without an outcome: each may have reached the platform, so a message
    can have gone out that many extra times (an upper bound)."""
    stmt = select(func.coalesce(func.sum(OutboxMessage.expired_claims), 0))
    return int(await session.scalar(stmt) or 0)


async def due(session: AsyncSession, channel: str, now: datetime) -> int:
    """Rows of ``channel`` waiting to be sent now."""
    stmt = select(func.count()).where(
        OutboxMessage.channel == channel, OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now
    )
    return int(await session.scalar(stmt) or 0)
