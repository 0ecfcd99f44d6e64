"""/slots for advisers: see the coming slots, add one, remove one."""

from __future__ import annotations

from datetime import date, time, timedelta

from bot.context import Context
from bot.markup import escape
from bot.payload import whole_number
from bot.router import Result, Role
from bot.types import Lang, Reply
from handlers.advice.chat import router
from handlers.advice.importing import MAX_MINUTES
from handlers.advice.listing import slot_text
from handlers.advice.texts import ADVISER_TEXTS, TEXTS
from handlers.advice.topics import label
from handlers.bookings import timefmt
from storage import bookings_repo as repo
from storage.bookings import Slot

T = ADVISER_TEXTS
HORIZON_YEARS = 5


@router.command(
    "slots",
    usage="[add DATE TIME MINUTES [PLACE] | remove ID]",
    help={"en": "your meeting slots: list, add, remove", "da": "dine mødetider: se, tilføj, fjern"},
    role=Role.ADVISER,
)
async def slots(ctx: Context) -> Result:
    verb, _, rest = ctx.args.partition(" ")
    if not verb:
        return await _list(ctx)
    if verb.lower() == "add":
        return await _add(ctx, rest.split(maxsplit=3))
    if verb.lower() == "remove":
        return await _remove(ctx, rest.strip().lstrip("#"))
    return Reply(ctx.t(T, "usage"))


async def _list(ctx: Context) -> Reply:
    rows = await repo.upcoming_slots(ctx.session, ctx.now)
    if not rows:
        return Reply(ctx.t(T, "list_none"))
    lines = [ctx.t(T, "list_title")]
    for slot, meeting in rows:
        text = slot_text(slot, ctx.lang)
        if meeting is None:
            lines.append(ctx.t(T, "list_free", id=slot.id, slot=text))
        else:
            lines.append(
                ctx.t(
                    T,
                    "list_booked",
                    id=slot.id,
                    slot=text,
                    name=escape(meeting.name),
                    organisation=escape(meeting.organisation),
                    topic=label(meeting.topic, ctx.lang),
                )
            )
    return Reply("\n".join(lines))


async def _add(ctx: Context, parts: list[str]) -> Reply:
    if len(parts) < 3:
        return Reply(ctx.t(T, "usage"))
    day_text, clock_text, minutes_text, *place = parts
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        return Reply(ctx.t(T, "bad_date", value=escape(day_text[:40])))
    try:
        clock = time.fromisoformat(clock_text)
    except ValueError:
        return Reply(ctx.t(T, "bad_time", value=escape(clock_text[:40])))
    minutes = whole_number(minutes_text)
    if minutes is None or not 1 <= minutes <= MAX_MINUTES:
        return Reply(ctx.t(T, "bad_minutes", value=escape(minutes_text[:40])))
    if day > ctx.now.date() + timedelta(days=365 * HORIZON_YEARS):
        # Far dates overflow the end time and the calendar invite; no adviser plans that far.
        return Reply(ctx.t(T, "too_far", years=HORIZON_YEARS, value=escape(day_text[:40])))
    start = timefmt.local(day, clock)
    if start <= ctx.now:
        return Reply(ctx.t(T, "past", when=timefmt.when(start, ctx.lang)))
    adviser = ctx.person.display_name or ctx.incoming.identity.user_id
    if await repo.slot_exists(ctx.session, adviser, start):
        return Reply(ctx.t(T, "duplicate", when=timefmt.when(start, ctx.lang)))
    where = place[0].strip() if place else ""
    online = not where or where.lower() == "online"
    slot = Slot(
        start=start,
        minutes=minutes,
        adviser_name=adviser[:100],
        adviser_key=ctx.incoming.identity.key,
        online=online,
        place=None if online else where[:200],
        created_at=ctx.now,
    )
    ctx.session.add(slot)
    await ctx.session.flush()
    return Reply(ctx.t(T, "added", id=slot.id, slot=slot_text(slot, ctx.lang)))


async def _remove(ctx: Context, value: str) -> Reply:
    slot_id = whole_number(value)
    slot = await ctx.session.get(Slot, slot_id) if slot_id is not None else None
    if slot is None or slot.removed_at is not None or slot.start <= ctx.now:
        return Reply(ctx.t(T, "no_slot", value=escape(value[:20])))
    slot.removed_at = ctx.now
    text = slot_text(slot, ctx.lang)
    meeting = await repo.meeting_on_slot(ctx.session, slot.id)
    if meeting is None or not await repo.cancel_meeting(ctx.session, meeting, ctx.now):
        return Reply(ctx.t(T, "removed", id=slot.id, slot=text))

    def told(lang: Lang) -> Reply:
        return Reply(TEXTS(lang, "removed_by_adviser", slot=slot_text(slot, lang)))

    await ctx.notify_person(meeting.person_id, told)
    return Reply(ctx.t(T, "removed_told", id=slot.id, slot=text, name=escape(meeting.name)))
