"""What the chat commands, the reminders and the CLI share: the router, today's date, the register."""

from __future__ import annotations

from datetime import date, datetime

from bot import formatting
from bot.router import Router
from storage.labels import Cluster, Level

router = Router("labels")

EXPIRING_DAYS = 90


def today(now: datetime) -> date:
    """The date in Denmark: a label valid until the 14th is valid all of the Danish 14th."""
    return formatting.today(now)


def status(cluster: Cluster, on: date) -> str:
    """The bar a cluster counts in: its level, ``expired``, or ``none``."""
    left = cluster.days_left(on)
    if left is None:
        return Level.NONE.value
    return "expired" if left < 0 else cluster.label


def expiring(clusters: list[Cluster], on: date, within: int = EXPIRING_DAYS) -> list[Cluster]:
    """Valid labels that run out within ``within`` days, soonest first."""
    soon = [c for c in clusters if (left := c.days_left(on)) is not None and 0 <= left <= within]
    return sorted(soon, key=lambda c: (c.valid_until, c.name))
