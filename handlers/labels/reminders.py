"""Reminders before a label expires, and the advisers' weekly summary; plus the sample register."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError

from bot.context import Notifier
from bot.markup import escape
from bot.types import Lang, Reply
from handlers.capabilities import BOOK_MEETING
from handlers.labels import register
from handlers.labels.chat import expiring_lines
from handlers.labels.common import router, today
from handlers.labels.texts import TEXTS, days, level_name, long_date
from storage import labels as store
from storage.labels import Cluster

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger("cedbot.labels")

THRESHOLDS = (30, 90)
"""Days before expiry when a reminder goes out; each is sent once per expiry date."""


def due_threshold(days_left: int) -> int | None:
    """The threshold a label with ``days_left`` has reached (the nearest one), if any."""
    if days_left < 0:
        return None
    return next((t for t in sorted(THRESHOLDS) if days_left <= t), None)


def reminder(n: Notifier, lang: Lang, cluster: Cluster, days_left: int) -> Reply:
    assert cluster.valid_until is not None
    text = TEXTS(
        lang,
        "reminder",
        level=level_name(lang, cluster.label),
        name=escape(cluster.name),
        date=long_date(lang, cluster.valid_until),
        days=days(lang, days_left),
    )
    book_meeting = n.capability(BOOK_MEETING)
    buttons = [[book_meeting(TEXTS(lang, "btn_book"), "labels")]] if book_meeting else []
    return Reply(text, buttons=buttons, ref=f"labels:reminder:{cluster.id}")


def _reminder_for(n: Notifier, cluster: Cluster, days_left: int) -> Callable[[Lang], Reply]:
    return lambda lang: reminder(n, lang, cluster, days_left)


async def send_reminders(n: Notifier) -> int:
    """Queue every reminder that is due; returns how many were queued.

    Each reminder is claimed with a row (unique per person, cluster, threshold and expiry
    date) in the same transaction as its outbox message, so a second run or a second worker
    never sends it again, and a rolled-back run sends nothing.
    """
    on, sent = today(n.now), 0
    for person_id, cluster in await store.followed_labels(n.session):
        left = cluster.days_left(on)
        threshold = due_threshold(left) if left is not None else None
        if threshold is None or left is None or cluster.valid_until is None:
            continue
        if not await store.record_reminder(n.session, person_id, cluster.id, threshold, cluster.valid_until, n.now):
            continue
        if await n.notify_person(person_id, _reminder_for(n, cluster, left)):
            sent += 1
    return sent


@router.job("label-expiry-reminders", every=timedelta(hours=1))
async def reminders_job(n: Notifier) -> None:
    sent = await send_reminders(n)
    if sent:
        log.info("queued %s label expiry reminder(s)", sent)


@router.job("label-expiry-summary", every=timedelta(days=7))
async def weekly_summary(n: Notifier) -> None:
    """The advisers' list of labels running out in the next 90 days, in the adviser channel."""
    if n.settings.adviser_channel is None:
        return
    clusters = await store.all_clusters(n.session)
    lang = n.settings.default_language
    lines = expiring_lines(lang, clusters, today(n.now))
    soon = len(lines) - 1 if len(lines) > 1 else 0
    if not soon:  # nothing to act on: a message saying so is noise in the advisers' channel
        return
    text = "\n".join([TEXTS(lang, "summary_title", count=soon), *lines[1:]])
    n.notify_advisers(Reply(text, ref="labels:summary"))


@router.on_startup
async def load_sample(runtime: Runtime) -> None:
    """Fill an empty register with the fictional sample, on the embedded SQLite default only.

    A PostgreSQL deployment is a real one: its register is imported on purpose, and must
    never be seeded with invented clusters.
    """
    if not runtime.settings.loads_samples:
        return
    try:
        async with runtime.sessions() as session, session.begin():
            if await store.count_clusters(session) == 0:
                changes = await register.import_file(session, register.SAMPLE, runtime.clock(), dry_run=False)
                log.info("loaded the sample label register (%s fictional clusters)", changes.new)
    except IntegrityError:  # another worker loaded it at the same moment
        pass
