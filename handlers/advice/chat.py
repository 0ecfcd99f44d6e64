"""/advice: topic, a short description, a free slot (or a call-back); cancel and move; reminders."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy import func, select

from bot.context import Context, Notifier
from bot.importing import FileProblem
from bot.markup import escape
from bot.router import UNHANDLED, Result, Router
from bot.runtime import Runtime
from bot.types import Button, Lang, Reply
from handlers.advice import importing
from handlers.advice.listing import meeting_invite, slot_button, slot_text, tell_advisers
from handlers.advice.texts import ADVISER_TEXTS, TEXTS
from handlers.advice.topics import TOPICS, label
from handlers.bookings import contact
from handlers.bookings.tools import one_loader_at_a_time
from storage import bookings_repo as repo
from storage.bookings import Meeting, MeetingStatus, Slot

router = Router("advice")
log = logging.getLogger("cedbot.advice")

FLOW = "advice"
SAMPLE_LOCK = 50052


# Topic and description -------------------------------------------------------------------------


@router.command("advice", help={"en": "book a meeting with a CED adviser", "da": "book et møde med en rådgiver"})
async def advice(ctx: Context) -> Result:
    await ctx.flow.start(f"{FLOW}.topic")
    return _topics(ctx)


def _topics(ctx: Context) -> Reply:
    keys = list(TOPICS)
    rows = [[Button(label(k, ctx.lang), f"advice:topic:{k}") for k in keys[i : i + 2]] for i in range(0, len(keys), 2)]
    return Reply(ctx.t(TEXTS, "ask_topic"), buttons=rows)


async def _start(ctx: Context, args: list[str]) -> Result:
    """``advice:start[:topic]`` and ``advice:topic:<topic>`` (other features link here)."""
    topic = args[0] if args else ""
    if topic not in TOPICS:
        return await advice(ctx)
    await ctx.flow.start(f"{FLOW}.describe", topic=topic)
    return Reply(ctx.t(TEXTS, "ask_describe", topic=label(topic, ctx.lang)))


@router.state(FLOW)
async def on_step(ctx: Context) -> Result:
    step = (ctx.flow.state or "").removeprefix(FLOW + ".")
    if step == "topic":
        return _topics(ctx)
    if step == "describe":
        text = ctx.args.strip()
        if not 10 <= len(text) <= 1000:
            return Reply(ctx.t(TEXTS, "bad_describe"))
        await ctx.flow.goto(f"{FLOW}.pick", description=text)
        return await _offer(ctx)
    if step == "pick":
        return await _offer(ctx)
    if step == "confirm":
        return await _confirm_card(ctx)
    result = await contact.step(ctx, FLOW)
    if isinstance(result, Reply):
        return result
    await ctx.flow.goto(f"{FLOW}.confirm")
    return await _confirm_card(ctx)


def _handoff(ctx: Context) -> list[list[Button]]:
    """Offer the hand-off to a person where that feature is installed."""
    if "handoff" in ctx.runtime.dispatcher.actions:
        return [[Button(ctx.t(TEXTS, "btn_handoff"), "handoff:start")]]
    return []


async def _offer(ctx: Context, first: str | None = None) -> Reply:
    slots = await repo.free_slots(ctx.session, ctx.now, limit=5)
    buttons = [[slot_button(s, ctx.lang, f"advice:slot:{s.id}")] for s in slots]
    key, none_label = ("pick", "btn_none") if slots else ("no_slots", "btn_callback")
    buttons.append([Button(ctx.t(TEXTS, none_label), "advice:none")])
    text = ctx.t(TEXTS, key)
    return Reply(f"{first}\n\n{text}" if first else text, buttons=buttons + _handoff(ctx))


def _in_flow(ctx: Context) -> bool:
    """True while an advice request with a topic and a description is open."""
    return (ctx.flow.state or "").startswith(FLOW + ".") and "description" in ctx.flow.data


# Choosing and booking --------------------------------------------------------------------------


async def _free(ctx: Context, slot_id: int) -> Slot | None:
    slot = await ctx.session.get(Slot, slot_id)
    if slot is None or slot.removed_at is not None or slot.start <= ctx.now:
        return None
    return None if await repo.meeting_on_slot(ctx.session, slot.id) else slot


async def _pick(ctx: Context, slot_id: int) -> Result:
    if not _in_flow(ctx):
        return Reply(ctx.t(TEXTS, "expired"))
    if await _free(ctx, slot_id) is None:
        await ctx.flow.goto(f"{FLOW}.pick")
        return await _offer(ctx, ctx.t(TEXTS, "slot_gone"))
    return await _to_confirm(ctx, slot_id=slot_id, callback=False)


async def _none(ctx: Context) -> Result:
    if not _in_flow(ctx):
        return Reply(ctx.t(TEXTS, "expired"))
    return await _to_confirm(ctx, slot_id=None, callback=True)


async def _to_confirm(ctx: Context, **choice: object) -> Result:
    await ctx.flow.goto(f"{FLOW}.confirm", **choice)
    if await repo.get_contact(ctx.session, ctx.person.id) is None:
        return await contact.ask(ctx, FLOW)
    return await _confirm_card(ctx)


async def _confirm_card(ctx: Context) -> Reply:
    data = ctx.flow.data
    known = await repo.get_contact(ctx.session, ctx.person.id)
    if known is None:
        return await contact.ask(ctx, FLOW)
    topic = label(data["topic"], ctx.lang)
    if data.get("callback"):
        text, action = ctx.t(TEXTS, "confirm_callback", topic=topic), "advice:callback"
    else:
        slot = await _free(ctx, int(data["slot_id"]))
        if slot is None:
            await ctx.flow.goto(f"{FLOW}.pick")
            return await _offer(ctx, ctx.t(TEXTS, "slot_gone"))
        text = ctx.t(TEXTS, "confirm", topic=topic, slot=slot_text(slot, ctx.lang))
        action = f"advice:confirm:{slot.id}"
    buttons = [
        [Button(ctx.t(TEXTS, "btn_confirm"), action)],
        [
            Button(ctx.t(TEXTS, "btn_change"), "advice:change"),
            Button(ctx.t(TEXTS, "btn_stop"), "advice:stop"),
        ],
    ]
    return Reply(f"{text}\n{contact.summary(ctx, known)}", buttons=buttons)


async def _mine_on(ctx: Context, slot_id: int) -> bool:
    meeting = await repo.meeting_on_slot(ctx.session, slot_id)
    return meeting is not None and meeting.person_id == ctx.person.id


async def _confirm(ctx: Context, slot_id: int) -> Result:
    """Take the slot; the unique index decides when many press at once, a double tap books once."""
    if not _in_flow(ctx) or ctx.flow.data.get("slot_id") != slot_id:
        return Reply(ctx.t(TEXTS, "already" if await _mine_on(ctx, slot_id) else "expired"))
    known = await repo.get_contact(ctx.session, ctx.person.id)
    slot = await ctx.session.get(Slot, slot_id)
    if known is None or slot is None or slot.removed_at is not None or slot.start <= ctx.now:
        return await _confirm_card(ctx)
    data = ctx.flow.data
    meeting = await repo.book_slot(ctx.session, slot, ctx.person.id, data["topic"], data["description"], known, ctx.now)
    if meeting is None:
        if await _mine_on(ctx, slot_id):  # our own double tap, committed a moment ago
            return Reply(ctx.t(TEXTS, "already"))
        await ctx.flow.goto(f"{FLOW}.pick")
        return await _offer(ctx, ctx.t(TEXTS, "taken"))
    await ctx.flow.clear()
    tell_advisers(ctx, "booked", meeting, slot, invite_too=True)
    ics = meeting_invite(meeting, slot, ctx.lang, ctx.now, for_adviser=False)
    return Reply(ctx.t(TEXTS, "booked", slot=slot_text(slot, ctx.lang)), attachments=[ics])


async def _callback(ctx: Context) -> Result:
    known = await repo.get_contact(ctx.session, ctx.person.id)
    if not _in_flow(ctx) or not ctx.flow.data.get("callback") or known is None:
        return Reply(ctx.t(TEXTS, "expired"))
    data = ctx.flow.data
    repo.add_callback(ctx.session, ctx.person.id, data["topic"], data["description"], known, ctx.now)
    await ctx.flow.clear()
    lang = ctx.settings.default_language
    ctx.notify_advisers(
        Reply(
            ADVISER_TEXTS(
                lang,
                "callback",
                topic=label(data["topic"], lang),
                name=escape(known.name),
                organisation=escape(known.organisation),
                email=escape(known.email),
                description=escape(data["description"]),
            )
        )
    )
    return Reply(ctx.t(TEXTS, "callback_done"), buttons=_handoff(ctx))


async def _change(ctx: Context) -> Result:
    if not _in_flow(ctx):
        return Reply(ctx.t(TEXTS, "expired"))
    return await contact.ask(ctx, FLOW)


async def _stop(ctx: Context) -> Result:
    if (ctx.flow.state or "").startswith(FLOW + "."):
        await ctx.flow.clear()
    return Reply(ctx.t(TEXTS, "stopped"))


# Cancel and move -------------------------------------------------------------------------------


async def _own(ctx: Context, meeting_id: int) -> tuple[Meeting, Slot] | Reply:
    meeting = await ctx.session.get(Meeting, meeting_id)
    if meeting is None or meeting.person_id != ctx.person.id:
        return Reply(ctx.t(TEXTS, "not_yours"))
    slot = await ctx.session.get_one(Slot, meeting.slot_id)
    if meeting.status != MeetingStatus.BOOKED.value or slot.start <= ctx.now:
        return Reply(ctx.t(TEXTS, "not_active"))
    return meeting, slot


async def _cancel_ask(ctx: Context, meeting_id: int) -> Result:
    own = await _own(ctx, meeting_id)
    if isinstance(own, Reply):
        return own
    meeting, slot = own
    text = ctx.t(TEXTS, "cancel_ask", topic=label(meeting.topic, ctx.lang), slot=slot_text(slot, ctx.lang))
    buttons = [
        [
            Button(ctx.t(TEXTS, "btn_yes_cancel"), f"advice:cancelyes:{meeting.id}"),
            Button(ctx.t(TEXTS, "btn_keep"), "advice:keep"),
        ]
    ]
    return Reply(text, buttons=buttons)


async def _cancel(ctx: Context, meeting_id: int) -> Result:
    own = await _own(ctx, meeting_id)
    if isinstance(own, Reply):
        return own
    meeting, slot = own
    if not await repo.cancel_meeting(ctx.session, meeting, ctx.now):
        return Reply(ctx.t(TEXTS, "not_active"))
    tell_advisers(ctx, "cancelled", meeting, slot, invite_too=False)
    return Reply(ctx.t(TEXTS, "cancelled", slot=slot_text(slot, ctx.lang)))


async def _resched(ctx: Context, meeting_id: int) -> Reply:
    own = await _own(ctx, meeting_id)
    if isinstance(own, Reply):
        return own
    meeting, slot = own
    slots = await repo.free_slots(ctx.session, ctx.now, limit=5)
    if not slots:
        return Reply(ctx.t(TEXTS, "resched_none"))
    buttons = [[slot_button(s, ctx.lang, f"advice:move:{meeting.id}:{s.id}")] for s in slots]
    buttons.append([Button(ctx.t(TEXTS, "btn_keep"), "advice:keep")])
    return Reply(ctx.t(TEXTS, "resched_pick", slot=slot_text(slot, ctx.lang)), buttons=buttons)


async def _move(ctx: Context, meeting_id: int, slot_id: int) -> Result:
    own = await _own(ctx, meeting_id)
    if isinstance(own, Reply):
        return own
    meeting, old = own
    new = await _free(ctx, slot_id)
    if new is None or not await repo.move_meeting(ctx.session, meeting, new, ctx.now):
        return [Reply(ctx.t(TEXTS, "slot_gone")), await _resched(ctx, meeting_id)]
    was = slot_text(old, ctx.settings.default_language)
    tell_advisers(ctx, "moved", meeting, new, invite_too=True, old=was)
    ics = meeting_invite(meeting, new, ctx.lang, ctx.now, for_adviser=False)
    return Reply(ctx.t(TEXTS, "moved", slot=slot_text(new, ctx.lang)), attachments=[ics])


async def _keep(ctx: Context) -> Result:
    return Reply(ctx.t(TEXTS, "kept"))


# Buttons ---------------------------------------------------------------------------------------

NoArg = Callable[[Context], Awaitable[Result]]
OneId = Callable[[Context, int], Awaitable[Result]]
NO_ARGS: dict[str, NoArg] = {
    "none": _none,
    "callback": _callback,
    "change": _change,
    "stop": _stop,
    "keep": _keep,
}
ONE_ID: dict[str, OneId] = {
    "slot": _pick,
    "confirm": _confirm,
    "cancel": _cancel_ask,
    "cancelyes": _cancel,
    "resched": _resched,
}


def _ids(parts: list[str], count: int) -> list[int] | None:
    if len(parts) != count or not all(p.isdigit() and len(p) <= 12 for p in parts):
        return None
    return [int(p) for p in parts]


@router.action("advice")
async def on_button(ctx: Context) -> Result:
    """``advice:<verb>[:<id>...]``; every verb re-checks what it is given (buttons are easily forged)."""
    verb, *rest = ctx.action_args or [""]
    if verb in ("start", "topic"):
        return await _start(ctx, rest)
    if verb in NO_ARGS:
        return await NO_ARGS[verb](ctx)
    if verb in ONE_ID:
        ids = _ids(rest, 1)
        return await ONE_ID[verb](ctx, ids[0]) if ids else Reply(ctx.t(TEXTS, "not_yours"))
    if verb == "move":
        ids = _ids(rest, 2)
        return await _move(ctx, ids[0], ids[1]) if ids else Reply(ctx.t(TEXTS, "not_yours"))
    return UNHANDLED


# Reminders and sample data ---------------------------------------------------------------------


@router.job("advice-reminders", every=timedelta(minutes=15))
async def remind(n: Notifier) -> None:
    """The day before a meeting, once per meeting and time (a moved meeting is reminded again)."""
    for meeting, slot in await repo.meetings_starting_between(n.session, n.now, n.now + timedelta(days=1)):
        if not await repo.claim_reminder(n.session, f"meeting:{meeting.id}@{slot.id}", n.now):
            continue

        def reply(lang: Lang, meeting: Meeting = meeting, slot: Slot = slot) -> Reply:
            return Reply(TEXTS(lang, "reminder", topic=label(meeting.topic, lang), slot=slot_text(slot, lang)))

        await n.notify_person(meeting.person_id, reply)


@router.on_startup
async def load_sample(runtime: Runtime) -> None:
    """No slots at all: load the sample availability, so a first chat can book a meeting."""
    if not runtime.settings.loads_samples:
        return
    async with runtime.sessions() as session, session.begin():
        await one_loader_at_a_time(session, SAMPLE_LOCK)
        if await session.scalar(select(func.count()).select_from(Slot)):
            return
        now = runtime.clock()
        try:
            await importing.write(session, importing.read(importing.SAMPLE.read_text("utf-8"), now), now)
        except FileProblem as exc:  # e.g. the sample dates have passed: start without them
            log.warning("sample slots not loaded: %s", exc)
