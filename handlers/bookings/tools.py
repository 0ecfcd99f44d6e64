"""What the courses and slots command-line tools share: a database ready to use."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.runtime import Runtime
from bot.settings import Settings, SettingsError
from storage.db import pending_migrations, upgrade


@asynccontextmanager
async def cli_runtime(settings: Settings) -> AsyncIterator[Runtime]:
    """A runtime without start-up hooks (an import must not be preceded by the sample data)."""
    runtime = Runtime(settings)
    try:
        if settings.is_sqlite:
            await upgrade(runtime.engine)
        elif await pending_migrations(runtime.engine):
            raise SettingsError(
                "CEDBOT_DATABASE_URL: the database schema is not up to date; run 'cedbot db upgrade'"
            )
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
