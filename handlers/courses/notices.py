"""How a course is described, its calendar invite, and messages to a booker who did not ask."""

from __future__ import annotations

from datetime import datetime

from bot.context import Notifier
from bot.markup import escape
from bot.types import Attachment, Lang, Reply
from handlers.bookings import timefmt
from handlers.bookings.invite import invite, place_and_link
from handlers.courses.texts import TEXTS
from storage.bookings import Course, CourseBooking


def title(course: Course, lang: Lang) -> str:
    return escape(course.title(lang.value))


def when(course: Course, lang: Lang) -> str:
    """Every session, so a two-day course shows both days."""
    if not course.sessions:
        return timefmt.when(course.starts_at, lang)
    return "; ".join(timefmt.span(s.start, s.end, lang) for s in course.sessions)


def where(course: Course, lang: Lang) -> str:
    online = TEXTS(lang, "online")
    if course.online and course.location:
        return f"{escape(course.location)} / {online}"
    return escape(course.location) if course.location else online


def calendar(course: Course, booking: CourseBooking, lang: Lang, now: datetime, *, cancel: bool = False) -> Attachment:
    """The seat for a calendar; a cancellation withdraws it (a seat is never moved: SEQUENCE 1)."""
    location, link = place_and_link(course.location, course.online, TEXTS(lang, "online"))
    notes = [course.description(lang.value)]
    if course.online and not link:
        notes.append(TEXTS(lang, "ics_link_later"))
    return invite(
        f"ced-course-{course.id}-booking-{booking.id}",
        course.title(lang.value),
        [(s.start, s.end) for s in course.sessions],
        now,
        location=location,
        link=link,
        description="\n\n".join(notes),
        filename=f"ced-course-{course.code}.ics",
        sequence=1 if cancel else 0,
        cancel=cancel,
    )


async def promoted(n: Notifier, course: Course, booking: CourseBooking) -> None:
    """Tell someone from the waiting list, on their own channel, that the seat is theirs."""

    def reply(lang: Lang) -> Reply:
        text = TEXTS(lang, "promoted", title=title(course, lang), when=when(course, lang))
        return Reply(text, attachments=[calendar(course, booking, lang, n.now)])

    await n.notify_person(booking.person_id, reply)


async def reminder(n: Notifier, course: Course, booking: CourseBooking) -> None:
    def reply(lang: Lang) -> Reply:
        return Reply(
            TEXTS(
                lang,
                "reminder",
                title=title(course, lang),
                when=when(course, lang),
                where=where(course, lang),
            )
        )

    await n.notify_person(booking.person_id, reply)
