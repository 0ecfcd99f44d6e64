"""What the assistant holds about a person: see it, export it, delete it."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from bot.context import Context
from bot.i18n import Texts
from bot.payload import Payload
from bot.router import Result, Router
from bot.types import Attachment, Reply
from handlers.capabilities import REFRESH_CARDS
from storage import erasure, repos
from storage.models import Person

router = Router("privacy")


class Erase(Payload, feature="privacy", verb="delete"):
    """Yes, delete everything (after /privacy delete)."""


class KeepData(Payload, feature="privacy", verb="keep"):
    pass


TEXTS = Texts(
    {
        "summary": {
            "en": "**What I hold about you**\n"
            "- your chat accounts: {identities}\n"
            "- language preference: {language}\n"
            "- {messages} logged messages (kept {days} days, then deleted)\n"
            "{extra}"
            "Type /privacy export for a copy of all of it, or /privacy delete to erase it.",
            "da": "**Det har jeg gemt om dig**\n"
            "- dine chatkonti: {identities}\n"
            "- sprogvalg: {language}\n"
            "- {messages} loggede beskeder (gemmes i {days} dage og slettes så)\n"
            "{extra}"
            "Skriv /privacy export for at få en kopi af det hele, eller /privacy delete for at slette det.",
        },
        "extra_row": {"en": "- {what}: {count}\n", "da": "- {what}: {count}\n"},
        "held_advice_callbacks": {"en": "call-back requests", "da": "anmodninger om at blive ringet op"},
        "held_advice_meetings": {"en": "meetings with an adviser", "da": "møder med en rådgiver"},
        "held_booking_contacts": {
            "en": "saved contact details (name, organisation, e-mail)",
            "da": "gemte kontaktoplysninger (navn, organisation, e-mail)",
        },
        "held_course_bookings": {
            "en": "course seats and waiting-list places",
            "da": "kursuspladser og ventelistepladser",
        },
        "held_faq_answers": {
            "en": "answers you were given, with your feedback",
            "da": "svar, du har fået, med din vurdering",
        },
        "held_faq_declined": {
            "en": "questions I could not answer",
            "da": "spørgsmål, jeg ikke kunne svare på",
        },
        "held_label_links": {"en": "links to your cluster", "da": "tilknytninger til din klynge"},
        "held_label_reminders_sent": {"en": "label reminders sent to you", "da": "mærkepåmindelser sendt til dig"},
        "held_tickets": {"en": "requests to an adviser", "da": "forespørgsler til en rådgiver"},
        "held_other": {"en": "other records ({table})", "da": "andre oplysninger ({table})"},
        "auto": {"en": "automatic", "da": "automatisk"},
        "lang_da": {"en": "Danish", "da": "dansk"},
        "lang_en": {"en": "English", "da": "engelsk"},
        "export": {
            "en": "Here is everything I hold about you, as a JSON file.",
            "da": "Her er alt, hvad jeg har gemt om dig, som en JSON-fil.",
        },
        "confirm_delete": {
            "en": "This erases everything I hold about you: bookings, requests, messages, preferences. "
            "It cannot be undone. Are you sure?",
            "da": "Det sletter alt, hvad jeg har gemt om dig: bookinger, forespørgsler, beskeder og valg. "
            "Det kan ikke fortrydes. Er du sikker?",
        },
        "yes_delete": {"en": "Yes, delete everything", "da": "Ja, slet det hele"},
        "keep": {"en": "No, keep it", "da": "Nej, behold det"},
        "deleted": {
            "en": "Done: everything I held about you is deleted. If you write again, I start from scratch.",
            "da": "Sådan: alt, hvad jeg havde gemt om dig, er slettet. Skriver du igen, starter jeg forfra.",
        },
        "kept": {"en": "Nothing was deleted.", "da": "Intet blev slettet."},
    }
)

_CORE = {"persons", "channel_identities", "message_log", "flow_states", "outbox"}


@router.command(
    "privacy",
    usage="[export|delete]",
    help={"en": "what I store about you; export or delete it", "da": "hvad jeg gemmer om dig; hent eller slet det"},
)
async def privacy(ctx: Context) -> Result:
    verb = ctx.args.lower().strip()
    if verb == "export":
        return await export(ctx)
    if verb in {"delete", "slet"}:
        return Reply(
            ctx.t(TEXTS, "confirm_delete"),
            buttons=[
                [
                    Erase().button(ctx.t(TEXTS, "yes_delete")),
                    KeepData().button(ctx.t(TEXTS, "keep")),
                ]
            ],
        )
    return await summary(ctx)


async def summary(ctx: Context) -> Reply:
    counts = await repos.held_counts(ctx.session, ctx.person.id)
    extra = "".join(
        ctx.t(TEXTS, "extra_row", count=n, what=held(ctx, name))
        for name, n in counts.items()
        if n and name not in _CORE
    )
    identities = ", ".join(f"{i.channel}:{i.user_id}" for i in ctx.person.identities)
    return Reply(
        ctx.t(
            TEXTS,
            "summary",
            identities=identities,
            language=ctx.t(TEXTS, f"lang_{ctx.person.language}" if ctx.person.language else "auto"),
            messages=counts.get("message_log", 0),
            days=ctx.settings.log_retention_days,
            extra=extra,
        )
    )


def held(ctx: Context, table: str) -> str:
    """What a table holds, in the person's words; a feature's new table still shows, by name."""
    key = f"held_{table}"
    return ctx.t(TEXTS, key) if TEXTS.has(key) else ctx.t(TEXTS, "held_other", table=table)


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


async def export(ctx: Context) -> Reply:
    person = {c.name: _jsonable(getattr(ctx.person, c.key)) for c in Person.__table__.columns}
    data: dict[str, Any] = {"person": person}
    for table, rows in (await repos.held_rows(ctx.session, ctx.person.id)).items():
        data[table] = [{k: _jsonable(v) for k, v in row.items()} for row in rows]
    body = json.dumps(data, ensure_ascii=False, indent=2).encode()
    return Reply(ctx.t(TEXTS, "export"), attachments=[Attachment("cedbot-my-data.json", body, "application/json")])


@router.button(Erase)
async def erase(ctx: Context, _: Erase) -> Result:
    channel = ctx.settings.adviser_channel
    redacted = await erasure.erase_person(
        ctx.session,
        ctx.person.id,
        ctx.now,
        advisers=ctx.settings.advisers,
        adviser_chat=(channel.channel.value, channel.chat_id) if channel else None,
    )
    if redacted and (refresh := ctx.capability(REFRESH_CARDS)) is not None:
        await refresh(ctx, redacted)
    ctx.person_deleted = True
    return Reply(ctx.t(TEXTS, "deleted"), edit=True)


@router.button(KeepData)
async def keep(ctx: Context, _: KeepData) -> Result:
    return Reply(ctx.t(TEXTS, "kept"), edit=True)
