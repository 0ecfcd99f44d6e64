"""Call-back requests in the one adviser queue: claimed, resolved and listed like any ticket."""

from __future__ import annotations

from bot.context import Context
from handlers.capabilities import QUEUE_CALLBACK
from handlers.handoff.common import card, office_lang, one_line, router, who
from handlers.handoff.texts import CARD
from storage import handoff as db
from storage.bookings import Contact


async def queue_callback(ctx: Context, topic: str, description: str, contact: Contact) -> tuple[int, bool]:
    """Queue "contact me" as a ticket that relays nothing; ``True`` when the advisers' channel was told.

    ``topic`` is already in the office's language; what the person typed is escaped when shown.
    """
    lang = office_lang(ctx.settings)
    summary = CARD(
        lang,
        "callback_summary",
        topic=topic,
        name=contact.name,
        organisation=contact.organisation,
        email=contact.email,
        description=one_line(description, 500),
    )
    ident = ctx.incoming.identity
    ticket = db.open_ticket(
        ctx.session,
        person_id=ctx.person.id,
        channel=ident.channel.value,
        chat_id=ident.chat_id,
        person_name=contact.name or who(ctx),
        lang=ctx.lang.value,
        summary=summary,
        topic="other",
        transcript=[],
        now=ctx.now,
        kind=db.TicketKind.CALLBACK,
    )
    await ctx.session.flush()
    return ticket.id, ctx.notify_advisers(card(ticket, lang))


router.provide(QUEUE_CALLBACK, queue_callback)
