"""Calendar invites (``.ics``) for seats and meetings, made with the icalendar library."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.types import Attachment, AttachmentKind

PRODID = "-//Cluster Excellence Denmark//cedbot//EN"


def invite(
    uid: str,
    title: str,
    times: Sequence[tuple[datetime, datetime]],
    now: datetime,
    *,
    location: str = "",
    description: str = "",
    filename: str,
) -> Attachment:
    """One event per (start, end); ``uid`` keeps updates of the same booking together."""
    from icalendar import Calendar, Event  # here: only a booking needs it, not every start

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    for n, (start, end) in enumerate(times, 1):
        event = Event()
        event.add("uid", f"{uid}-{n}@cedbot.clusterexcellencedenmark.dk")
        event.add("dtstamp", now)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", title)
        if location:
            event.add("location", location)
        if description:
            event.add("description", description)
        cal.add_component(event)
    return Attachment(filename, cal.to_ical(), "text/calendar", AttachmentKind.FILE)
