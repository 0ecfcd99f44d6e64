"""What the course and slot files share: their date-and-time fields.

Reading, checking and reporting are the common import pipeline's (:mod:`fileimport`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BeforeValidator

from handlers.bookings import timefmt

EARLIEST, LATEST = 2000, 2100
"""Years a course or a slot may fall in; beyond them a typo, or a date the database cannot store."""


def _moment(value: object) -> datetime:
    if not isinstance(value, str | datetime):
        raise ValueError(f"{value!r} is not a date and time; write e.g. 2027-01-12 10:00")
    try:
        moment = timefmt.parse(value)
    except OverflowError:  # 9999-12-31 23:59 in Copenhagen is past the last UTC instant
        raise ValueError(f"{value!r} is not a date and time we can store") from None
    if not EARLIEST <= moment.year <= LATEST:
        raise ValueError(f"must be between the years {EARLIEST} and {LATEST}")
    return moment


When = Annotated[datetime, BeforeValidator(_moment)]
"""A date and time in the file: Copenhagen time unless it carries a zone; a UTC instant once read."""
