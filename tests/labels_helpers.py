"""Shared set-up for the labels tests: the sample register, and a register written by hand."""

from __future__ import annotations

from datetime import date

from bot.runtime import Runtime
from handlers.labels import register
from storage import labels as store


async def load_sample(runtime: Runtime) -> None:
    """The shipped sample (SQLite loads it at start already; PostgreSQL does not)."""
    async with runtime.sessions() as session, session.begin():
        await register.import_file(session, register.SAMPLE, runtime.clock(), dry_run=False)


async def add_cluster(runtime: Runtime, name: str, label: str, awarded: date | None, until: date | None) -> int:
    async with runtime.sessions() as session, session.begin():
        cluster = store.Cluster(name=name, aliases=[], region="", website="", label=label)
        cluster.awarded_on, cluster.valid_until = awarded, until
        session.add(cluster)
        await session.flush()
        return cluster.id
