"""Clean-up jobs: the message log's and the outbox's retention periods, and old event ids."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.context import Notifier
from bot.router import Router
from storage import repos

router = Router("housekeeping")
log = logging.getLogger("cedbot.housekeeping")

EVENT_MEMORY = timedelta(days=7)
"""Platforms redeliver within minutes; a week of event ids is plenty."""


@router.job("purge-outbox", every=timedelta(hours=1))
async def purge_outbox(n: Notifier) -> None:
    """Delivered messages hold texts about people: they go after ``CEDBOT_OUTBOX_RETENTION_DAYS``."""
    removed = await repos.purge_outbox(n.session, n.now - timedelta(days=n.settings.outbox_retention_days))
    if removed:
        log.info("purged %s delivered outbox messages", removed)


@router.job("purge-message-log", every=timedelta(hours=6))
async def purge_message_log(n: Notifier) -> None:
    removed = await repos.purge_messages(n.session, n.runtime.retention_cutoff(n.now))
    removed_events = await repos.purge_events(n.session, n.now - EVENT_MEMORY)
    if removed or removed_events:
        log.info("purged %s logged messages and %s event ids", removed, removed_events)
