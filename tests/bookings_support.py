"""Helpers for the booking tests: a course or slot of a chosen size, people with details."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.runtime import Runtime
from storage import bookings_repo as repo
from storage import repos
from storage.bookings import Course, CourseSession, Slot


async def add_course(
    rt: Runtime,
    now: datetime,
    *,
    capacity: int = 2,
    days: int = 30,
    code: str = "T-1",
    deadline_days: int = 0,
) -> int:
    start = now + timedelta(days=days)
    async with rt.sessions() as session, session.begin():
        course = Course(
            code=code,
            title_en="Test course",
            title_da="Testkursus",
            description_en="A course for tests.",
            description_da="Et kursus til test.",
            language="da",
            location="Odense",
            online=False,
            price=0,
            capacity=capacity,
            registration_deadline=start - timedelta(days=deadline_days or 1),
            starts_at=start,
            created_at=now,
            sessions=[CourseSession(start=start, end=start + timedelta(hours=6))],
        )
        session.add(course)
        await session.flush()
        return course.id


async def add_slot(rt: Runtime, now: datetime, *, days: int = 10, adviser: str = "Test Adviser") -> int:
    async with rt.sessions() as session, session.begin():
        slot = Slot(start=now + timedelta(days=days), minutes=60, adviser_name=adviser, online=True, created_at=now)
        session.add(slot)
        await session.flush()
        return slot.id


async def person_with_details(rt: Runtime, user: str, now: datetime) -> int:
    """A console person whose name, organisation and e-mail are already remembered."""
    async with rt.sessions() as session, session.begin():
        person = await repos.person_for(session, "console", user, user, now, user)
        await repo.save_contact(session, person.id, f"Person {user}", "Test Cluster", f"{user}@example.dk", now)
        return person.id
