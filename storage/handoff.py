"""Hand-off tables: tickets for the adviser queue, the relayed messages, and FAQ drafts."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, SentMessage, status_type, utcnow


class TicketStatus(enum.StrEnum):
    """Where a ticket is in the adviser queue."""

    OPEN = "open"
    """Waiting for an adviser to claim it."""
    CLAIMED = "claimed"
    """An adviser has it; messages are relayed both ways."""
    RESOLVED = "resolved"
    """The adviser closed it."""
    CANCELLED = "cancelled"
    """The person withdrew it."""


ACTIVE = (TicketStatus.OPEN, TicketStatus.CLAIMED)


class TicketKind(enum.StrEnum):
    """What the person asked the advisers for."""

    CHAT = "chat"
    """A conversation: what the person writes is relayed while the ticket is active."""
    CALLBACK = "callback"
    """Contact me (by e-mail): nothing is relayed; the person keeps using the assistant."""


class Ticket(Base):
    """A question handed to the CED advisers."""

    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(100))
    person_name: Mapped[str | None] = mapped_column(String(200))
    lang: Mapped[str] = mapped_column(String(2))
    summary: Mapped[str] = mapped_column(Text)
    topic: Mapped[str | None] = mapped_column(String(40))
    transcript: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[TicketStatus] = mapped_column(status_type(TicketStatus), default=TicketStatus.OPEN, index=True)
    kind: Mapped[TicketKind] = mapped_column(
        status_type(TicketKind), default=TicketKind.CHAT, server_default=TicketKind.CHAT
    )
    adviser: Mapped[str | None] = mapped_column(String(120))
    """The claiming adviser's identity key (``slack:U123``)."""
    adviser_name: Mapped[str | None] = mapped_column(String(200))
    rating: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]


class TicketMessage(Base):
    """One relayed message, either way."""

    __tablename__ = "ticket_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    sender: Mapped[str] = mapped_column(String(10))
    """``person`` or ``adviser``."""
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class FaqDraft(Base):
    """A question and an adviser's answer, kept for curators; never served before review."""

    __tablename__ = "faq_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), unique=True)
    lang: Mapped[str] = mapped_column(String(2))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# Repositories ------------------------------------------------------------------------------


async def active_ticket_of(session: AsyncSession, person_id: int) -> Ticket | None:
    """The person's open conversation with the advisers (a call-back request relays nothing)."""
    stmt = (
        select(Ticket)
        .where(Ticket.person_id == person_id, Ticket.status.in_(ACTIVE), Ticket.kind == TicketKind.CHAT)
        .order_by(Ticket.id.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def latest_ticket_of(session: AsyncSession, person_id: int) -> Ticket | None:
    stmt = select(Ticket).where(Ticket.person_id == person_id).order_by(Ticket.id.desc()).limit(1)
    return (await session.execute(stmt)).scalar_one_or_none()


async def queue_position(session: AsyncSession, ticket: Ticket) -> int:
    """1 for the oldest open ticket."""
    ahead = await session.scalar(select(func.count()).where(Ticket.status == TicketStatus.OPEN, Ticket.id < ticket.id))
    return int(ahead or 0) + 1


async def queue(session: AsyncSession, statuses: Sequence[str] = ACTIVE) -> Sequence[Ticket]:
    stmt = select(Ticket).where(Ticket.status.in_(statuses)).order_by(Ticket.id)
    return (await session.execute(stmt)).scalars().all()


async def transition(session: AsyncSession, ticket_id: int, from_statuses: Sequence[str], **values: Any) -> bool:
    """Change a ticket only if it is still in one of ``from_statuses``: one writer wins."""
    result = await session.execute(
        update(Ticket)
        .where(Ticket.id == ticket_id, Ticket.status.in_(from_statuses))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def ticket_for_message(session: AsyncSession, channel: str, chat_id: str, message_id: str) -> Ticket | None:
    """The ticket whose card (or relayed message) in the adviser channel has this id."""
    stmt = (
        select(SentMessage.ref)
        .where(
            SentMessage.channel == channel,
            SentMessage.chat_id == chat_id,
            SentMessage.message_id == message_id,
            SentMessage.ref.like("ticket:%"),
        )
        .limit(1)
    )
    ref = await session.scalar(stmt)
    if ref is None:
        return None
    return await session.get(Ticket, int(ref.split(":", 1)[1]), populate_existing=True)


async def card_message_id(session: AsyncSession, ticket_id: int, channel: str, chat_id: str) -> str | None:
    """The platform id of the first delivered card of a ticket, to thread replies under it."""
    stmt = (
        select(SentMessage.message_id)
        .where(
            SentMessage.ref == f"ticket:{ticket_id}",
            SentMessage.channel == channel,
            SentMessage.chat_id == chat_id,
            SentMessage.thread_id.is_(None),
        )
        .order_by(SentMessage.id)
        .limit(1)
    )
    return await session.scalar(stmt)


async def messages_of(session: AsyncSession, ticket_id: int) -> Sequence[TicketMessage]:
    stmt = select(TicketMessage).where(TicketMessage.ticket_id == ticket_id).order_by(TicketMessage.id)
    return (await session.execute(stmt)).scalars().all()


async def drafts(session: AsyncSession) -> Sequence[FaqDraft]:
    return (await session.execute(select(FaqDraft).order_by(FaqDraft.id))).scalars().all()


def stale_open_tickets(before: datetime, remind_before: datetime) -> Any:
    """Open tickets created before ``before`` and not reminded since ``remind_before``."""
    return (
        select(Ticket)
        .where(
            Ticket.status == TicketStatus.OPEN,
            Ticket.created_at <= before,
            (Ticket.reminded_at.is_(None)) | (Ticket.reminded_at <= remind_before),
        )
        .order_by(Ticket.id)
    )


async def recent_tickets(session: AsyncSession, closed_since: datetime) -> Sequence[Ticket]:
    """Open and claimed tickets, and those closed since ``closed_since`` (the desk's queue)."""
    stmt = select(Ticket).where(Ticket.status.in_(ACTIVE) | (Ticket.closed_at >= closed_since))
    return (await session.execute(stmt)).scalars().all()


async def last_message_at(session: AsyncSession, ticket_ids: Sequence[int]) -> dict[int, datetime]:
    """When each ticket last had a relayed message."""
    if not ticket_ids:
        return {}
    stmt = (
        select(TicketMessage.ticket_id, func.max(TicketMessage.at))
        .where(TicketMessage.ticket_id.in_(ticket_ids))
        .group_by(TicketMessage.ticket_id)
    )
    return {tid: at for tid, at in (await session.execute(stmt)).all()}


def open_ticket(
    session: AsyncSession,
    *,
    person_id: int,
    channel: str,
    chat_id: str,
    person_name: str,
    lang: str,
    summary: str,
    topic: str,
    transcript: list[dict[str, Any]],
    now: datetime,
    kind: TicketKind = TicketKind.CHAT,
) -> Ticket:
    """A new open ticket (flush to get its number)."""
    ticket = Ticket(
        person_id=person_id,
        channel=channel,
        chat_id=chat_id,
        person_name=person_name,
        lang=lang,
        summary=summary,
        topic=topic,
        transcript=transcript,
        status=TicketStatus.OPEN,
        kind=kind,
        created_at=now,
    )
    session.add(ticket)
    return ticket


def add_message(session: AsyncSession, ticket_id: int, sender: str, text: str, now: datetime) -> None:
    """A message relayed on the ticket (``person`` or ``adviser``)."""
    session.add(TicketMessage(ticket_id=ticket_id, sender=sender, text=text, at=now))


async def save_draft(session: AsyncSession, ticket: Ticket, answer: str, created_by: str, now: datetime) -> int | None:
    """Keep the ticket's question and answer for curators; the draft's id, or None when it has one."""
    try:
        async with session.begin_nested():
            draft = FaqDraft(
                ticket_id=ticket.id,
                lang=ticket.lang,
                question=ticket.summary,
                answer=answer,
                created_by=created_by,
                created_at=now,
            )
            session.add(draft)
    except IntegrityError:
        return None
    return draft.id


async def tickets_to_remind(session: AsyncSession, cutoff: datetime, now: datetime) -> list[Ticket]:
    """Open tickets older than ``cutoff`` and not reminded since, each claimed for this reminder
    (marked reminded now), so two workers never both post it."""
    claimed: list[Ticket] = []
    for ticket in (await session.execute(stale_open_tickets(cutoff, cutoff))).scalars().all():
        result = await session.execute(
            update(Ticket)
            .where(
                Ticket.id == ticket.id,
                Ticket.status == TicketStatus.OPEN,
                (Ticket.reminded_at.is_(None)) | (Ticket.reminded_at <= cutoff),
            )
            .values(reminded_at=now)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount:  # type: ignore[attr-defined]
            claimed.append(ticket)
    return claimed
