"""Tables for bookings: the course catalogue and seats, adviser slots and meetings.

The guarantees live in the schema, so they hold with any number of worker processes:
a person holds at most one active booking per course, a place in the waiting order is
unique per course, and a slot carries at most one active meeting (partial unique
indexes, which SQLite and PostgreSQL both enforce).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models import Base, status_type, utcnow


class SeatStatus(enum.StrEnum):
    """Where a course booking stands."""

    SEAT = "seat"
    """Has a seat on the course."""
    WAITING = "waiting"
    """On the waiting list; promoted in order when a seat frees up."""
    CANCELLED = "cancelled"
    """Cancelled by the person (kept for the record)."""


class MeetingStatus(enum.StrEnum):
    """Where an adviser meeting stands."""

    BOOKED = "booked"
    """The slot is taken by this meeting."""
    CANCELLED = "cancelled"
    """Cancelled by the person or because the adviser removed the slot."""


class Course(Base):
    """A course in the catalogue; booked as a whole (all its sessions)."""

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title_en: Mapped[str] = mapped_column(String(200))
    title_da: Mapped[str] = mapped_column(String(200))
    description_en: Mapped[str] = mapped_column(Text)
    description_da: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2))
    location: Mapped[str | None] = mapped_column(String(200))
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    price: Mapped[int] = mapped_column(Integer, default=0)
    """Price in Danish kroner; 0 means free."""
    capacity: Mapped[int] = mapped_column(Integer)
    registration_deadline: Mapped[datetime]
    starts_at: Mapped[datetime] = mapped_column(index=True)
    """The first session's start, kept here so listing and closing need no join."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    sessions: Mapped[list[CourseSession]] = relationship(
        back_populates="course",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="CourseSession.start",
    )

    def title(self, lang: str) -> str:
        return self.title_da if lang == "da" else self.title_en

    def description(self, lang: str) -> str:
        return self.description_da if lang == "da" else self.description_en


class CourseSession(Base):
    """One day (or part of a day) of a course."""

    __tablename__ = "course_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    start: Mapped[datetime]
    end: Mapped[datetime]

    course: Mapped[Course] = relationship(back_populates="sessions")


class Contact(Base):
    """A person's contact details for bookings, remembered for next time."""

    __tablename__ = "booking_contacts"

    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    organisation: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CourseBooking(Base):
    """A seat or a waiting-list place on a course, with the contact details given."""

    __tablename__ = "course_bookings"
    __table_args__ = (
        # One active booking per person and course, on both databases.
        Index(
            "uq_course_bookings_active",
            "course_id",
            "person_id",
            unique=True,
            sqlite_where=text("status != 'cancelled'"),
            postgresql_where=text("status != 'cancelled'"),
        ),
        # The booking order is strict: two bookings never share a place in it.
        UniqueConstraint("course_id", "queue_no", name="uq_course_bookings_queue"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    status: Mapped[SeatStatus] = mapped_column(status_type(SeatStatus))
    queue_no: Mapped[int] = mapped_column(Integer)
    """Order of booking on this course; the waiting list is served in this order."""
    name: Mapped[str] = mapped_column(String(100))
    organisation: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Slot(Base):
    """An adviser's free time, offered for meetings."""

    __tablename__ = "advice_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    start: Mapped[datetime] = mapped_column(index=True)
    minutes: Mapped[int] = mapped_column(Integer)
    adviser_name: Mapped[str] = mapped_column(String(100))
    adviser_key: Mapped[str | None] = mapped_column(String(120))
    """The adviser's identity (``slack:U123``) when the slot was added in chat or named in the file."""
    online: Mapped[bool] = mapped_column(Boolean, default=True)
    place: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None]


class Meeting(Base):
    """A booked adviser meeting on one slot."""

    __tablename__ = "advice_meetings"
    __table_args__ = (
        # A slot is taken by one active meeting at most; this is what decides a race.
        Index(
            "uq_advice_meetings_slot",
            "slot_id",
            unique=True,
            sqlite_where=text("status = 'booked'"),
            postgresql_where=text("status = 'booked'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("advice_slots.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(String(100))
    organisation: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    status: Mapped[MeetingStatus] = mapped_column(status_type(MeetingStatus))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """The calendar SEQUENCE: raised on every move and on cancellation."""


class CallbackRequest(Base):
    """ "None of these times suit me": the advisers call or write back."""

    __tablename__ = "advice_callbacks"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(String(100))
    organisation: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReminderSent(Base):
    """A reminder that went out; the key (``course:12``, ``meeting:7@33``) makes it once only."""

    __tablename__ = "booking_reminders"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
