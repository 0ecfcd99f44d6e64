"""The desk's queue: tickets and call-back requests, filtered, newest activity first."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.types import Lang
from handlers.advice.topics import label as advice_topic
from handlers.bookings.timefmt import when
from handlers.desk.texts import PAGE
from handlers.handoff.common import one_line, topic_label
from storage import handoff as db
from storage.bookings import CallbackRequest

RESOLVED_DAYS = 7
CALLBACK_DAYS = 30


class Show(enum.StrEnum):
    """Which tickets the queue shows."""

    ACTIVE = "active"
    """Open and claimed."""
    OPEN = "open"
    """Waiting for an adviser."""
    CLAIMED = "claimed"
    """Someone has it."""
    MINE = "mine"
    """Claimed by the viewer."""
    RESOLVED = "resolved"
    """Resolved or cancelled in the last week."""
    ALL = "all"
    """Everything recent."""


class Kind(enum.StrEnum):
    """Tickets, call-back requests, or both."""

    ALL = "all"
    """Both."""
    TICKETS = "tickets"
    """Hand-off tickets only."""
    CALLBACKS = "callbacks"
    """Call-back requests only."""


def parse(enum_type: type[Show] | type[Kind], value: str | None, default: Show | Kind) -> Show | Kind:
    try:
        return enum_type(value or default.value)
    except ValueError:
        return default


@dataclass(frozen=True)
class Row:
    """One line of the queue."""

    label: str
    url: str | None
    who: str
    topic: str
    state: str
    state_key: str
    activity: datetime
    activity_text: str
    summary: str


def ticket_state(ticket: db.Ticket, lang: Lang) -> str:
    # Only the claimed and resolved texts name the adviser; format ignores the field elsewhere.
    return PAGE(lang, f"st_{ticket.status}", adviser=ticket.adviser_name or ticket.adviser or "?")


def _keep(ticket: db.Ticket, show: Show, me: str) -> bool:
    active = ticket.status in db.ACTIVE
    return {
        Show.ACTIVE: active,
        Show.OPEN: ticket.status == db.TicketStatus.OPEN,
        Show.CLAIMED: ticket.status == db.TicketStatus.CLAIMED,
        Show.MINE: ticket.status == db.TicketStatus.CLAIMED and ticket.adviser == me,
        Show.RESOLVED: not active,
        Show.ALL: True,
    }[show]


async def rows(session: AsyncSession, now: datetime, lang: Lang, show: Show, kind: Kind, me: str) -> list[Row]:
    out: list[Row] = []
    wanted = {
        Kind.ALL: set(db.TicketKind),
        Kind.TICKETS: {db.TicketKind.CHAT},
        Kind.CALLBACKS: {db.TicketKind.CALLBACK},
    }
    tickets = [
        t
        for t in await db.recent_tickets(session, now - timedelta(days=RESOLVED_DAYS))
        if _keep(t, show, me) and t.kind in wanted[kind]
    ]
    if tickets:
        last = await db.last_message_at(session, [t.id for t in tickets])
        for t in tickets:
            moments = [t.created_at, t.claimed_at, t.closed_at, last.get(t.id)]
            activity = max(m for m in moments if m is not None)
            out.append(
                Row(
                    label=PAGE(
                        lang, "callback_ticket_n" if t.kind == db.TicketKind.CALLBACK else "ticket_n", number=t.id
                    ),
                    url=f"/desk/tickets/{t.id}",
                    who=t.person_name or "?",
                    topic=topic_label(t.topic, lang),
                    state=ticket_state(t, lang),
                    state_key=t.status,
                    activity=activity,
                    activity_text=when(activity, lang),
                    summary=one_line(t.summary, 120),
                )
            )
    # Without the hand-off feature, call-backs are kept apart (no claim, no resolve).
    if kind is not Kind.TICKETS and show in (Show.ACTIVE, Show.OPEN, Show.ALL):
        since = now - timedelta(days=CALLBACK_DAYS)
        stmt = select(CallbackRequest).where(CallbackRequest.created_at >= since)
        for c in (await session.execute(stmt)).scalars():
            out.append(
                Row(
                    label=PAGE(lang, "callback_n", number=c.id),
                    url=None,
                    who=f"{c.name}, {c.organisation} <{c.email}>",
                    topic=advice_topic(c.topic, lang),
                    state=PAGE(lang, "callback_state"),
                    state_key="callback",
                    activity=c.created_at,
                    activity_text=when(c.created_at, lang),
                    summary=one_line(c.description, 120),
                )
            )
    out.sort(key=lambda r: r.activity, reverse=True)
    return out
