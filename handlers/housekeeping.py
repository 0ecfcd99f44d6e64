"""Clean-up jobs: the message log's retention period and old event ids."""

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


@router.job("purge-message-log", every=timedelta(hours=6))
async def purge_message_log(n: Notifier) -> None:
    removed = await repos.purge_messages(n.session, n.runtime.retention_cutoff(n.now))
    removed_events = await repos.purge_events(n.session, n.now - EVENT_MEMORY)
    if removed or removed_events:
        log.info("purged %s logged messages and %s event ids", removed, removed_events)
