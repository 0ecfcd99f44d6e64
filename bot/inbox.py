"""The durable inbox: every update is stored before the platform is told it arrived.

A channel stores what it receives with :meth:`InboxWorker.put` and acknowledges only after
the commit (the Telegram webhook answers 200, polling confirms the offset, Slack gets its
ack); a database that is away means no acknowledgement, so the platform sends it again.
Workers claim stored rows (one per person at a time, so each person is answered in order)
and handle each in one transaction that also queues the replies in the outbox and marks the
row done: a crash means "handled again", never "lost" and never "twice to completion".
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.durability import LeaseLost, database_unavailable
from bot.outbox import OutboxDelivery
from bot.runtime import Runtime
from bot.types import Address, Channel, Incoming, Reply
from storage import inbox as repo
from storage import outbox as outbox_repo
from storage import repos
from storage.db import is_postgres
from storage.models import InboxMessage

log = logging.getLogger("cedbot.inbox")

Convert = Callable[[InboxMessage], Awaitable[Incoming | None]]
"""A stored row back to an :class:`Incoming` (None: nothing to answer)."""
Route = Callable[[Incoming, Reply], Address]
"""Where a reply to ``incoming`` goes (the chat, a thread, the card to edit, a response URL)."""


@dataclass(frozen=True, slots=True)
class Arrival:
    """One update to store: its event id, whose it is, and the platform's payload."""

    event_id: str
    person_key: str
    payload: dict[str, Any]


def one_off_id(prefix: str) -> str:
    """An id for an update the platform never redelivers (a slash command, a console line)."""
    return f"{prefix}:once:{secrets.token_hex(8)}"


class InboxWorker:
    """Stores one channel's updates and handles them, several people at once."""

    def __init__(
        self, runtime: Runtime, channel: Channel, convert: Convert, route: Route, *, parallel: int | None = None
    ) -> None:
        self.runtime, self.channel, self.convert, self.route = runtime, channel, convert, route
        # SQLite takes one writer at a time: handling more at once only queues them on the lock.
        self.parallel = parallel or (runtime.settings.send_parallel if is_postgres(runtime.engine) else 1)
        self.held: dict[int, int] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.runtime.settings.lease_seconds)

    async def put(self, bot: str, updates: Sequence[Arrival]) -> int:
        """Store updates and commit; raises when the database is away (do not acknowledge then)."""
        rows = [
            {
                "bot": bot,
                "event_id": u.event_id,
                "channel": self.channel.value,
                "person_key": u.person_key,
                "payload": u.payload,
            }
            for u in updates
        ]
        async with self.runtime.sessions() as session, session.begin():
            stored = await repo.put(session, rows, self.runtime.clock())
        if stored < len(rows):
            log.info("%s: %s redelivered update(s) dropped", self.channel.value, len(rows) - stored)
        self._wake.set()
        return stored

    async def _claim(self, limit: int) -> list[InboxMessage]:
        async with self.runtime.lease_sessions() as session, session.begin():
            await session.connection()  # the lease starts once we have a connection, not before
            rows = await repo.claim(
                session,
                [self.channel.value],
                self.runtime.worker_id,
                self.runtime.clock(),
                self.lease,
                limit,
                postgres=is_postgres(self.runtime.engine),
                skip=list(self.held),
            )
        for row in rows:
            self.held[row.id] = row.fence
        return rows

    async def run_once(self) -> int:
        """Handle what is waiting now; returns how many rows were taken."""
        taken = 0
        while rows := await self._claim(self.parallel):
            await asyncio.gather(*(self.handle(row) for row in rows))
            taken += len(rows)
        return taken

    async def handle(self, row: InboxMessage) -> None:
        """Handle one claimed row; any failure leaves it to be handled again or records why not."""
        try:
            if row.attempts > self.runtime.settings.outbox_max_attempts:
                await self._finish_alone(row, None, [], status=repo.FAILED, error="gave up: failed every attempt")
                return
            incoming = await self.convert(row)
            if incoming is None:
                await self._finish_alone(row, None, [])
                return
            finish = _Finish(self, row, incoming)
            replies = await self.runtime.handle(incoming, finish=finish)
            if not finish.ran:  # answered before the unit of work (a refusal, an error): record it now
                await self._finish_alone(row, incoming, replies)
        except LeaseLost:
            log.warning("inbox %s: taken over by another worker; our work was rolled back", row.id)
        except Exception as exc:
            if database_unavailable(exc):
                log.warning("inbox %s: database unavailable (%s); it will be handled again", row.id, exc)
            else:
                log.exception("inbox %s: not handled; it will be tried again", row.id)
        finally:
            self.held.pop(row.id, None)

    def queue(self, session: AsyncSession, incoming: Incoming, replies: list[Reply]) -> None:
        now = self.runtime.clock()
        for reply in replies:
            to = self.route(incoming, reply)
            repos.add_outbox(
                session,
                to.channel.value,
                to.chat_id,
                to.thread_id,
                reply.to_json(),
                reply.ref,
                now,
                response_url=to.response_url,
            )
        if replies:
            self.runtime.outbox_written = True

    async def _finish_alone(
        self,
        row: InboxMessage,
        incoming: Incoming | None,
        replies: list[Reply],
        *,
        status: str = repo.DONE,
        error: str | None = None,
    ) -> None:
        async with self.runtime.sessions() as session, session.begin():
            if incoming is not None:
                self.queue(session, incoming, replies)
            if not await repo.finish(session, row.id, row.fence, self.runtime.clock(), status=status, error=error):
                raise LeaseLost(row.id)
        self.runtime.wake_outbox()

    async def _heartbeat(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), self.runtime.settings.lease_seconds / 4)
            except TimeoutError:
                pass
            held = dict(self.held)
            if not held:
                continue
            try:
                async with self.runtime.lease_sessions() as session, session.begin():
                    await repo.renew(session, held, self.runtime.clock(), self.lease)
            except Exception as exc:
                log.warning("inbox leases not renewed: %s", exc)

    def wake(self) -> None:
        self._wake.set()

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Handle rows until ``stop``; then finish the ones under way."""
        heartbeat = asyncio.create_task(self._heartbeat(stop))
        poll = self.runtime.settings.outbox_poll_seconds
        try:
            while not stop.is_set():
                self._wake.clear()
                free = self.parallel - len(self._tasks)
                rows: list[InboxMessage] = []
                if free > 0:
                    try:
                        rows = await self._claim(free)
                    except Exception as exc:
                        log.warning("inbox for %s: %s; retrying", self.channel.value, exc)
                for row in rows:
                    task = asyncio.create_task(self.handle(row))
                    self._tasks.add(task)
                    task.add_done_callback(self._done)
                if rows and len(rows) == free:
                    continue
                waits = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())]
                await asyncio.wait(waits, timeout=poll, return_when=asyncio.FIRST_COMPLETED)
                for w in waits:
                    w.cancel()
            if self._tasks:
                await asyncio.gather(*self._tasks, return_exceptions=True)
        finally:
            # Stopped: the heartbeat ends by itself after its current renewal. Waiting for it keeps
            # its session from being torn down mid-query when the loop closes.
            if not stop.is_set():
                heartbeat.cancel()
            await asyncio.gather(heartbeat, return_exceptions=True)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._wake.set()  # a place is free, and the person's next message may be waiting

    @property
    def busy(self) -> bool:
        return bool(self.held)


class _Finish:
    """The inbox's part of the message's transaction: queue the replies, mark the row done."""

    def __init__(self, worker: InboxWorker, row: InboxMessage, incoming: Incoming) -> None:
        self.worker, self.row, self.incoming = worker, row, incoming
        self.ran = False

    async def __call__(self, session: AsyncSession, replies: list[Reply]) -> None:
        self.worker.queue(session, self.incoming, replies)
        if not await repo.finish(session, self.row.id, self.row.fence, self.worker.runtime.clock()):
            raise LeaseLost(self.row.id)
        self.ran = True


async def settle(runtime: Runtime, inbox: InboxWorker, delivery: OutboxDelivery, within: float = 10.0) -> None:
    """Wait until the channel has no stored update left to handle and no reply due to send."""
    channel = inbox.channel.value

    async def _quiet() -> bool:
        if inbox.busy or delivery.busy:
            return False
        async with runtime.sessions() as session:
            return not await outbox_repo.due(session, channel, runtime.clock()) and not await repo.waiting(
                session, channel
            )

    async with asyncio.timeout(within):
        while not await _quiet():  # noqa: ASYNC110 - the state is in the database, not in an event
            await asyncio.sleep(0.02)
