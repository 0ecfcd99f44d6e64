"""Shared set-up for the labels tests: the sample register, and a register written by hand."""

from __future__ import annotations

from datetime import date

from bot.router import Router
from bot.runtime import Runtime
from bot.types import Reply
from handlers.labels import register
from storage import labels as store


async def load_sample(runtime: Runtime) -> None:
    """The shipped sample (SQLite loads it at start already; PostgreSQL does not)."""
    async with runtime.sessions() as session, session.begin():
        await register.import_rows(session, register.read(register.SAMPLE), runtime.clock(), dry_run=False)


async def add_cluster(
    runtime: Runtime, name: str, label: str, awarded: date | None, until: date | None
) -> int:
    async with runtime.sessions() as session, session.begin():
        cluster = store.Cluster(name=name, aliases=[], region="", website="", label=label)
        cluster.awarded_on, cluster.valid_until = awarded, until
        session.add(cluster)
        await session.flush()
        return cluster.id


def other_features() -> Router:
    """Stand-ins for the FAQ, adviser booking and hand-off features, which answer their buttons."""
    others = Router("others")
    for prefix in ("faq", "advice", "handoff"):

        @others.action(prefix)
        async def _answer(ctx: object, prefix: str = prefix) -> Reply:
            return Reply(f"{prefix} pressed")

    return others
