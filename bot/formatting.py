"""Dates, times and numbers as the person reads them: babel, their language, the office time zone.

Every feature formats through here, so a Danish reader never meets an English weekday and an
English reader never meets a Danish thousands separator. The time zone is the one setting
``CEDBOT_OFFICE_TIMEZONE``; the runtime applies it at start (:func:`use_timezone`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.types import Lang

DEFAULT_TIMEZONE = "Europe/Copenhagen"
_zone = ZoneInfo(DEFAULT_TIMEZONE)

_LONG = {Lang.EN: "EEE d MMM y, HH:mm", Lang.DA: "EEE d. MMM y 'kl.' HH:mm"}
_SHORT = {Lang.EN: "EEE d MMM, HH:mm", Lang.DA: "EEE d. MMM 'kl.' HH:mm"}
_DAY = {Lang.EN: "d MMMM y", Lang.DA: "d. MMMM y"}
_WEEKDAY_DAY = {Lang.EN: "EEE d MMM y", Lang.DA: "EEE d. MMM y"}


def use_timezone(name: str) -> None:
    """Make ``name`` (a validated setting) the zone every local date and time is shown in."""
    global _zone
    _zone = ZoneInfo(name)


def zone() -> ZoneInfo:
    """The office time zone."""
    return _zone


def _fmt(moment: datetime, pattern: str, lang: Lang) -> str:
    from babel.dates import format_datetime  # babel's locale data loads on first use

    return format_datetime(moment, pattern, tzinfo=_zone, locale=lang.value)


def when(moment: datetime, lang: Lang) -> str:
    """``Tue 12 Jan 2027, 10:00`` / ``tirs. 12. jan. 2027 kl. 10:00``."""
    return _fmt(moment, _LONG[lang], lang)


def short(moment: datetime, lang: Lang) -> str:
    """Without the year, for button labels and notices."""
    return _fmt(moment, _SHORT[lang], lang)


def clock(moment: datetime, lang: Lang) -> str:
    """``10:00``."""
    return _fmt(moment, "HH:mm", lang)


def span(start: datetime, end: datetime, lang: Lang) -> str:
    """``Tue 12 Jan 2027, 10:00-11:00`` (the end date is shown when it is another day)."""
    same_day = start.astimezone(_zone).date() == end.astimezone(_zone).date()
    tail = clock(end, lang) if same_day else when(end, lang)
    return f"{when(start, lang)}–{tail}"


def long_date(value: date, lang: Lang) -> str:
    """``14 December 2026`` / ``14. december 2026``."""
    from babel.dates import format_date

    return format_date(value, _DAY[lang], locale=lang.value)


def weekday_date(value: date, lang: Lang) -> str:
    """``Tue 12 Jan 2027`` / ``tirs. 12. jan. 2027``, for a day without a time."""
    from babel.dates import format_date

    return format_date(value, _WEEKDAY_DAY[lang], locale=lang.value)


def iso_local(moment: datetime) -> str:
    """``2027-01-12 10:00`` in the office zone, for registers and CSV files read by staff."""
    return moment.astimezone(_zone).strftime("%Y-%m-%d %H:%M")


def today(now: datetime) -> date:
    """The office's date: a label valid until the 14th is valid all of the Danish 14th."""
    return now.astimezone(_zone).date()


def local(day: date, at: time) -> datetime:
    """An office wall-clock time as a UTC instant."""
    return datetime.combine(day, at, tzinfo=_zone).astimezone(UTC)


def number(value: float, lang: Lang) -> str:
    """``1,500`` / ``1.500``."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=lang.value)


def office_hours(value: str, lang: Lang) -> str:
    """``mon-fri 09:00-16:00`` as the reader writes it: ``Mon–Fri 09:00–16:00`` / ``man.–fre. 09:00–16:00``."""
    import re

    from babel.dates import get_day_names

    names = get_day_names("abbreviated", locale=lang.value)
    order = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

    def day(match: re.Match[str]) -> str:
        return str(names[order.index(match.group(0).lower())])

    return re.sub(r"\b(mon|tue|wed|thu|fri|sat|sun)\b", day, value, flags=re.IGNORECASE)
