"""The advisers' side: claim, reply, resolve, drafts, the queue, and reminders."""

from __future__ import annotations

from datetime import timedelta

from bot.context import Context, Notifier, person_language
from bot.markup import escape
from bot.router import UNHANDLED, Result, Role
from bot.types import Button, Lang, Reply
from handlers.handoff.buttons import Claim, Draft, Resolve
from handlers.handoff.common import (
    card,
    in_adviser_channel,
    office_lang,
    office_open,
    one_line,
    parse_number,
    person_address,
    refresh_card,
    router,
    state_text,
    topic_label,
    who,
)
from handlers.handoff.person import rating_buttons
from handlers.handoff.texts import CARD, TEXTS
from storage import handoff as db
from storage.models import Person


async def tell_person(
    ctx: Notifier, ticket: db.Ticket, key: str, buttons: list[list[Button]] | None = None, **fields: object
) -> None:
    """Message the person on the channel they asked from, in their language."""
    person = await ctx.session.get_one(Person, ticket.person_id)
    lang = person_language(person, ctx.settings.default_language)
    ctx.notify(person_address(ticket), Reply(TEXTS(lang, key, **fields), buttons=buttons or []), about=ticket.person_id)


async def ticket_from(ctx: Context, number: str | int) -> db.Ticket | Reply:
    """The ticket an adviser names, typed (``#12``) or from a button; a refusal otherwise."""
    lang = office_lang(ctx.settings) if in_adviser_channel(ctx) else ctx.lang
    if not ctx.is_adviser:
        return Reply(CARD(lang, "only_advisers"))
    n = number if isinstance(number, int) else parse_number(number)
    ticket = await ctx.session.get(db.Ticket, n, populate_existing=True) if n is not None else None
    if ticket is None:
        return Reply(CARD(lang, "no_ticket", number=escape(str(number))))
    return ticket


async def on_card(ctx: Context, ticket: db.Ticket) -> bool:
    """True when the pressed button sits on this ticket's card (so the card is edited)."""
    ref = ctx.incoming.message_ref
    if ref is None:
        return False
    ident = ctx.incoming.identity
    found = await db.ticket_for_message(ctx.session, ident.channel.value, ident.chat_id, ref)
    return found is not None and found.id == ticket.id


async def updated_card(ctx: Context, ticket: db.Ticket) -> Reply:
    """Answer with the changed card: edit it where the button sat on it, else show it and
    bring the delivered card up to date too."""
    lang = office_lang(ctx.settings)
    if await on_card(ctx, ticket):
        return card(ticket, lang, edit=True)
    await refresh_card(ctx, ticket)
    return card(ticket, lang)


@router.button(Claim)
async def claim(ctx: Context, pressed: Claim) -> Result:
    ticket = await ticket_from(ctx, pressed.ticket_id)
    if isinstance(ticket, Reply):
        return ticket
    lang = office_lang(ctx.settings)
    won = await db.transition(
        ctx.session,
        ticket.id,
        [db.TicketStatus.OPEN],
        status=db.TicketStatus.CLAIMED,
        adviser=ctx.incoming.identity.key,
        adviser_name=who(ctx),
        claimed_at=ctx.now,
    )
    await ctx.session.refresh(ticket)
    if not won:
        return refusal(ticket, lang)
    told = "claimed_callback" if ticket.kind == db.TicketKind.CALLBACK else "claimed_person"
    await tell_person(ctx, ticket, told, adviser=escape(who(ctx)), number=ticket.id)
    return await updated_card(ctx, ticket)


def refusal(ticket: db.Ticket, lang: Lang) -> Reply:
    """Why this ticket cannot be worked on as asked: taken, not claimed yet, or closed."""
    if ticket.status == db.TicketStatus.CLAIMED:
        return Reply(CARD(lang, "taken", number=ticket.id, adviser=escape(ticket.adviser_name or "?")))
    if ticket.status == db.TicketStatus.OPEN:
        return Reply(CARD(lang, "claim_first", number=ticket.id))
    return Reply(CARD(lang, "closed", number=ticket.id, state=state_text(ticket, lang)))


async def resolve_ticket(ctx: Context, number: str | int) -> Result:
    ticket = await ticket_from(ctx, number)
    if isinstance(ticket, Reply):
        return ticket
    lang = office_lang(ctx.settings)
    if ticket.status == db.TicketStatus.CLAIMED and ticket.adviser != ctx.incoming.identity.key:
        return refusal(ticket, lang)
    won = await db.transition(
        ctx.session,
        ticket.id,
        db.ACTIVE,
        status=db.TicketStatus.RESOLVED,
        closed_at=ctx.now,
        adviser=ticket.adviser or ctx.incoming.identity.key,
        adviser_name=ticket.adviser_name or who(ctx),
    )
    await ctx.session.refresh(ticket)
    if not won:
        return refusal(ticket, lang)
    await tell_person(
        ctx,
        ticket,
        "resolved_person",
        rating_buttons(ticket.id),
        adviser=escape(ticket.adviser_name or ""),
        number=ticket.id,
    )
    return await updated_card(ctx, ticket)


@router.button(Resolve)
async def resolve(ctx: Context, pressed: Resolve) -> Result:
    return await resolve_ticket(ctx, pressed.ticket_id)


@router.command("resolve", usage="NUMBER", role=Role.ADVISER, help={"en": "close a ticket", "da": "luk en sag"})
async def resolve_command(ctx: Context) -> Result:
    if parse_number(ctx.args) is None:
        return Reply(CARD(ctx.lang, "resolve_usage"))
    return await resolve_ticket(ctx, ctx.args)


@router.button(Draft)
async def save_draft(ctx: Context, pressed: Draft) -> Result:
    ticket = await ticket_from(ctx, pressed.ticket_id)
    if isinstance(ticket, Reply):
        return ticket
    lang = office_lang(ctx.settings)
    if ticket.status != db.TicketStatus.RESOLVED:
        return refusal(ticket, lang)
    answers = [m.text for m in await db.messages_of(ctx.session, ticket.id) if m.sender == "adviser"]
    if not answers:
        return Reply(CARD(lang, "draft_empty", number=ticket.id))
    draft_id = await db.save_draft(ctx.session, ticket, "\n\n".join(answers), ctx.incoming.identity.key, ctx.now)
    if draft_id is None:
        return Reply(CARD(lang, "draft_exists", number=ticket.id))
    return Reply(CARD(lang, "draft_saved", number=ticket.id, draft=draft_id))


async def relay(ctx: Context, ticket: db.Ticket, text: str) -> Reply | None:
    """Send an adviser's message to the person; a refusal when this adviser may not."""
    lang = office_lang(ctx.settings)
    if ticket.status != db.TicketStatus.CLAIMED or ticket.adviser != ctx.incoming.identity.key:
        return refusal(ticket, lang)
    db.add_message(ctx.session, ticket.id, "adviser", text, ctx.now)
    person = await ctx.session.get_one(Person, ticket.person_id)
    plang = person_language(person, ctx.settings.default_language)
    body = TEXTS(plang, "from_adviser", adviser=escape(ticket.adviser_name or who(ctx)), text=escape(text))
    ctx.notify(person_address(ticket), Reply(body), about=ticket.person_id)
    return None


@router.intercept
async def relay_from_adviser(ctx: Context) -> Result:
    """A reply to a ticket's card (Slack thread, Telegram reply) goes to the person."""
    ref = ctx.incoming.reply_to_ref
    if ref is None or not in_adviser_channel(ctx):
        return UNHANDLED
    ident = ctx.incoming.identity
    ticket = await db.ticket_for_message(ctx.session, ident.channel.value, ident.chat_id, ref)
    if ticket is None:
        return UNHANDLED
    if not ctx.is_adviser:
        return Reply(CARD(office_lang(ctx.settings), "only_advisers"), in_thread=True)
    refused = await relay(ctx, ticket, ctx.text)
    return [refused] if refused else []


@router.command(
    "reply",
    usage="NUMBER TEXT",
    role=Role.ADVISER,
    help={"en": "answer the person on a ticket", "da": "svar personen på en sag"},
)
async def reply_command(ctx: Context) -> Result:
    number, _, text = ctx.args.partition(" ")
    if parse_number(number) is None or not text.strip():
        return Reply(CARD(ctx.lang, "reply_usage"))
    ticket = await ticket_from(ctx, number)
    if isinstance(ticket, Reply):
        return ticket
    refused = await relay(ctx, ticket, text.strip())
    return refused or Reply(CARD(ctx.lang, "sent", name=escape(ticket.person_name or "?"), number=ticket.id))


@router.command(
    "queue",
    usage="[NUMBER]",
    role=Role.ADVISER,
    help={"en": "the adviser queue, or one ticket", "da": "rådgivernes kø, eller én sag"},
)
async def queue_command(ctx: Context) -> Result:
    if (n := parse_number(ctx.args)) is not None:
        ticket = await ticket_from(ctx, n)
        return ticket if isinstance(ticket, Reply) else card(ticket, ctx.lang)
    tickets = await db.queue(ctx.session)
    if not tickets:
        return Reply(CARD(ctx.lang, "queue_empty"))
    lines = [CARD(ctx.lang, "queue_title")]
    buttons: list[list[Button]] = []
    for t in tickets[:20]:
        age = int((ctx.now - t.created_at).total_seconds() // 60)
        lines.append(
            CARD(
                ctx.lang,
                "queue_row",
                number=t.id,
                state=state_text(t, ctx.lang),
                age=age,
                topic=topic_label(t.topic, ctx.lang),
                summary=escape(one_line(t.summary, 80)),
            )
        )
        if t.status == db.TicketStatus.OPEN and len(buttons) < 5:
            buttons.append([Claim(t.id).button(f"{CARD(ctx.lang, 'claim')} #{t.id}")])
    return Reply("\n".join(lines), buttons=buttons)


@router.job("handoff-reminders", every=timedelta(minutes=5))
async def remind_unclaimed(n: Notifier) -> None:
    """Re-post tickets nobody has claimed, during office hours, once per interval."""
    if n.settings.adviser_channel is None or not office_open(n.settings, n.now)[0]:
        return
    interval = timedelta(minutes=n.settings.handoff_remind_minutes)
    cutoff = n.now - interval
    lang = office_lang(n.settings)
    for ticket in await db.tickets_to_remind(n.session, cutoff, n.now):
        minutes = int((n.now - ticket.created_at).total_seconds() // 60)
        header = CARD(lang, "reminder", number=ticket.id, minutes=minutes)
        n.notify_advisers(card(ticket, lang, header=header), about=ticket.person_id)
