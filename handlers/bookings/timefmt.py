"""Dates as people in Denmark read and type them: Copenhagen time, in their language."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from bot.types import Lang

TZ = ZoneInfo("Europe/Copenhagen")

_LONG = {Lang.EN: "EEE d MMM y, HH:mm", Lang.DA: "EEE d. MMM y 'kl.' HH:mm"}
_SHORT = {Lang.EN: "EEE d MMM, HH:mm", Lang.DA: "EEE d. MMM 'kl.' HH:mm"}


def when(moment: datetime, lang: Lang) -> str:
    """``Tue 12 Jan 2027, 10:00`` / ``tirs. 12. jan. 2027 kl. 10:00``."""
    return format_datetime(moment, _LONG[lang], tzinfo=TZ, locale=lang.value)


def short(moment: datetime, lang: Lang) -> str:
    """Without the year, for button labels."""
    return format_datetime(moment, _SHORT[lang], tzinfo=TZ, locale=lang.value)


def span(start: datetime, end: datetime, lang: Lang) -> str:
    """``Tue 12 Jan 2027, 10:00-11:00`` (the end date is shown when it is another day)."""
    same_day = start.astimezone(TZ).date() == end.astimezone(TZ).date()
    tail = format_datetime(end, "HH:mm", tzinfo=TZ, locale=lang.value) if same_day else when(end, lang)
    return f"{when(start, lang)}–{tail}"


def local(day: date, clock: time) -> datetime:
    """A Copenhagen wall-clock time as a UTC instant."""
    return datetime.combine(day, clock, tzinfo=TZ).astimezone(UTC)


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
        moment = moment.replace(tzinfo=TZ)
    return moment.astimezone(UTC)


def clip(label: str, limit: int = 64) -> str:
    """Shorten a button label that would wrap or be cut by the platform."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"
