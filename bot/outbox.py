"""Delivery of queued messages, one loop per channel, with retries."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy import update

from bot.runtime import Runtime
from bot.types import Address, Channel, Reply
from storage import repos
from storage.db import is_postgres
from storage.models import OutboxMessage, OutboxStatus

log = logging.getLogger("cedbot.outbox")

Sender = Callable[[Address, Reply], Awaitable[str | None]]
"""Sends one reply; returns the platform's message id (or None)."""

LEASE = timedelta(seconds=120)


class DeliveryError(Exception):
    """A send failed. ``permanent`` failures are not retried (a blocked bot, a deleted chat)."""

    def __init__(self, message: str, *, permanent: bool = False, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(2**attempts, 600))


class OutboxDelivery:
    """Claims pending rows for one channel (optionally one chat) and sends them."""

    def __init__(self, runtime: Runtime, channel: Channel, send: Sender, *, chat_id: str | None = None) -> None:
        self.runtime, self.channel, self.send, self.chat_id = runtime, channel, send, chat_id

    async def run_once(self) -> int:
        """Deliver what is due now; returns how many rows were sent."""
        now = self.runtime.clock()
        async with self.runtime.sessions() as session, session.begin():
            rows = await repos.claim_outbox(
                session,
                self.channel.value,
                self.runtime.worker_id,
                now,
                LEASE,
                chat_id=self.chat_id,
                postgres=is_postgres(self.runtime.engine),
            )
        sent = 0
        for row in rows:
            sent += await self._deliver(row)
        return sent

    async def _deliver(self, row: OutboxMessage) -> int:
        address = Address(Channel(row.channel), row.chat_id, row.thread_id)
        try:
            message_id = await self.send(address, Reply.from_json(row.payload))
        except Exception as exc:  # every failure is recorded on the row, never lost
            await self._failed(row, exc)
            return 0
        now = self.runtime.clock()
        async with self.runtime.sessions() as session, session.begin():
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row.id)
                .values(
                    status=OutboxStatus.SENT,
                    sent_at=now,
                    sent_message_id=message_id,
                    attempts=row.attempts + 1,
                    claimed_until=None,
                )
            )
            repos.record_sent(session, row, message_id, now)
        self.runtime.metrics.messages_out.labels(row.channel).inc()
        return 1

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
            exc,
        )
        await self._update(
            row,
            status=OutboxStatus.FAILED if gave_up else OutboxStatus.PENDING,
            attempts=attempts,
            next_attempt_at=self.runtime.clock() + delay,
            last_error=str(exc)[:1000],
            claimed_until=None,
        )

    async def _update(self, row: OutboxMessage, **values: object) -> None:
        async with self.runtime.sessions() as session, session.begin():
            await session.execute(update(OutboxMessage).where(OutboxMessage.id == row.id).values(**values))

    async def run_forever(self, stop: asyncio.Event) -> None:
        poll = self.runtime.settings.outbox_poll_seconds
        while not stop.is_set():
            try:
                while await self.run_once():
                    pass
            except Exception:
                log.exception("outbox delivery for %s failed; retrying", self.channel.value)
            waiter = asyncio.create_task(self.runtime.wait_outbox(poll))
            stopper = asyncio.create_task(stop.wait())
            await asyncio.wait({waiter, stopper}, return_when=asyncio.FIRST_COMPLETED)
            for task in (waiter, stopper):
                task.cancel()
