"""FAQ tables: answers given (with the feedback on them) and questions declined."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base


class FaqAnswer(Base):
    """An answer the FAQ gave, and whether the person found it helpful (``None``: no vote)."""

    __tablename__ = "faq_answers"
    __table_args__ = (Index("ix_faq_answers_helpful_at", "helpful", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[str] = mapped_column(String(100))
    query: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(2))
    score: Mapped[float]
    helpful: Mapped[bool | None] = mapped_column(Boolean)
    at: Mapped[datetime]
    voted_at: Mapped[datetime | None]


class FaqDeclined(Base):
    """A question the knowledge base had no answer to: what curators should write next."""

    __tablename__ = "faq_declined"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    query: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(2))
    score: Mapped[float]
    at: Mapped[datetime] = mapped_column(index=True)


async def record_answer(
    session: AsyncSession, person_id: int, entry_id: str, query: str, lang: str, score: float, now: datetime
) -> FaqAnswer:
    row = FaqAnswer(person_id=person_id, entry_id=entry_id, query=query, lang=lang, score=score, at=now)
    session.add(row)
    await session.flush()  # the id goes into the feedback buttons
    return row


def record_declined(session: AsyncSession, person_id: int, query: str, lang: str, score: float, now: datetime) -> None:
    session.add(FaqDeclined(person_id=person_id, query=query, lang=lang, score=score, at=now))


async def vote(session: AsyncSession, answer_id: int, person_id: int, helpful: bool, now: datetime) -> FaqAnswer | None:
    """Record feedback on one of the person's own answers; ``None`` when it is not theirs."""
    row = await session.get(FaqAnswer, answer_id)
    if row is None or row.person_id != person_id:
        return None
    row.helpful, row.voted_at = helpful, now
    return row


async def gap_questions(session: AsyncSession, since: datetime) -> Sequence[tuple[str, str]]:
    """(kind, question) of declined and not-helpful questions since a moment."""
    declined = await session.execute(select(FaqDeclined.query).where(FaqDeclined.at >= since))
    unhelpful = await session.execute(
        select(FaqAnswer.query).where(FaqAnswer.helpful.is_(False), FaqAnswer.at >= since)
    )
    return [("declined", q) for q in declined.scalars()] + [("not helpful", q) for q in unhelpful.scalars()]


async def last_answer(session: AsyncSession, person_id: int, since: datetime) -> FaqAnswer | None:
    """The person's latest answer from the FAQ since a moment: what a follow-up refers to."""
    stmt = (
        select(FaqAnswer)
        .where(FaqAnswer.person_id == person_id, FaqAnswer.at >= since)
        .order_by(FaqAnswer.at.desc(), FaqAnswer.id.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()
