"""Dates as people type them in booking files and flows (shown through :mod:`bot.formatting`)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot import formatting
from bot.formatting import local, short, span, when

__all__ = ["clip", "local", "parse", "short", "span", "when"]


def parse(value: str | datetime | date) -> datetime:
    """``2027-01-12 10:00`` (Copenhagen time unless it carries a zone) -> a UTC instant."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        raise ValueError("a time of day is missing; write e.g. 2027-01-12 10:00")
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip().replace("T", " "))
        except ValueError:
            raise ValueError(f"{value!r} is not a date and time; write e.g. 2027-01-12 10:00") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=formatting.zone())
    return moment.astimezone(UTC)


def clip(label: str, limit: int = 64) -> str:
    """Shorten a button label that would wrap or be cut by the platform."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"
