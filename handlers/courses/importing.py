"""The course catalogue file: its format, its checks, and writing it (all or nothing)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from bot.context import Notifier
from fileimport import INT32_MAX, Check, FileProblem, Line, Para, Problem, Row, yaml_rows
from handlers.bookings.catalogue import When
from handlers.courses import notices
from storage import bookings_repo as repo
from storage.bookings import Course, CourseSession

SAMPLE = Path(__file__).parent.parent / "bookings" / "samples" / "courses.yaml"


class Titles(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    en: Line = Field(min_length=1, max_length=200)
    da: Line = Field(min_length=1, max_length=200)


class Texts(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    en: Para = Field(min_length=1, max_length=4000)
    da: Para = Field(min_length=1, max_length=4000)


class SessionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: When
    end: When


class CourseIn(BaseModel):
    """One course in the file; times are Copenhagen time unless they carry a zone."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    code: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
    title: Titles
    description: Texts
    language: Literal["da", "en"]
    location: Annotated[Line, Field(max_length=200)] | None = None
    online: bool = False
    price: int = Field(0, ge=0, le=INT32_MAX)
    capacity: int = Field(ge=1, le=10_000)
    registration_deadline: When
    sessions: list[SessionIn] = Field(min_length=1, max_length=100)


def checker(now: datetime) -> Check[CourseIn]:
    seen: set[str] = set()

    def check(course: CourseIn) -> list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        if course.code.lower() in seen:
            problems.append(("code", f"{course.code} appears twice in the file"))
        seen.add(course.code.lower())
        if not course.online and not course.location:
            problems.append(("location", "give a location, or 'online: true'"))
        for n, s in enumerate(course.sessions):
            if s.end <= s.start:
                problems.append((f"sessions[{n}].end", "must be after the start"))
            if s.start <= now:
                problems.append((f"sessions[{n}].start", "is in the past"))
        first = min(s.start for s in course.sessions)
        if course.registration_deadline > first:
            problems.append(("registration_deadline", "must not be after the first session starts"))
        if course.registration_deadline <= now:
            problems.append(("registration_deadline", "is in the past"))
        return problems

    return check


def read(text: str, now: datetime, file: str = SAMPLE.name) -> list[Row[CourseIn]]:
    """Every course in the file, checked; raises :class:`FileProblem` listing every mistake."""
    return yaml_rows(text, file, "courses", CourseIn, "course", checker(now))


@dataclass
class Outcome:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    promoted: int = 0


async def write(n: Notifier, rows: list[Row[CourseIn]]) -> Outcome:
    """Create or update (by code) every course; seats a larger capacity frees go to the waiting list."""
    outcome = Outcome()
    errors: list[Problem] = []
    for row in rows:
        c = row.value
        existing = await n.session.scalar(select(Course.id).where(Course.code == c.code))
        course = await repo.lock_course(n.session, existing) if existing else None
        if course is None:
            course = Course(code=c.code, created_at=n.now)
            n.session.add(course)
            outcome.created.append(c.code)
        else:
            seats, _ = await repo.counts(n.session, course.id)
            if c.capacity < seats:
                message = f"{c.capacity} is less than the {seats} seats already booked on {c.code}"
                errors.append(Problem(row.file, row.line, message, "capacity", f"course {row.number}"))
                continue
            outcome.updated.append(c.code)
        _fill(course, c)
        await n.session.flush()
        promoted = await repo.fill_seats(n.session, course, n.now)
        for booking in promoted:
            await notices.promoted(n, course, booking)
        outcome.promoted += len(promoted)
    if errors:
        raise FileProblem(errors)
    return outcome


def _fill(course: Course, c: CourseIn) -> None:
    course.title_en, course.title_da = c.title.en, c.title.da
    course.description_en, course.description_da = c.description.en, c.description.da
    course.language, course.location, course.online = c.language, c.location, c.online
    course.price, course.capacity = c.price, c.capacity
    course.registration_deadline = c.registration_deadline
    ordered = sorted(c.sessions, key=lambda s: s.start)
    course.starts_at = ordered[0].start
    course.sessions = [CourseSession(start=s.start, end=s.end) for s in ordered]
