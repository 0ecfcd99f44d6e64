"""The month in figures, for the desk's Figures page and the monthly report to CED's funders.

Everything is counted from the tables the features already keep; nothing is stored for it.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import formatting
from handlers.labels.common import status
from storage import handoff as tickets
from storage import labels as store
from storage.bookings import Course, CourseBooking, Meeting, MeetingStatus, SeatStatus, Slot
from storage.faq import FaqAnswer, FaqDeclined

LEVELS = ("gold", "silver", "bronze", "expired", "none")
EXPIRING_DAYS = 90


class MonthError(ValueError):
    """Not a month such as 2026-11."""


@dataclass(frozen=True)
class Month:
    """A calendar month in Denmark, as UTC instants [start, end)."""

    first: date

    @classmethod
    def parse(cls, text: str) -> Month:
        m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
        if not m or not 1 <= int(m.group(2)) <= 12 or not 2000 <= int(m.group(1)) <= 2100:
            raise MonthError(f"{text!r} is not a month such as 2026-11")
        return cls(date(int(m.group(1)), int(m.group(2)), 1))

    @classmethod
    def of(cls, moment: datetime) -> Month:
        local = moment.astimezone(formatting.zone())
        return cls(date(local.year, local.month, 1))

    @property
    def label(self) -> str:
        return f"{self.first:%Y-%m}"

    @property
    def next_first(self) -> date:
        return (self.first.replace(day=28) + timedelta(days=4)).replace(day=1)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(0), tzinfo=formatting.zone()).astimezone(UTC)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.next_first, time(0), tzinfo=formatting.zone()).astimezone(UTC)

    @property
    def last_day(self) -> date:
        return self.next_first - timedelta(days=1)


@dataclass
class Figures:
    """One month's figures."""

    month: Month
    weeks: dict[str, tuple[int, int]] = field(default_factory=dict)
    """ISO week (``2026-W45``) -> (answered, declined)."""
    answered: int = 0
    declined: int = 0
    helpful: int = 0
    not_helpful: int = 0
    top_topics: list[tuple[str, int]] = field(default_factory=list)
    handoffs: int = 0
    claimed: int = 0
    resolved: int = 0
    minutes_to_claim: float | None = None
    """Median minutes from a ticket to its first claim."""
    ratings: dict[int, int] = field(default_factory=dict)
    seats_booked: int = 0
    waiting_booked: int = 0
    courses_run: int = 0
    fill_rate: float | None = None
    """Seats taken over capacity, for the courses starting this month."""
    meetings: int = 0
    slots: int = 0
    labels: dict[str, int] = field(default_factory=dict)
    expiring: int = 0

    @property
    def questions(self) -> int:
        return self.answered + self.declined

    @property
    def answered_share(self) -> float | None:
        return self.answered / self.questions if self.questions else None

    @property
    def average_rating(self) -> float | None:
        total = sum(self.ratings.values())
        return sum(k * n for k, n in self.ratings.items()) / total if total else None


def _week(moment: datetime) -> str:
    year, week, _ = moment.astimezone(formatting.zone()).isocalendar()
    return f"{year}-W{week:02d}"


async def month_figures(session: AsyncSession, month: Month) -> Figures:
    f = Figures(month)
    await _questions(session, f)
    await _handoffs(session, f)
    await _bookings(session, f)
    await _labels(session, f)
    return f


async def _questions(session: AsyncSession, f: Figures) -> None:
    m = f.month
    answers = (
        (await session.execute(select(FaqAnswer).where(FaqAnswer.at >= m.start, FaqAnswer.at < m.end))).scalars().all()
    )
    stmt = select(FaqDeclined.at).where(FaqDeclined.at >= m.start, FaqDeclined.at < m.end)
    declined = list((await session.execute(stmt)).scalars())
    weeks: dict[str, list[int]] = {}
    day = m.first
    while day < m.next_first:  # every week of the month, empty ones too
        weeks.setdefault(_week(datetime.combine(day, time(12), tzinfo=formatting.zone())), [0, 0])
        day += timedelta(days=1)
    for a in answers:
        weeks.setdefault(_week(a.at), [0, 0])[0] += 1
    for at in declined:
        weeks.setdefault(_week(at), [0, 0])[1] += 1
    f.weeks = {w: (v[0], v[1]) for w, v in sorted(weeks.items())}
    f.answered, f.declined = len(answers), len(declined)
    f.helpful = sum(1 for a in answers if a.helpful is True)
    f.not_helpful = sum(1 for a in answers if a.helpful is False)
    f.top_topics = Counter(a.entry_id for a in answers).most_common(10)


async def _handoffs(session: AsyncSession, f: Figures) -> None:
    m = f.month
    stmt = select(tickets.Ticket).where(tickets.Ticket.created_at >= m.start, tickets.Ticket.created_at < m.end)
    rows = (await session.execute(stmt)).scalars().all()
    f.handoffs = len(rows)
    waits = [(t.claimed_at - t.created_at).total_seconds() / 60 for t in rows if t.claimed_at is not None]
    f.claimed = len(waits)
    f.minutes_to_claim = statistics.median(waits) if waits else None
    f.resolved = sum(1 for t in rows if t.status == tickets.TicketStatus.RESOLVED)
    f.ratings = {k: 0 for k in range(1, 6)}
    for t in rows:
        if t.rating in f.ratings:
            f.ratings[t.rating] += 1


async def _bookings(session: AsyncSession, f: Figures) -> None:
    m = f.month
    statuses = select(CourseBooking.status).where(CourseBooking.created_at >= m.start, CourseBooking.created_at < m.end)
    made = Counter((await session.execute(statuses)).scalars())
    f.seats_booked, f.waiting_booked = made[SeatStatus.SEAT], made[SeatStatus.WAITING]
    courses = (
        (await session.execute(select(Course).where(Course.starts_at >= m.start, Course.starts_at < m.end)))
        .scalars()
        .all()
    )
    f.courses_run = len(courses)
    capacity = sum(c.capacity for c in courses)
    if capacity:
        stmt = select(CourseBooking.id).where(
            CourseBooking.course_id.in_([c.id for c in courses]), CourseBooking.status == SeatStatus.SEAT
        )
        f.fill_rate = len((await session.execute(stmt)).all()) / capacity
    stmt = select(Meeting.id).where(
        Meeting.created_at >= m.start, Meeting.created_at < m.end, Meeting.status == MeetingStatus.BOOKED
    )
    f.meetings = len((await session.execute(stmt)).all())
    slots = select(Slot.id).where(Slot.start >= m.start, Slot.start < m.end, Slot.removed_at.is_(None))
    f.slots = len((await session.execute(slots)).all())


async def _labels(session: AsyncSession, f: Figures) -> None:
    on = f.month.last_day
    counts = dict.fromkeys(LEVELS, 0)
    expiring = 0
    for c in await store.all_clusters(session):
        counts[status(c, on)] += 1
        left = c.days_left(on)
        if left is not None and 0 <= left <= EXPIRING_DAYS:
            expiring += 1
    f.labels, f.expiring = counts, expiring
