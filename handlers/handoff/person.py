"""The person's side: asking for an adviser, the ticket, relaying, cancelling, rating."""

from __future__ import annotations

import re
from datetime import timedelta

from bot import formatting
from bot.context import Context
from bot.markup import escape
from bot.router import UNHANDLED, Result
from bot.types import Button, Reply
from handlers.capabilities import ASK_ADVISER
from handlers.handoff.buttons import Abort, CancelTicket, Edit, HandoffFlow, Rate, Send, Start
from handlers.handoff.common import (
    CONVERSATION_GAP,
    TRANSCRIPT_MESSAGES,
    adviser_thread,
    card,
    in_adviser_channel,
    office_lang,
    office_open,
    one_line,
    refresh_card,
    router,
    who,
)
from handlers.handoff.texts import CARD, TEXTS, TOPICS
from storage import handoff as db
from storage import repos
from storage.models import MessageLog

_FOLD = str.maketrans({"å": "aa", "ø": "oe", "æ": "ae"})
_TRIGGER = re.compile(
    r"\b(talk|speak|chat)\s+(to|with)\s+(a|an|some)?\s*(real\s+)?(human|person|adviser|advisor|someone)"
    r"|\b(human|person|adviser|advisor)\s+please\b"
    r"|\b(ask|contact|reach)\s+(a|an)\s+(human|adviser|advisor|ced\s+adviser)"
    r"|\b(tale|snakke|chatte)\s+med\s+(en|et)\s+(rigtig\s+)?(r(aa|a)dgiver|menneske|person)"
    r"|\b(kontakte?|spoerge|sporge|spørge)\s+en\s+r(aa|a)dgiver",
)


def wants_a_person(ctx: Context) -> bool:
    return bool(_TRIGGER.search(ctx.text.lower().translate(_FOLD)))


@router.command(
    "adviser",
    "advisor",
    "human",
    "raadgiver",
    usage="[question]",
    help={"en": "pass your question to a CED adviser", "da": "send dit spørgsmål til en rådgiver hos CED"},
)
async def adviser_command(ctx: Context) -> Result:
    return await begin(ctx, ctx.args)


@router.text(wants_a_person)
async def adviser_by_text(ctx: Context) -> Result:
    return await begin(ctx, "")


async def begin(ctx: Context, summary: str) -> Result:
    ticket = await db.active_ticket_of(ctx.session, ctx.person.id)
    if ticket is not None:
        return Reply(ctx.t(TEXTS, "already_open", number=ticket.id))
    log_before = await repos.last_message_id(ctx.session)
    summary = one_line(summary) or await last_question(ctx, log_before)
    if not summary:
        await ctx.flow.start(HandoffFlow.summary, log_before=log_before)
        return Reply(ctx.t(TEXTS, "ask_summary"), buttons=[[cancel_button(ctx)]])
    await ctx.flow.start(HandoffFlow.confirm, log_before=log_before, summary=summary)
    return confirm_reply(ctx, summary)


async def last_question(ctx: Context, log_before: int) -> str:
    """What the person last asked, so they need not repeat it."""
    for row in reversed(await repos.recent_messages(ctx.session, ctx.person.id, TRANSCRIPT_MESSAGES)):
        text = row.text.strip()
        if row.direction != "in" or row.id > log_before or row.flow or text.startswith(("/", "[button]")):
            continue
        if _TRIGGER.search(text.lower().translate(_FOLD)) or len(text) < 4 or text.isdigit():
            continue
        return one_line(text)
    return ""


def cancel_button(ctx: Context) -> Button:
    return Abort().button(ctx.t(TEXTS, "cancel"))


def cancel_request_button(ctx: Context, ticket_id: int) -> Button:
    return CancelTicket(ticket_id).button(ctx.t(TEXTS, "cancel_request", number=ticket_id))


def confirm_reply(ctx: Context, summary: str) -> Reply:
    topics = [Send(key).button(names[ctx.lang.value]) for key, names in TOPICS.items()]
    rows = [topics[i : i + 3] for i in range(0, len(topics), 3)]
    rows.append([Edit().button(ctx.t(TEXTS, "edit")), cancel_button(ctx)])
    return Reply(ctx.t(TEXTS, "confirm", summary=escape(summary)), buttons=rows)


@router.button(Start)
async def start(ctx: Context, _: Start) -> Result:
    return await begin(ctx, "")


router.provide(ASK_ADVISER, Start().button)


@router.state(HandoffFlow)
async def flow_step(ctx: Context) -> Result:
    summary = one_line(ctx.args)
    if len(summary) < 4:
        return Reply(ctx.t(TEXTS, "summary_too_short"), buttons=[[cancel_button(ctx)]])
    await ctx.flow.goto(HandoffFlow.confirm, summary=summary)
    return confirm_reply(ctx, summary)


@router.button(Edit)
async def edit(ctx: Context, _: Edit) -> Result:
    if not ctx.flow.at(HandoffFlow.confirm):
        return Reply(ctx.t(TEXTS, "stale"))
    await ctx.flow.goto(HandoffFlow.summary)
    return Reply(ctx.t(TEXTS, "edit_prompt"), buttons=[[cancel_button(ctx)]])


@router.button(Abort)
async def abort(ctx: Context, _: Abort) -> Result:
    if not ctx.flow.within(HandoffFlow):
        return Reply(ctx.t(TEXTS, "stale"))
    await ctx.flow.clear()
    return Reply(ctx.t(TEXTS, "aborted"))


@router.button(Send)
async def send(ctx: Context, pressed: Send) -> Result:
    """Create the ticket; a second tap finds the flow gone and creates nothing."""
    topic = pressed.topic or "other"
    if not ctx.flow.at(HandoffFlow.confirm) or topic not in TOPICS:
        return Reply(ctx.t(TEXTS, "stale"))
    if (open_ticket := await db.active_ticket_of(ctx.session, ctx.person.id)) is not None:
        await ctx.flow.clear()
        return Reply(ctx.t(TEXTS, "already_open", number=open_ticket.id))
    ticket = await create_ticket(ctx, ctx.flow.data["summary"], topic, int(ctx.flow.data["log_before"]))
    await ctx.flow.clear()
    posted = ctx.notify_advisers(card(ticket, office_lang(ctx.settings)))
    position = await db.queue_position(ctx.session, ticket)
    text = ctx.t(TEXTS, "created", number=ticket.id, position=position, hours=hours_text(ctx))
    if not posted:
        text += "\n" + ctx.t(TEXTS, "no_adviser_channel")
    return Reply(text, buttons=[[cancel_request_button(ctx, ticket.id)]])


def current_conversation(rows: list[MessageLog], log_before: int) -> list[MessageLog]:
    """The exchanges of the conversation that led to the request: nothing from before the last
    pause of :data:`CONVERSATION_GAP`, and no commands, button presses or answers to a flow (a
    booking's contact details are not part of the question), nor what the assistant said to those."""
    rows = [r for r in rows if r.id <= log_before]
    start = len(rows)
    while start > 0 and (start == len(rows) or rows[start].at - rows[start - 1].at <= CONVERSATION_GAP):
        start -= 1
    kept: list[MessageLog] = []
    keep = False
    for row in rows[start:]:
        if row.direction == "in":  # a turn: the message and the answers logged after it
            keep = not row.flow and not row.text.startswith(("/", "[button]"))
        if keep:
            kept.append(row)
    return kept


async def create_ticket(ctx: Context, summary: str, topic: str, log_before: int) -> db.Ticket:
    rows = await repos.recent_messages(ctx.session, ctx.person.id, TRANSCRIPT_MESSAGES * 3)
    transcript = [
        {"dir": r.direction, "text": one_line(r.text, 500), "at": r.at.isoformat()}
        for r in current_conversation(rows, log_before)
    ][-TRANSCRIPT_MESSAGES:]
    ident = ctx.incoming.identity
    ticket = db.open_ticket(
        ctx.session,
        person_id=ctx.person.id,
        channel=ident.channel.value,
        chat_id=ident.chat_id,
        person_name=who(ctx),
        lang=ctx.lang.value,
        summary=summary,
        topic=topic,
        transcript=transcript,
        now=ctx.now,
    )
    await ctx.session.flush()
    return ticket


def hours_text(ctx: Context) -> str:
    is_open, next_open = office_open(ctx.settings, ctx.now)
    office = formatting.office_hours(ctx.settings.office_hours, ctx.lang)
    if is_open:
        return ctx.t(TEXTS, "hours_open", office=office)
    return ctx.t(TEXTS, "hours_closed", office=office, next_open=formatting.short(next_open, ctx.lang))


@router.command("ticket", help={"en": "the status of your adviser request", "da": "status på din forespørgsel"})
async def ticket_status(ctx: Context) -> Result:
    ticket = await db.latest_ticket_of(ctx.session, ctx.person.id)
    if ticket is None:
        return Reply(ctx.t(TEXTS, "status_none"))
    if ticket.status == db.TicketStatus.OPEN:
        state = ctx.t(TEXTS, "state_open", position=await db.queue_position(ctx.session, ticket))
    elif ticket.status == db.TicketStatus.CLAIMED:
        state = ctx.t(TEXTS, "state_claimed", adviser=escape(ticket.adviser_name or ""))
    else:
        state = ctx.t(TEXTS, f"state_{ticket.status}")
    reply = ctx.t(TEXTS, "status", number=ticket.id, state=state, summary=escape(ticket.summary))
    buttons = []
    if ticket.status in db.ACTIVE:
        buttons = [[cancel_request_button(ctx, ticket.id)]]
    elif awaits_rating(ctx, ticket):
        reply += "\n" + ctx.t(TEXTS, "rate_prompt")
        buttons = rating_buttons(ticket.id)
    return Reply(reply, buttons=buttons)


@router.on_cancel
async def offer_cancel(ctx: Context) -> Result:
    ticket = await db.active_ticket_of(ctx.session, ctx.person.id)
    if ticket is None:
        return UNHANDLED
    return Reply(
        ctx.t(TEXTS, "offer_cancel", number=ticket.id),
        buttons=[[cancel_request_button(ctx, ticket.id)]],
    )


async def own_ticket(ctx: Context, ticket_id: int) -> db.Ticket | Reply:
    ticket = await ctx.session.get(db.Ticket, ticket_id)
    if ticket is None or ticket.person_id != ctx.person.id:
        return Reply(ctx.t(TEXTS, "not_yours"))
    return ticket


@router.button(CancelTicket)
async def cancel(ctx: Context, pressed: CancelTicket) -> Result:
    ticket = await own_ticket(ctx, pressed.ticket_id)
    if isinstance(ticket, Reply):
        return ticket
    if not await db.transition(ctx.session, ticket.id, db.ACTIVE, status=db.TicketStatus.CANCELLED, closed_at=ctx.now):
        return Reply(ctx.t(TEXTS, "stale"))
    thread = await adviser_thread(ctx.session, ctx.settings, ticket)
    if thread is not None:
        notice = CARD(office_lang(ctx.settings), "person_cancelled", number=ticket.id)
        ctx.notify(thread, Reply(notice, ref=f"ticket:{ticket.id}"))
        await ctx.session.refresh(ticket)
        await refresh_card(ctx, ticket)
    return Reply(ctx.t(TEXTS, "cancelled", number=ticket.id), edit=ctx.incoming.message_ref is not None)


@router.button(Rate)
async def rate(ctx: Context, pressed: Rate) -> Result:
    ticket = await own_ticket(ctx, pressed.ticket_id)
    if isinstance(ticket, Reply):
        return ticket
    if pressed.score not in RATINGS or ticket.status != db.TicketStatus.RESOLVED:
        return Reply(ctx.t(TEXTS, "stale"))
    if ticket.rating is not None:
        return Reply(ctx.t(TEXTS, "already_rated", number=ticket.id))
    ticket.rating = pressed.score
    return Reply(ctx.t(TEXTS, "rated"), edit=ctx.incoming.message_ref is not None)


RATINGS = range(1, 6)
RATING_WINDOW = timedelta(days=7)
"""How long after a resolution a typed 1-5 counts as the rating."""


def _a_score(ctx: Context) -> bool:
    return ctx.text.strip() in {str(k) for k in RATINGS}


@router.text(_a_score)
async def rate_by_text(ctx: Context) -> Result:
    """A number typed after the rating question rates the request, whatever came in between."""
    ticket = await db.latest_ticket_of(ctx.session, ctx.person.id)
    if ticket is None or not awaits_rating(ctx, ticket):
        return UNHANDLED
    ticket.rating = int(ctx.text.strip())
    return Reply(ctx.t(TEXTS, "rated"))


def awaits_rating(ctx: Context, ticket: db.Ticket) -> bool:
    return (
        ticket.status == db.TicketStatus.RESOLVED
        and ticket.rating is None
        and ticket.closed_at is not None
        and ctx.now - ticket.closed_at <= RATING_WINDOW
    )


def rating_buttons(number: int) -> list[list[Button]]:
    return [[Rate(number, k).button(str(k)) for k in RATINGS]]


@router.intercept
async def relay_from_person(ctx: Context) -> Result:
    """While a ticket is active, what the person writes goes to the advisers, not the bot."""
    if in_adviser_channel(ctx) or not ctx.incoming.addressed:
        return UNHANDLED
    ticket = await db.active_ticket_of(ctx.session, ctx.person.id)
    if ticket is None:
        return UNHANDLED
    db.add_message(ctx.session, ticket.id, "person", ctx.text, ctx.now)
    thread = await adviser_thread(ctx.session, ctx.settings, ticket)
    if thread is not None:
        lang = office_lang(ctx.settings)
        text = CARD(
            lang, "from_person", name=escape(ticket.person_name or "?"), number=ticket.id, text=escape(ctx.text)
        )
        ctx.notify(thread, Reply(text, ref=f"ticket:{ticket.id}"))
    if ticket.status == db.TicketStatus.CLAIMED:
        adviser = escape(ticket.adviser_name or "")
        return Reply(ctx.t(TEXTS, "relayed_claimed", adviser=adviser, number=ticket.id))
    return Reply(ctx.t(TEXTS, "relayed_open", number=ticket.id))
