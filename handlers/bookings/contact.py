"""Asking for name, organisation and e-mail: remembered for next time, and changeable.

Both booking flows declare these steps by extending :class:`ContactSteps`, so each has them
under its own prefix (``course.name``, ``advice.email``) and a half-answered question
survives a restart like any flow step.
"""

from __future__ import annotations

from bot.context import Context
from bot.i18n import Texts
from bot.markup import escape
from bot.states import State, States
from bot.types import Reply
from storage import bookings_repo as repo
from storage.bookings import Contact

TEXTS = Texts(
    {
        "ask_name": {
            "en": "What is your full name?{now} (Type /cancel to stop.)",
            "da": "Hvad er dit fulde navn?{now} (Skriv /cancel for at stoppe.)",
        },
        "ask_org": {
            "en": "Which organisation (cluster or network) are you with?{now}",
            "da": "Hvilken organisation (klynge eller netværk) kommer du fra?{now}",
        },
        "ask_email": {
            "en": "And your e-mail address?{now}",
            "da": "Og din e-mailadresse?{now}",
        },
        "now": {"en": " (Now: {value}.)", "da": " (Nu: {value}.)"},
        "bad_name": {
            "en": "Please write your full name, 2 to 100 characters with at least one letter.",
            "da": "Skriv dit fulde navn, 2 til 100 tegn med mindst ét bogstav.",
        },
        "bad_org": {
            "en": "Please write the name of your organisation, 2 to 200 characters.",
            "da": "Skriv navnet på din organisation, 2 til 200 tegn.",
        },
        "bad_email": {
            "en": "“{value}” is not a valid e-mail address. Please write it like name@cluster.dk.",
            "da": "“{value}” er ikke en gyldig e-mailadresse. Skriv den som navn@klynge.dk.",
        },
        "summary": {
            "en": "**Your details:** {name}, {organisation}, {email}",
            "da": "**Dine oplysninger:** {name}, {organisation}, {email}",
        },
    }
)


class ContactSteps(States):
    """Name, organisation and e-mail: a flow that asks for contact details extends this."""

    name = State()
    org = State()
    email = State()


async def ask(ctx: Context, flow: type[ContactSteps]) -> Reply:
    """Ask the first detail, keeping the flow data gathered so far."""
    await ctx.flow.goto(flow.name)
    known = await repo.get_contact(ctx.session, ctx.person.id)
    return Reply(ctx.t(TEXTS, "ask_name", now=_now(ctx, known.name if known else None)))


def _now(ctx: Context, value: str | None) -> str:
    return ctx.t(TEXTS, "now", value=escape(value)) if value else ""


async def step(ctx: Context, flow: type[ContactSteps]) -> Reply | Contact:
    """One answer: a reply asks again or asks the next detail; a saved Contact means done."""
    value = " ".join(ctx.args.split())
    known = await repo.get_contact(ctx.session, ctx.person.id)
    if ctx.flow.at(flow.name):
        if not 2 <= len(value) <= 100 or not any(ch.isalpha() for ch in value):
            return Reply(ctx.t(TEXTS, "bad_name"))
        await ctx.flow.goto(flow.org, contact_name=value)
        return Reply(ctx.t(TEXTS, "ask_org", now=_now(ctx, known.organisation if known else None)))
    if ctx.flow.at(flow.org):
        if not 2 <= len(value) <= 200:
            return Reply(ctx.t(TEXTS, "bad_org"))
        await ctx.flow.goto(flow.email, contact_org=value)
        return Reply(ctx.t(TEXTS, "ask_email", now=_now(ctx, known.email if known else None)))
    from email_validator import EmailNotValidError, validate_email  # only when an address is given

    try:
        email = validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        return Reply(ctx.t(TEXTS, "bad_email", value=escape(value[:80])))
    data = ctx.flow.data
    return await repo.save_contact(
        ctx.session, ctx.person.id, data["contact_name"], data["contact_org"], email, ctx.now
    )


def summary(ctx: Context, contact: Contact) -> str:
    return ctx.t(
        TEXTS,
        "summary",
        name=escape(contact.name),
        organisation=escape(contact.organisation),
        email=escape(contact.email),
    )
