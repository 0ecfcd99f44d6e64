"""Calendar invites (``.ics``) for seats and meetings, made with the icalendar library."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.types import Attachment, AttachmentKind

PRODID = "-//Cluster Excellence Denmark//cedbot//EN"
ORGANISER_NAME = "Cluster Excellence Denmark"
ORGANISER_EMAIL = "cedbot@clusterexcellencedenmark.dk"


def invite(
    uid: str,
    title: str,
    times: Sequence[tuple[datetime, datetime]],
    now: datetime,
    *,
    location: str = "",
    link: str = "",
    description: str = "",
    filename: str,
    sequence: int = 0,
    cancel: bool = False,
) -> Attachment:
    """One event per (start, end); ``uid`` keeps updates of the same booking together.

    Calendars replace an event they hold only when the SEQUENCE is higher than theirs, so a
    moved meeting comes with its raised sequence, and a cancellation is ``METHOD:CANCEL``.
    """
    from icalendar import Calendar, Event, vCalAddress, vText  # here: only a booking needs it

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancel else "PUBLISH")
    organiser = vCalAddress(f"mailto:{ORGANISER_EMAIL}")
    organiser.params["cn"] = vText(ORGANISER_NAME)
    for n, (start, end) in enumerate(times, 1):
        event = Event()
        event.add("uid", f"{uid}-{n}@cedbot.clusterexcellencedenmark.dk")
        event.add("dtstamp", now)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", title)
        event.add("sequence", sequence)
        event.add("organizer", organiser)
        event.add("status", "CANCELLED" if cancel else "CONFIRMED")
        if location:
            event.add("location", location)
        if link:
            event.add("url", link)
        if description:
            event.add("description", description)
        cal.add_component(event)
    return Attachment(filename, cal.to_ical(), "text/calendar", AttachmentKind.FILE)


def place_and_link(place: str | None, online: bool, online_word: str) -> tuple[str, str]:
    """(LOCATION, URL): a place that is a web address is the link; "online" alone says where
    only when there is nothing better."""
    place = (place or "").strip()
    if place.startswith(("https://", "http://")):
        return place, place
    if online and place:
        return f"{place} / {online_word}", ""
    return place or (online_word if online else ""), ""
