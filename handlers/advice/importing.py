"""The slots file: its format, its checks, and writing it (all or nothing)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncSession

from fileimport import Check, Line, Name, Row, yaml_rows
from handlers.bookings.catalogue import When
from storage import bookings_repo as repo
from storage.bookings import Slot

SAMPLE = Path(__file__).parent.parent / "bookings" / "samples" / "slots.yaml"
MAX_MINUTES = 480


class SlotIn(BaseModel):
    """One slot; the start is Copenhagen time unless it carries a zone."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    start: When
    minutes: int = Field(ge=1, le=MAX_MINUTES)
    adviser: Name = Field(min_length=2, max_length=100)
    adviser_id: Annotated[Line, Field(pattern=r"^(slack|telegram|console):\S+$", max_length=120)] | None = None
    online: bool = False
    place: Annotated[Line, Field(max_length=200)] | None = None


def checker(now: datetime) -> Check[SlotIn]:
    seen: set[tuple[str, datetime]] = set()

    def check(slot: SlotIn) -> list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        if slot.start <= now:
            problems.append(("start", "is in the past"))
        if not slot.online and not slot.place:
            problems.append(("place", "give a place, or 'online: true'"))
        if (slot.adviser, slot.start) in seen:
            problems.append(("start", f"{slot.adviser} has this time twice in the file"))
        seen.add((slot.adviser, slot.start))
        return problems

    return check


def read(text: str, now: datetime, file: str = SAMPLE.name) -> list[Row[SlotIn]]:
    """Every slot in the file, checked; raises :class:`fileimport.FileProblem` listing every mistake."""
    return yaml_rows(text, file, "slots", SlotIn, "slot", checker(now))


@dataclass
class Outcome:
    added: list[Slot] = field(default_factory=list)
    skipped: int = 0
    """Slots already there (same adviser and start), so a file can be imported again safely."""


async def write(session: AsyncSession, rows: list[Row[SlotIn]], now: datetime) -> Outcome:
    outcome = Outcome()
    for row in rows:
        s = row.value
        if await repo.slot_exists(session, s.adviser, s.start):
            outcome.skipped += 1
            continue
        slot = Slot(
            start=s.start,
            minutes=s.minutes,
            adviser_name=s.adviser,
            adviser_key=s.adviser_id,
            online=s.online or not s.place,
            place=s.place,
            created_at=now,
        )
        session.add(slot)
        outcome.added.append(slot)
    await session.flush()
    return outcome
