"""Queries and the concurrency-critical writes for bookings. They take a session and never commit.

How a race is decided, on either database:
- Seats: every change on a course first takes :func:`lock_course`. On PostgreSQL that is a
  ``SELECT ... FOR UPDATE`` on the course row, so counting the seats and taking one happen as
  one step per course; on SQLite the core's ``BEGIN IMMEDIATE`` gives each writing transaction
  the database alone. The unique indexes (one active booking per person and course, one place
  per number in the booking order) are the backstop that turns any mistake into an error
  rather than an oversold course.
- Slots: the partial unique index on a booked slot decides; the loser's insert fails inside a
  savepoint and the transaction carries on to tell them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.bookings import (
    CallbackRequest,
    Contact,
    Course,
    CourseBooking,
    Meeting,
    MeetingStatus,
    ReminderSent,
    SeatStatus,
    Slot,
)

ACTIVE_SEAT = (SeatStatus.SEAT, SeatStatus.WAITING)


class AlreadyBooked(Exception):
    """The person already holds an active booking on this course."""


# Contact details -----------------------------------------------------------------------------


async def get_contact(session: AsyncSession, person_id: int) -> Contact | None:
    return await session.get(Contact, person_id)


async def save_contact(
    session: AsyncSession, person_id: int, name: str, organisation: str, email: str, now: datetime
) -> Contact:
    contact = await session.get(Contact, person_id)
    if contact is None:
        contact = Contact(person_id=person_id, name=name, organisation=organisation, email=email)
        try:
            async with session.begin_nested():
                session.add(contact)
        except IntegrityError:  # the same person saved from two chats at once
            contact = await session.get_one(Contact, person_id, populate_existing=True)
    contact.name, contact.organisation, contact.email, contact.updated_at = name, organisation, email, now
    return contact


# Courses -------------------------------------------------------------------------------------


async def lock_course(session: AsyncSession, course_id: int) -> Course | None:
    """The course, with its row locked until the transaction ends (PostgreSQL; see above)."""
    found = await session.scalar(select(Course.id).where(Course.id == course_id).with_for_update())
    if found is None:
        return None
    return await session.get(Course, found, populate_existing=True)


async def course_by_code_or_id(session: AsyncSession, key: str) -> Course | None:
    course = await session.scalar(select(Course).where(Course.code == key))
    if course is None and key.isdigit():
        course = await session.get(Course, int(key))
    return course


async def upcoming_courses(session: AsyncSession, now: datetime) -> Sequence[Course]:
    stmt = select(Course).where(Course.starts_at > now).order_by(Course.starts_at, Course.id)
    return (await session.execute(stmt)).scalars().all()


async def all_courses(session: AsyncSession) -> Sequence[Course]:
    return (await session.execute(select(Course).order_by(Course.starts_at, Course.id))).scalars().all()


async def counts(session: AsyncSession, course_id: int) -> tuple[int, int]:
    """(seats taken, people waiting) on a course."""
    stmt = (
        select(CourseBooking.status, func.count())
        .where(CourseBooking.course_id == course_id, CourseBooking.status.in_(ACTIVE_SEAT))
        .group_by(CourseBooking.status)
    )
    found = {status: int(n) for status, n in (await session.execute(stmt)).all()}
    return found.get(SeatStatus.SEAT, 0), found.get(SeatStatus.WAITING, 0)


async def active_booking(session: AsyncSession, course_id: int, person_id: int) -> CourseBooking | None:
    stmt = select(CourseBooking).where(
        CourseBooking.course_id == course_id,
        CourseBooking.person_id == person_id,
        CourseBooking.status.in_(ACTIVE_SEAT),
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def book_course(
    session: AsyncSession, course: Course, person_id: int, contact: Contact, now: datetime
) -> CourseBooking:
    """A seat, or the next place on the waiting list. The caller holds :func:`lock_course`."""
    seats, waiting = await counts(session, course.id)
    # Newcomers queue behind anyone already waiting, even if a seat is momentarily free.
    status = SeatStatus.SEAT if seats < course.capacity and waiting == 0 else SeatStatus.WAITING
    last = await session.scalar(select(func.max(CourseBooking.queue_no)).where(CourseBooking.course_id == course.id))
    booking = CourseBooking(
        course_id=course.id,
        person_id=person_id,
        status=status.value,
        queue_no=(last or 0) + 1,
        name=contact.name,
        organisation=contact.organisation,
        email=contact.email,
        created_at=now,
        updated_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(booking)
    except IntegrityError:
        raise AlreadyBooked from None
    return booking


async def waiting_position(session: AsyncSession, booking: CourseBooking) -> int:
    """1 for the first on the waiting list."""
    stmt = select(func.count()).where(
        CourseBooking.course_id == booking.course_id,
        CourseBooking.status == SeatStatus.WAITING,
        CourseBooking.queue_no <= booking.queue_no,
    )
    return int(await session.scalar(stmt) or 0)


async def cancel_booking(
    session: AsyncSession, course: Course, booking: CourseBooking, now: datetime
) -> Sequence[CourseBooking]:
    """Cancel; a freed seat goes to the first on the waiting list, who is returned."""
    was_seat = booking.status == SeatStatus.SEAT
    booking.status, booking.updated_at = SeatStatus.CANCELLED, now
    await session.flush()
    return await fill_seats(session, course, now) if was_seat else []


async def fill_seats(session: AsyncSession, course: Course, now: datetime) -> Sequence[CourseBooking]:
    """Promote people from the waiting list, in order, into free seats (after a cancellation or
    a larger capacity). The caller holds :func:`lock_course`."""
    seats, _ = await counts(session, course.id)
    free = course.capacity - seats
    if free <= 0:
        return []
    stmt = (
        select(CourseBooking)
        .where(CourseBooking.course_id == course.id, CourseBooking.status == SeatStatus.WAITING)
        .order_by(CourseBooking.queue_no)
        .limit(free)
    )
    promoted = (await session.execute(stmt)).scalars().all()
    for booking in promoted:
        booking.status, booking.updated_at = SeatStatus.SEAT, now
    await session.flush()
    return promoted


async def person_course_bookings(
    session: AsyncSession, person_id: int, now: datetime
) -> Sequence[tuple[CourseBooking, Course]]:
    stmt = (
        select(CourseBooking, Course)
        .join(Course, Course.id == CourseBooking.course_id)
        .where(
            CourseBooking.person_id == person_id,
            CourseBooking.status.in_(ACTIVE_SEAT),
            Course.starts_at > now,
        )
        .order_by(Course.starts_at)
    )
    return [(b, c) for b, c in (await session.execute(stmt)).all()]


async def participants(session: AsyncSession, course_id: int) -> Sequence[CourseBooking]:
    """Seats first, then the waiting list, each in booking order."""
    stmt = (
        select(CourseBooking)
        .where(CourseBooking.course_id == course_id, CourseBooking.status.in_(ACTIVE_SEAT))
        .order_by(CourseBooking.queue_no)
    )
    rows = (await session.execute(stmt)).scalars().all()
    return sorted(rows, key=lambda b: (b.status != SeatStatus.SEAT, b.queue_no))


async def seats_starting_between(
    session: AsyncSession, start: datetime, end: datetime
) -> Sequence[tuple[CourseBooking, Course]]:
    stmt = (
        select(CourseBooking, Course)
        .join(Course, Course.id == CourseBooking.course_id)
        .where(
            CourseBooking.status == SeatStatus.SEAT,
            Course.starts_at > start,
            Course.starts_at <= end,
        )
        .order_by(CourseBooking.id)
    )
    return [(b, c) for b, c in (await session.execute(stmt)).all()]


# Slots and meetings --------------------------------------------------------------------------


async def free_slots(session: AsyncSession, now: datetime, limit: int = 5) -> Sequence[Slot]:
    stmt = (
        select(Slot)
        .where(
            Slot.start > now,
            Slot.removed_at.is_(None),
            Slot.id.not_in(select(Meeting.slot_id).where(Meeting.status == MeetingStatus.BOOKED)),
        )
        .order_by(Slot.start, Slot.id)
        .limit(limit)
    )
    return (await session.execute(stmt)).scalars().all()


async def upcoming_slots(session: AsyncSession, now: datetime) -> Sequence[tuple[Slot, Meeting | None]]:
    """Every future slot with its active meeting (if booked), for the advisers' overview."""
    stmt = (
        select(Slot, Meeting)
        .outerjoin(Meeting, (Meeting.slot_id == Slot.id) & (Meeting.status == MeetingStatus.BOOKED))
        .where(Slot.start > now, Slot.removed_at.is_(None))
        .order_by(Slot.start, Slot.id)
    )
    return [(s, m) for s, m in (await session.execute(stmt)).all()]


async def meeting_on_slot(session: AsyncSession, slot_id: int) -> Meeting | None:
    stmt = select(Meeting).where(Meeting.slot_id == slot_id, Meeting.status == MeetingStatus.BOOKED)
    return (await session.execute(stmt)).scalar_one_or_none()


async def slot_exists(session: AsyncSession, adviser_name: str, start: datetime) -> bool:
    stmt = select(Slot.id).where(Slot.adviser_name == adviser_name, Slot.start == start, Slot.removed_at.is_(None))
    return (await session.scalar(stmt)) is not None


async def book_slot(
    session: AsyncSession,
    slot: Slot,
    person_id: int,
    topic: str,
    description: str,
    contact: Contact,
    now: datetime,
) -> Meeting | None:
    """The meeting, or None when someone else took the slot first."""
    meeting = Meeting(
        slot_id=slot.id,
        person_id=person_id,
        topic=topic,
        description=description,
        name=contact.name,
        organisation=contact.organisation,
        email=contact.email,
        status=MeetingStatus.BOOKED,
        created_at=now,
        updated_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(meeting)
    except IntegrityError:
        return None
    return meeting


async def move_meeting(session: AsyncSession, meeting: Meeting, slot: Slot, now: datetime) -> bool:
    """Move to another slot; False (and unchanged) when that slot was taken first."""
    try:
        async with session.begin_nested():
            meeting.slot_id, meeting.updated_at = slot.id, now
            meeting.sequence += 1  # calendars replace the event only for a higher SEQUENCE
            await session.flush()
    except IntegrityError:
        await session.refresh(meeting)
        return False
    return True


async def person_meetings(session: AsyncSession, person_id: int, now: datetime) -> Sequence[tuple[Meeting, Slot]]:
    stmt = (
        select(Meeting, Slot)
        .join(Slot, Slot.id == Meeting.slot_id)
        .where(
            Meeting.person_id == person_id,
            Meeting.status == MeetingStatus.BOOKED,
            Slot.start > now,
        )
        .order_by(Slot.start)
    )
    return [(m, s) for m, s in (await session.execute(stmt)).all()]


async def meetings_starting_between(
    session: AsyncSession, start: datetime, end: datetime
) -> Sequence[tuple[Meeting, Slot]]:
    stmt = (
        select(Meeting, Slot)
        .join(Slot, Slot.id == Meeting.slot_id)
        .where(Meeting.status == MeetingStatus.BOOKED, Slot.start > start, Slot.start <= end)
        .order_by(Meeting.id)
    )
    return [(m, s) for m, s in (await session.execute(stmt)).all()]


def add_callback(
    session: AsyncSession, person_id: int, topic: str, description: str, contact: Contact, now: datetime
) -> CallbackRequest:
    request = CallbackRequest(
        person_id=person_id,
        topic=topic,
        description=description,
        name=contact.name,
        organisation=contact.organisation,
        email=contact.email,
        created_at=now,
    )
    session.add(request)
    return request


# Reminders -----------------------------------------------------------------------------------


async def claim_reminder(session: AsyncSession, key: str, now: datetime) -> bool:
    """Record that the reminder ``key`` goes out now; False when it went out before."""
    if await session.get(ReminderSent, key) is not None:
        return False
    try:
        async with session.begin_nested():
            session.add(ReminderSent(key=key, sent_at=now))
    except IntegrityError:
        return False
    return True


async def cancel_meeting(session: AsyncSession, meeting: Meeting, now: datetime) -> bool:
    """Cancel once: False when it was already cancelled (a double tap, another worker)."""
    result = await session.execute(
        update(Meeting)
        .where(Meeting.id == meeting.id, Meeting.status == MeetingStatus.BOOKED)
        .values(status=MeetingStatus.CANCELLED, updated_at=now, sequence=Meeting.sequence + 1)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(meeting)
    return bool(result.rowcount)  # type: ignore[attr-defined]
