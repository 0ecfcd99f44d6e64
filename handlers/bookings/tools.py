"""What the courses and slots command-line tools share: a database ready to use."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.runtime import Runtime
from bot.settings import Settings


@asynccontextmanager
async def cli_runtime(settings: Settings) -> AsyncIterator[Runtime]:
    """A runtime without start-up hooks (an import must not be preceded by the sample data)."""
    runtime = Runtime(settings)
    try:
        await runtime.start(hooks=False)
        yield runtime
    finally:
        await runtime.close()


async def one_loader_at_a_time(session: AsyncSession, key: int) -> None:
    """Serialise "load the samples when empty" across workers starting together.

    SQLite's BEGIN IMMEDIATE already does; PostgreSQL needs a transaction-scoped advisory lock,
    or two workers could both find the table empty and both load.
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
