"""What the courses and slots features share when loading data."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


async def one_loader_at_a_time(session: AsyncSession, key: int) -> None:
    """Serialise "load the samples when empty" across workers starting together.

    SQLite's BEGIN IMMEDIATE already does; PostgreSQL needs a transaction-scoped advisory lock,
    or two workers could both find the table empty and both load.
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
