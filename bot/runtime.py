"""The runtime: settings, database, routers and middleware put together, channel-neutral."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from functools import partial
from types import TracebackType
from typing import TYPE_CHECKING

from bot import formatting
from bot import middleware as mw
from bot.context import Context, Notifier
from bot.kb import KnowledgeHandle
from bot.metrics import Metrics
from bot.router import Dispatcher, Router
from bot.settings import Settings, SettingsError
from bot.types import Incoming, Lang, Reply
from storage import repos
from storage.db import create_engine, pending_migrations, session_factory, upgrade
from storage.models import utcnow

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

log = logging.getLogger("cedbot")


class Runtime:
    """Everything a channel needs to turn an :class:`Incoming` into replies."""

    def __init__(
        self,
        settings: Settings,
        routers: Sequence[Router] = (),
        clock: Callable[[], datetime] = utcnow,
        schema: str | None = None,
    ) -> None:
        """``routers``: the features, in routing order; none for tools that only use storage."""
        self.settings = settings
        formatting.use_timezone(settings.office_timezone)
        self.engine = create_engine(settings.database_url, schema=schema)
        self.sessions = session_factory(self.engine)
        self.dispatcher = Dispatcher(routers)
        self.clock = clock
        self.metrics = Metrics()
        self.knowledge = KnowledgeHandle()
        """The knowledge base, loaded by the feature that owns it."""
        self.worker_id = f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"
        self.outbox_written = False
        self._outbox_wake = asyncio.Event()
        self.rate_limit = mw.RateLimit(settings.rate_limit_messages, settings.rate_limit_window_seconds)
        self.middlewares: list[mw.Middleware] = [
            mw.errors,
            mw.hygiene,
            mw.size_limit,
            mw.dedupe,
            self.rate_limit,
            mw.unit_of_work,
            mw.identity,
            mw.load_flow,
            mw.choose_language,
            mw.not_empty,
            mw.message_log,
        ]

    async def __aenter__(self) -> Runtime:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def start(self, migrate: bool | None = None, *, hooks: bool = True) -> None:
        """Bring the schema up to date (SQLite by default) and run the features' start-up.

        Command-line tools start without ``hooks``: an import must not be preceded by the
        sample data a first chat would load.
        """
        if migrate is None:
            migrate = self.settings.is_sqlite
        pending = await pending_migrations(self.engine)
        if migrate and pending:
            await upgrade(self.engine)
        elif pending:
            raise SettingsError("CEDBOT_DATABASE_URL: the database schema is not up to date; run 'cedbot db upgrade'")
        if not hooks:
            return
        for router in self.dispatcher.routers:
            for hook in router.startup:
                await hook(self)

    async def close(self) -> None:
        self.knowledge.close()
        await self.engine.dispose()

    async def reload(self, lang: Lang | None = None) -> list[str]:
        """Run every feature's reload hook (``/reload`` and SIGHUP); what each one says."""
        lang = lang or self.settings.default_language
        return [await hook(self, lang) for router in self.dispatcher.routers for hook in router.reload_hooks]

    def web_routes(self) -> list[BaseRoute]:
        """The HTTP routes the features serve (mounted by ``cedbot serve``)."""
        return [route for router in self.dispatcher.routers for fn in router.web for route in fn(self)]

    def health(self) -> dict[str, tuple[bool, str]]:
        """Each feature's health report, by name (the database is checked by the server)."""
        return {name: check(self) for router in self.dispatcher.routers for name, check in router.health_checks.items()}

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Run one message through the middleware onion and the dispatcher."""
        started = time.perf_counter()
        self.metrics.messages_in.labels(incoming.identity.channel.value).inc()
        turn = mw.Turn(incoming=incoming, runtime=self, now=self.clock())
        call: mw.Next = self._dispatch
        for layer in reversed(self.middlewares):
            call = partial(layer, call_next=call)  # type: ignore[call-arg]
        replies = await call(turn)
        self.metrics.latency.observe(time.perf_counter() - started)
        self.metrics.messages_out.labels(incoming.identity.channel.value).inc(len(replies))
        return replies

    async def _dispatch(self, turn: mw.Turn) -> list[Reply]:
        assert turn.session is not None and turn.person is not None and turn.lang is not None
        ctx = Context(
            runtime=self,
            session=turn.session,
            now=turn.now,
            incoming=turn.incoming,
            person=turn.person,
            lang=turn.lang,
        )
        if turn.flow is not None:
            ctx.flow.state, ctx.flow.data = turn.flow.state, dict(turn.flow.data)
        replies = await self.dispatcher.dispatch(ctx)
        if ctx.person_deleted:
            turn.person = None
        return replies

    # Outbox wake-ups --------------------------------------------------------------------------

    def wake_outbox(self) -> None:
        if self.outbox_written:
            self.outbox_written = False
            self._outbox_wake.set()

    async def wait_outbox(self, seconds: float) -> None:
        """Sleep until something was queued in this process, or ``timeout`` seconds."""
        try:
            await asyncio.wait_for(self._outbox_wake.wait(), seconds)
        except TimeoutError:
            pass
        self._outbox_wake.clear()

    # Scheduled jobs ---------------------------------------------------------------------------

    async def run_due_jobs(self) -> list[str]:
        """Run every job that is due; each run is claimed in the database, so one worker runs it."""
        ran: list[str] = []
        for job in self.dispatcher.jobs:
            now = self.clock()
            try:
                async with self.sessions() as session, session.begin():
                    if not await repos.claim_job(session, job.name, self.worker_id, now, job.every):
                        continue
                    await job.run(Notifier(runtime=self, session=session, now=now))
                ran.append(job.name)
            except Exception:
                log.exception("scheduled job %s failed; it will run again when next due", job.name)
        self.wake_outbox()
        return ran

    async def run_jobs_forever(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.run_due_jobs()
            try:
                await asyncio.wait_for(stop.wait(), self.settings.job_poll_seconds)
            except TimeoutError:
                pass

    def retention_cutoff(self, now: datetime) -> datetime:
        return now - timedelta(days=self.settings.log_retention_days)
