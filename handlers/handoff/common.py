"""Shared pieces of the hand-off: the router, cards, addresses and office hours."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot import formatting
from bot.context import Context, Notifier
from bot.markup import escape
from bot.payload import whole_number
from bot.router import Router
from bot.settings import Settings, parse_office_hours
from bot.types import Address, Button, Channel, Lang, Reply
from handlers.capabilities import REFRESH_CARDS
from handlers.handoff.buttons import Claim, Draft, Resolve
from handlers.handoff.texts import CARD, TOPICS
from storage import handoff as db

router = Router("handoff")

TRANSCRIPT_MESSAGES = 20
"""The last ten exchanges (a question and its answer each)."""
CONVERSATION_GAP = timedelta(minutes=30)
"""A pause this long ends a conversation: the card shows only the one that led to the request."""
LINE_LIMIT = 300


def office_lang(settings: Settings) -> Lang:
    """The adviser channel is read by CED staff: it speaks the default language."""
    return settings.default_language


def who(ctx: Context) -> str:
    return ctx.person.display_name or ctx.incoming.identity.user_id


def one_line(text: str, limit: int = LINE_LIMIT) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def topic_label(topic: str | None, lang: Lang) -> str:
    return TOPICS.get(topic or "other", TOPICS["other"])[lang.value]


def state_text(ticket: db.Ticket, lang: Lang) -> str:
    if ticket.status == db.TicketStatus.OPEN:
        return CARD(lang, "open")
    if ticket.status == db.TicketStatus.CANCELLED:
        return CARD(lang, "cancelled")
    adviser = escape(ticket.adviser_name or ticket.adviser or "?")
    return CARD(lang, ticket.status, adviser=adviser)


def card(ticket: db.Ticket, lang: Lang, *, edit: bool = False, header: str | None = None) -> Reply:
    """The ticket as advisers see it; every part the person wrote is escaped."""
    lines = [header] if header else []
    lines += [
        CARD(lang, "title", number=ticket.id, state=state_text(ticket, lang)),
        CARD(
            lang,
            "from",
            name=escape(ticket.person_name or "?"),
            channel=ticket.channel,
            topic=topic_label(ticket.topic, lang),
            lang=ticket.lang,
        ),
        CARD(lang, "summary", summary=escape(ticket.summary)),
    ]
    if ticket.transcript:
        lines.append(CARD(lang, "transcript"))
        for item in ticket.transcript:
            speaker = CARD(lang, "person") if item["dir"] == "in" else "cedbot"
            lines.append(f"- {speaker}: {escape(one_line(item['text'], 200))}")
    buttons: list[list[Button]] = []
    if ticket.status == db.TicketStatus.OPEN:
        buttons = [[Claim(ticket.id).button(CARD(lang, "claim"))]]
    elif ticket.status == db.TicketStatus.CLAIMED:
        lines.append(CARD(lang, "how_to_reply", number=ticket.id))
        buttons = [[Resolve(ticket.id).button(CARD(lang, "resolve"))]]
    elif ticket.status == db.TicketStatus.RESOLVED:
        buttons = [[Draft(ticket.id).button(CARD(lang, "draft"))]]
    return Reply("\n".join(lines), buttons=buttons, edit=edit, ref=None if edit else f"ticket:{ticket.id}")


def person_address(ticket: db.Ticket) -> Address:
    return Address(Channel(ticket.channel), ticket.chat_id)


async def adviser_thread(session: AsyncSession, settings: Settings, ticket: db.Ticket) -> Address | None:
    """The adviser channel, in the thread of the ticket's card when it has been delivered."""
    channel = settings.adviser_channel
    if channel is None:
        return None
    card_id = await db.card_message_id(session, ticket.id, channel.channel.value, channel.chat_id)
    return Address(channel.channel, channel.chat_id, card_id)


async def refresh_card(n: Notifier, ticket: db.Ticket) -> None:
    """Bring the delivered card up to date (a change made elsewhere than on the card itself)."""
    channel = n.settings.adviser_channel
    if channel is None:
        return
    card_id = await db.card_message_id(n.session, ticket.id, channel.channel.value, channel.chat_id)
    if card_id is not None:  # a console card has no id to edit: it is printed once
        n.notify(
            Address(channel.channel, channel.chat_id, card_id),
            card(ticket, office_lang(n.settings), edit=True),
            about=ticket.person_id,
        )


def in_adviser_channel(ctx: Context) -> bool:
    channel = ctx.settings.adviser_channel
    ident = ctx.incoming.identity
    return channel is not None and ident.channel is channel.channel and ident.chat_id == channel.chat_id


def office_open(settings: Settings, now: datetime) -> tuple[bool, datetime]:
    """Whether advisers are at work now, and when they next start (local time)."""
    days, start, end = parse_office_hours(settings.office_hours)
    local = now.astimezone(formatting.zone())
    if local.weekday() in days and start <= local.time() < end:
        return True, local
    day = local
    for _ in range(8):
        opening = day.replace(hour=start.hour, minute=start.minute, second=0, microsecond=0)
        if day.weekday() in days and opening > local:
            return False, opening
        day = (day + timedelta(days=1)).replace(hour=0, minute=0)
    return False, local  # no office days configured at all


def parse_number(text: str) -> int | None:
    """A ticket number as typed (``12`` or ``#12``)."""
    return whole_number(text.strip().removeprefix("#"))


async def refresh_cards(n: Notifier, ticket_ids: Sequence[int]) -> None:
    for ticket_id in ticket_ids:
        ticket = await n.session.get(db.Ticket, ticket_id, populate_existing=True)
        if ticket is not None:
            await refresh_card(n, ticket)


router.provide(REFRESH_CARDS, refresh_cards)
