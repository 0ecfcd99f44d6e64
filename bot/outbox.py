"""Delivery of queued messages: per channel, chats in parallel, each chat in order.

Every message that leaves for Slack or Telegram goes through here, replies to the sender
included. A worker claims rows with a fencing token and a short lease, renews the lease while
it sends, and records the outcome only while its fence still holds the row. A worker that dies
loses its rows after one lease; another worker sends them then. The only way a message reaches
a platform twice: the platform took it and the worker died (or lost the database) before it
could record so. Such rows are counted (``expired_claims``, shown in ``/metrics``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.durability import database_unavailable
from bot.runtime import Runtime
from bot.types import Address, Channel, Reply
from storage import outbox as repo
from storage import repos
from storage.db import is_postgres
from storage.models import OutboxMessage, OutboxStatus

log = logging.getLogger("cedbot.outbox")

Sender = Callable[[Address, Reply], Awaitable[str | None]]
"""Sends one reply; returns the platform's message id (or None)."""

SEND_TIMEOUT = 60.0
"""A platform call that has not finished by then is abandoned and retried later (the platform
clients have shorter timeouts of their own; this is the backstop)."""


class DeliveryError(Exception):
    """A send failed. ``permanent`` failures are not retried (a blocked bot, a deleted chat)."""

    def __init__(self, message: str, *, permanent: bool = False, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(2**attempts, 600))


class OutboxDelivery:
    """Claims due rows for one channel (optionally one chat) and sends them."""

    def __init__(
        self,
        runtime: Runtime,
        channel: Channel,
        send: Sender,
        *,
        chat_id: str | None = None,
        parallel: int | None = None,
    ) -> None:
        self.runtime, self.channel, self.send, self.chat_id = runtime, channel, send, chat_id
        self.parallel = parallel or runtime.settings.send_parallel
        self.held: dict[int, int] = {}
        """Rows this worker is sending: id -> fence."""
        self._tasks: set[asyncio.Task[int]] = set()
        self._wake = runtime.outbox_listener()

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.runtime.settings.lease_seconds)

    @property
    def busy(self) -> bool:
        return bool(self.held)

    async def _claim(self, limit: int) -> list[OutboxMessage]:
        async with self.runtime.lease_sessions() as session, session.begin():
            await session.connection()  # the lease starts once we have a connection, not before
            now = self.runtime.clock()
            rows = await repo.claim(
                session,
                self.channel.value,
                self.runtime.worker_id,
                now,
                self.lease,
                limit,
                postgres=is_postgres(self.runtime.engine),
                chat_id=self.chat_id,
                skip=list(self.held),
            )
        for row in rows:
            self.held[row.id] = row.fence
            if row.expired_claims:
                log.info("outbox %s: taken over after an expired claim", row.id)
        return rows

    async def run_once(self) -> int:
        """Deliver what is due now, chats in parallel; returns how many rows were sent."""
        sent = 0
        while rows := await self._claim(self.parallel):
            results = await asyncio.gather(*(self._deliver(row) for row in rows))
            sent += sum(results)
            if not any(results):
                break
        return sent

    async def _deliver(self, row: OutboxMessage) -> int:
        address = Address(Channel(row.channel), row.chat_id, row.thread_id, row.response_url)
        try:
            try:
                async with asyncio.timeout(SEND_TIMEOUT):
                    message_id = await self.send(address, Reply.from_json(row.payload))
            except Exception as exc:  # every failure is recorded on the row, never lost
                await self._failed(row, exc)
                return 0
            recorded = await self._record(
                row,
                status="sent",
                sent_at=self.runtime.clock(),
                sent_message_id=message_id,
                attempts=row.attempts + 1,
            )
            self.runtime.metrics.messages_out.labels(row.channel).inc()
            return int(recorded)
        finally:
            self.held.pop(row.id, None)

    async def _failed(self, row: OutboxMessage, exc: Exception) -> None:
        attempts = row.attempts + 1
        permanent = isinstance(exc, DeliveryError) and exc.permanent
        gave_up = permanent or attempts >= self.runtime.settings.outbox_max_attempts
        delay = backoff(attempts)
        if isinstance(exc, DeliveryError) and exc.retry_after is not None:
            delay = timedelta(seconds=exc.retry_after)
        log.warning(
            "outbox %s to %s:%s failed (attempt %s%s): %s",
            row.id,
            row.channel,
            row.chat_id,
            attempts,
            ", giving up" if gave_up else "",
            exc or type(exc).__name__,
        )
        await self._record(
            row,
            status=OutboxStatus.FAILED if gave_up else OutboxStatus.PENDING,
            attempts=attempts,
            next_attempt_at=self.runtime.clock() + delay,
            last_error=(str(exc) or type(exc).__name__)[:1000],
        )

    async def _record(self, row: OutboxMessage, **values: object) -> bool:
        """Record the outcome under our fence; while the database is away, keep trying for a while
        (the fence makes a late record safe: it fails if another worker took the row over)."""
        now = self.runtime.clock
        for attempt in range(30):
            try:
                async with self.runtime.lease_sessions() as session, session.begin():
                    if await repo.record(session, row.id, row.fence, **values):
                        if values.get("status") == "sent":  # what a ticket's card refers to later
                            sent_id = values.get("sent_message_id")
                            repos.record_sent(session, row, sent_id if isinstance(sent_id, str) else None, now())
                        return True
                self.runtime.metrics.unrecorded.labels(row.channel).inc()
                log.warning("outbox %s: claim taken over before the outcome was recorded", row.id)
                return False
            except Exception as exc:
                if not database_unavailable(exc) or attempt == 29:
                    log.exception("outbox %s: outcome not recorded", row.id)
                    self.runtime.metrics.unrecorded.labels(row.channel).inc()
                    return False
                await asyncio.sleep(min(0.2 * 2**attempt, 5.0))
        return False

    async def _heartbeat(self, stop: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        every = self.runtime.settings.lease_seconds / 4
        while not stop.is_set():
            started = loop.time()
            try:
                await asyncio.wait_for(stop.wait(), every)
            except TimeoutError:
                pass
            if loop.time() - started > 2 * every:
                log.warning("outbox heartbeat %.1f s late: the process was held up", loop.time() - started - every)
            held = dict(self.held)
            if not held:
                continue
            try:
                async with self.runtime.lease_sessions() as session, session.begin():
                    lost = await repo.renew(session, held, self.runtime.clock(), self.lease)
                for row_id in lost:
                    log.warning("outbox %s: lease lost while sending", row_id)
            except Exception as exc:
                log.warning("outbox leases not renewed: %s", exc)

    def _spawn(self, row: OutboxMessage) -> None:
        task = asyncio.create_task(self._deliver(row))
        self._tasks.add(task)

        def _done(t: asyncio.Task[int]) -> None:
            self._tasks.discard(t)
            self._wake.set()  # a place is free: look for the next row of that chat

        task.add_done_callback(_done)

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop``; then finish the sends under way and what is due, briefly."""
        heartbeat = asyncio.create_task(self._heartbeat(stop))
        poll = self.runtime.settings.outbox_poll_seconds
        try:
            while not stop.is_set():
                self._wake.clear()
                free = self.parallel - len(self._tasks)
                rows: list[OutboxMessage] = []
                if free > 0:
                    try:
                        rows = await self._claim(free)
                    except Exception as exc:
                        log.warning("outbox delivery for %s: %s; retrying", self.channel.value, exc)
                for row in rows:
                    self._spawn(row)
                if rows and len(rows) == free:
                    continue  # more may be due
                await _first(self._wake.wait(), stop.wait(), within=poll)
            if self._tasks:
                await asyncio.gather(*self._tasks, return_exceptions=True)
            try:
                await asyncio.wait_for(self.run_once(), 10)
            except TimeoutError:
                log.warning("outbox delivery for %s stopped with messages still due", self.channel.value)
        finally:
            # Stopped: the heartbeat ends by itself after its current renewal. Waiting for it keeps
            # its session from being torn down mid-query when the loop closes.
            if not stop.is_set():
                heartbeat.cancel()
            await asyncio.gather(heartbeat, return_exceptions=True)


async def _first(*aws: Awaitable[object], within: float) -> None:
    tasks = [asyncio.ensure_future(a) for a in aws]
    try:
        await asyncio.wait(tasks, timeout=within, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
