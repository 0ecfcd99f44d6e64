"""How slots and meetings are shown, their invites, and what the advisers' channel is told."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.context import Context, Notifier
from bot.markup import escape
from bot.payload import Payload
from bot.types import Attachment, Button, Lang, Reply
from handlers.advice.buttons import CancelMeeting, Reschedule
from handlers.advice.texts import ADVISER_TEXTS, TEXTS
from handlers.advice.topics import label
from handlers.bookings import timefmt
from handlers.bookings.invite import invite, place_and_link
from storage import bookings_repo as repo
from storage.bookings import Meeting, Slot


def end(slot: Slot) -> datetime:
    return slot.start + timedelta(minutes=slot.minutes)


def where(slot: Slot, lang: Lang) -> str:
    return escape(slot.place) if not slot.online and slot.place else TEXTS(lang, "online")


def slot_text(slot: Slot, lang: Lang) -> str:
    """``Tue 12 Jan 2027, 10:00-11:00, Mette Lund, online``."""
    return f"{timefmt.span(slot.start, end(slot), lang)}, {escape(slot.adviser_name)}, {where(slot, lang)}"


def slot_button(slot: Slot, lang: Lang, payload: Payload) -> Button:
    text = TEXTS(
        lang,
        "slot_line",
        when=timefmt.short(slot.start, lang),
        minutes=slot.minutes,
        adviser=slot.adviser_name,
        where=slot.place if not slot.online and slot.place else TEXTS(lang, "online"),
    )
    return payload.button(timefmt.clip(text, 64))


def meeting_invite(
    meeting: Meeting, slot: Slot, lang: Lang, now: datetime, *, for_adviser: bool, cancel: bool = False
) -> Attachment:
    """The meeting for a calendar; the same UID on every version, its SEQUENCE raised by each change."""
    topic = label(meeting.topic, lang)
    if for_adviser:
        title = ADVISER_TEXTS(lang, "ics_title", name=meeting.name, organisation=meeting.organisation)
    else:
        title = TEXTS(lang, "ics_title", topic=topic)
    location, link = place_and_link(slot.place, slot.online, TEXTS(lang, "online"))
    notes = [topic, meeting.description, slot.adviser_name]
    if slot.online and not link:
        notes.append(TEXTS(lang, "ics_link_later"))
    return invite(
        f"ced-meeting-{meeting.id}",
        title,
        [(slot.start, end(slot))],
        now,
        location=location,
        link=link,
        description="\n\n".join(notes),
        filename=f"ced-meeting-{meeting.id}.ics",
        sequence=meeting.sequence,
        cancel=cancel,
    )


def tell_advisers(
    n: Notifier, key: str, meeting: Meeting, slot: Slot, *, invite_too: bool, cancel: bool = False, **extra: str
) -> None:
    """Post to the advisers' channel, in the default language, with the invite when asked."""
    lang = n.settings.default_language
    text = ADVISER_TEXTS(
        lang,
        key,
        slot=slot_text(slot, lang),
        topic=label(meeting.topic, lang),
        name=escape(meeting.name),
        organisation=escape(meeting.organisation),
        **({"email": escape(meeting.email), "description": escape(meeting.description)} if key == "booked" else {}),
        **extra,
    )
    files = [meeting_invite(meeting, slot, lang, n.now, for_adviser=True, cancel=cancel)] if invite_too else []
    n.notify_advisers(Reply(text, attachments=files), about=meeting.person_id)


async def my_meetings(ctx: Context) -> tuple[list[str], list[list[Button]]]:
    """The person's upcoming meetings for /mybookings, with Cancel and Move buttons."""
    lines: list[str] = []
    buttons: list[list[Button]] = []
    for meeting, slot in await repo.person_meetings(ctx.session, ctx.person.id, ctx.now):
        topic = label(meeting.topic, ctx.lang)
        lines.append(ctx.t(TEXTS, "my_meeting", topic=topic, slot=slot_text(slot, ctx.lang)))
        short = timefmt.short(slot.start, ctx.lang)
        buttons.append(
            [
                CancelMeeting(meeting.id).button(ctx.t(TEXTS, "btn_cancel", when=short)),
                Reschedule(meeting.id).button(ctx.t(TEXTS, "btn_resched", when=short)),
            ]
        )
    return lines, buttons
