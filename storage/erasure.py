"""Erasure of one person: every row about them goes; records others must keep are redacted.

Deleted: the person, their accounts, flows, message log, bookings, meetings, requests,
answers and every outbox message about them (queued or delivered). Kept but redacted: their
hand-off tickets (the adviser's record: number, topic, dates, adviser, rating stay; name,
account, summary, transcript and their messages go), and advisers' message-log rows, outbox
rows and desk audit lines that quote them (the row stays, its text is replaced).

What "quotes them" means is found, not declared: the person's names, organisations,
e-mail addresses and account ids, and the start of every text they wrote, are looked for in
what advisers were shown.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete, exists, false, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from storage.handoff import ACTIVE, FaqDraft, Ticket, TicketMessage, TicketStatus
from storage.models import Base, ChannelIdentity, MessageLog, OutboxMessage, Person
from storage.repos import person_tables

ERASED = "[erased]"
DETAIL_COLUMNS = frozenset({"display_name", "name", "organisation", "email", "phone", "person_name", "user_id"})
"""Columns that identify the person wherever they are quoted (at least 4 characters)."""
NAME_COLUMNS = frozenset({"display_name", "name", "person_name"})
"""Names are also looked for word by word (first name, surname)."""
TEXT_COLUMNS = frozenset({"text", "summary", "description", "question", "query"})
"""Columns holding what the person wrote (looked for by their start, at least 12 characters)."""
PREFIX = 40
"""Quotes may be cut (cards shorten lines): the start of a text is what is looked for."""


def _plain(text: str) -> str:
    return " ".join(text.split())


def _needles_from(row: dict[str, Any], table: str) -> set[str]:
    found: set[str] = set()
    for column, value in row.items():
        if not isinstance(value, str):
            continue
        text = _plain(value)
        if column in DETAIL_COLUMNS and len(text) >= 4:
            found.add(text)
            if column in NAME_COLUMNS:  # "Hi Agnete" names her as well as "Agnete Kjærsgaard"
                found.update(part for part in (p.strip(".,;:()") for p in text.split()) if len(part) >= 4)
        elif column in TEXT_COLUMNS:
            if table == "message_log" and (row.get("direction") != "in" or text.startswith("[button]")):
                continue
            if text.startswith("/"):  # a command: what follows its name is the person's text
                text = text.partition(" ")[2]
            if len(text) >= 12:
                found.add(text[:PREFIX])
    return found


async def needles(session: AsyncSession, person_id: int) -> set[str]:
    """What would identify the person where someone else's record quotes them."""
    found: set[str] = set()
    persons: Table = Person.__table__  # type: ignore[assignment]
    for table in [*person_tables(), persons]:
        key = table.c.id if table is persons else table.c.person_id
        for row in (await session.execute(select(table).where(key == person_id))).mappings():
            found |= _needles_from(dict(row), table.name)
    tickets = select(Ticket.id).where(Ticket.person_id == person_id)
    said = select(TicketMessage.text).where(TicketMessage.ticket_id.in_(tickets), TicketMessage.sender == "person")
    for text in (await session.execute(said)).scalars():
        found |= _needles_from({"text": text}, "ticket_messages")
    for transcript in (await session.execute(select(Ticket.transcript).where(Ticket.person_id == person_id))).scalars():
        for item in transcript or []:
            if item.get("dir") == "in":
                found |= _needles_from({"text": str(item.get("text", ""))}, "tickets")
    return {n for n in found if n.strip()}


def _quotes(column: Any, found: Iterable[str]) -> Any:
    return or_(*(func.lower(column).contains(n.lower(), autoescape=True) for n in found))


async def redact_tickets(session: AsyncSession, person_id: int, now: datetime, found: set[str]) -> list[int]:
    """The tickets stay for the advisers' records, without the person's details or words."""
    ids = list((await session.execute(select(Ticket.id).where(Ticket.person_id == person_id))).scalars())
    if not ids:
        return ids
    await session.execute(
        update(Ticket)
        .where(Ticket.id.in_(ids), Ticket.status.in_(ACTIVE))
        .values(status=TicketStatus.CANCELLED.value, closed_at=now)
    )
    await session.execute(
        update(Ticket)
        .where(Ticket.id.in_(ids))
        .values(person_name=None, chat_id="", summary=ERASED, transcript=[])
        .execution_options(synchronize_session=False)
    )
    quoting = TicketMessage.sender == "person"
    if found:
        quoting = or_(quoting, _quotes(TicketMessage.text, found))
    await session.execute(update(TicketMessage).where(TicketMessage.ticket_id.in_(ids), quoting).values(text=ERASED))
    await session.execute(update(FaqDraft).where(FaqDraft.ticket_id.in_(ids)).values(question=ERASED))
    if found:
        await session.execute(
            update(FaqDraft).where(FaqDraft.ticket_id.in_(ids), _quotes(FaqDraft.answer, found)).values(answer=ERASED)
        )
    return ids


async def redact_adviser_records(
    session: AsyncSession,
    person_id: int,
    found: set[str],
    advisers: Iterable[str],
    adviser_chat: tuple[str, str] | None,
) -> None:
    """Advisers' log lines, messages and desk audit lines that quote the person."""
    if not found:
        return
    keys = [key.partition(":") for key in advisers]
    adviser_people = select(ChannelIdentity.person_id).where(
        or_(false(), *((ChannelIdentity.channel == c) & (ChannelIdentity.user_id == u) for c, _, u in keys))
    )
    theirs: ColumnElement[bool] = MessageLog.person_id.in_(adviser_people)
    if adviser_chat is not None:
        theirs = or_(theirs, (MessageLog.channel == adviser_chat[0]) & (MessageLog.chat_id == adviser_chat[1]))
    await session.execute(
        update(MessageLog)
        .where(MessageLog.person_id != person_id, theirs, _quotes(MessageLog.text, found))
        .values(text=ERASED)
        .execution_options(synchronize_session=False)
    )
    audit = Base.metadata.tables.get("desk_audit")
    if audit is not None and "detail" in audit.c:
        await session.execute(update(audit).where(_quotes(audit.c.detail, found)).values(detail=ERASED))
    await _delete_quoting_outbox(session, person_id, found)


async def _delete_quoting_outbox(session: AsyncSession, person_id: int, found: set[str]) -> None:
    """Outbox rows not linked to the person that quote them (a digest, a row from before the link)."""
    rows = await session.execute(
        select(OutboxMessage.id, OutboxMessage.payload).where(
            or_(OutboxMessage.person_id.is_(None), OutboxMessage.person_id != person_id)
        )
    )
    lowered = [n.lower() for n in found]
    doomed = [row_id for row_id, payload in rows if any(n in _payload_text(payload) for n in lowered)]
    if doomed:
        await session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(doomed)))


def _payload_text(payload: dict[str, Any]) -> str:
    parts = [json.dumps(payload, ensure_ascii=False)]
    for attachment in payload.get("attachments") or []:
        for value in attachment if isinstance(attachment, list) else attachment.values():
            if isinstance(value, str) and len(value) > 16:
                try:
                    parts.append(base64.b64decode(value, validate=True).decode("utf-8", "replace"))
                except (binascii.Error, ValueError):
                    pass
    return _plain("\n".join(parts)).lower()


async def erase_person(
    session: AsyncSession,
    person_id: int,
    now: datetime,
    *,
    advisers: Iterable[str] = (),
    adviser_chat: tuple[str, str] | None = None,
) -> list[int]:
    """Erase the person (see the module's description); the caller commits. Returns the
    numbers of the tickets that stay, redacted (their delivered cards want refreshing)."""
    found = await needles(session, person_id)
    redacted = await redact_tickets(session, person_id, now, found)
    await redact_adviser_records(session, person_id, found, advisers, adviser_chat)
    for table in reversed(person_tables()):
        if table.name != Ticket.__tablename__:
            await session.execute(delete(table).where(table.c.person_id == person_id))
    if await session.scalar(select(exists().where(Ticket.person_id == person_id))):
        # A ticket must point at someone: a person row with no name, account or preference.
        await session.execute(
            update(Person).where(Person.id == person_id).values(display_name=None, language=None, last_language=None)
        )
    else:
        await session.execute(delete(Person).where(Person.id == person_id))
    return redacted
