"""/advice: topic, a short description, a free slot (or a call-back); cancel and move; reminders."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import func, select

from bot.context import Context, Notifier
from bot.markup import escape
from bot.router import Result, Router
from bot.runtime import Runtime
from bot.types import Button, Lang, Reply
from handlers.advice.buttons import (
    AdviceFlow,
    CallMe,
    CancelMeeting,
    CancelYes,
    Change,
    Confirm,
    Keep,
    Move,
    NoSlot,
    PickSlot,
    Reschedule,
    Start,
    Stop,
    Topic,
)
from handlers.advice.listing import meeting_invite, my_meetings, slot_button, slot_text, tell_advisers
from handlers.advice.texts import ADVISER_TEXTS, TEXTS
from handlers.advice.topics import TOPICS, label
from handlers.bookings import contact
from handlers.bookings.tools import one_loader_at_a_time
from handlers.capabilities import ASK_ADVISER, BOOK_MEETING, MY_BOOKINGS, QUEUE_CALLBACK
from storage import bookings_repo as repo
from storage.bookings import Meeting, MeetingStatus, Slot

router = Router("advice")
log = logging.getLogger("cedbot.advice")

SAMPLE_LOCK = 50052


# Topic and description -------------------------------------------------------------------------


@router.command("advice", help={"en": "book a meeting with a CED adviser", "da": "book et møde med en rådgiver"})
async def advice(ctx: Context) -> Result:
    await ctx.flow.start(AdviceFlow.topic)
    return _topics(ctx)


def _topics(ctx: Context) -> Reply:
    keys = list(TOPICS)
    rows = [[Topic(k).button(label(k, ctx.lang)) for k in keys[i : i + 2]] for i in range(0, len(keys), 2)]
    return Reply(ctx.t(TEXTS, "ask_topic"), buttons=rows)


@router.button(Topic)
async def topic_chosen(ctx: Context, pressed: Topic) -> Result:
    return await _begin(ctx, pressed.topic)


@router.button(Start)
async def start(ctx: Context, pressed: Start) -> Result:
    """A request started by another feature, on a topic of its own choosing."""
    return await _begin(ctx, pressed.topic)


async def _begin(ctx: Context, topic: str | None) -> Result:
    if topic not in TOPICS:
        return await advice(ctx)
    await ctx.flow.start(AdviceFlow.describe, topic=topic)
    return Reply(ctx.t(TEXTS, "ask_describe", topic=label(topic, ctx.lang)))


router.provide(BOOK_MEETING, lambda text, topic: Start(topic).button(text))
router.provide(MY_BOOKINGS, my_meetings)


@router.state(AdviceFlow)
async def on_step(ctx: Context) -> Result:
    if ctx.flow.at(AdviceFlow.topic):
        return _topics(ctx)
    if ctx.flow.at(AdviceFlow.describe):
        text = ctx.args.strip()
        if not 10 <= len(text) <= 1000:
            return Reply(ctx.t(TEXTS, "bad_describe"))
        await ctx.flow.goto(AdviceFlow.pick, description=text)
        return await _offer(ctx)
    if ctx.flow.at(AdviceFlow.pick):
        return await _offer(ctx)
    if ctx.flow.at(AdviceFlow.confirm):
        return await _confirm_card(ctx)
    result = await contact.step(ctx, AdviceFlow)
    if isinstance(result, Reply):
        return result
    await ctx.flow.goto(AdviceFlow.confirm)
    return await _confirm_card(ctx)


def _handoff(ctx: Context) -> list[list[Button]]:
    """Offer the hand-off to a person where that feature is installed."""
    ask_adviser = ctx.capability(ASK_ADVISER)
    return [[ask_adviser(ctx.t(TEXTS, "btn_handoff"))]] if ask_adviser else []


async def _offer(ctx: Context, first: str | None = None) -> Reply:
    slots = await repo.free_slots(ctx.session, ctx.now, limit=5)
    buttons = [[slot_button(s, ctx.lang, PickSlot(s.id))] for s in slots]
    key, none_label = ("pick", "btn_none") if slots else ("no_slots", "btn_callback")
    buttons.append([NoSlot().button(ctx.t(TEXTS, none_label))])
    text = ctx.t(TEXTS, key)
    return Reply(f"{first}\n\n{text}" if first else text, buttons=buttons + _handoff(ctx))


def _in_flow(ctx: Context) -> bool:
    """True while an advice request with a topic and a description is open."""
    return ctx.flow.within(AdviceFlow) and "description" in ctx.flow.data


# Choosing and booking --------------------------------------------------------------------------


async def _free(ctx: Context, slot_id: int) -> Slot | None:
    slot = await ctx.session.get(Slot, slot_id)
    if slot is None or slot.removed_at is not None or slot.start <= ctx.now:
        return None
    return None if await repo.meeting_on_slot(ctx.session, slot.id) else slot


@router.button(PickSlot)
async def _pick(ctx: Context, pressed: PickSlot) -> Result:
    if not _in_flow(ctx):
        return Reply(ctx.t(TEXTS, "expired"))
    if await _free(ctx, pressed.slot_id) is None:
        await ctx.flow.goto(AdviceFlow.pick)
        return await _offer(ctx, ctx.t(TEXTS, "slot_gone"))
    return await _to_confirm(ctx, slot_id=pressed.slot_id, callback=False)


@router.button(NoSlot)
async def _none(ctx: Context, _: NoSlot) -> Result:
    if not _in_flow(ctx):
        return Reply(ctx.t(TEXTS, "expired"))
    return await _to_confirm(ctx, slot_id=None, callback=True)


async def _to_confirm(ctx: Context, **choice: object) -> Result:
    await ctx.flow.goto(AdviceFlow.confirm, **choice)
    if await repo.get_contact(ctx.session, ctx.person.id) is None:
        return await contact.ask(ctx, AdviceFlow)
    return await _confirm_card(ctx)


async def _confirm_card(ctx: Context) -> Reply:
    data = ctx.flow.data
    known = await repo.get_contact(ctx.session, ctx.person.id)
    if known is None:
        return await contact.ask(ctx, AdviceFlow)
    topic = label(data["topic"], ctx.lang)
    confirm: CallMe | Confirm
    if data.get("callback"):
        text, confirm = ctx.t(TEXTS, "confirm_callback", topic=topic), CallMe()
    else:
        slot = await _free(ctx, data["slot_id"])
        if slot is None:
            await ctx.flow.goto(AdviceFlow.pick)
            return await _offer(ctx, ctx.t(TEXTS, "slot_gone"))
        text = ctx.t(TEXTS, "confirm", topic=topic, slot=slot_text(slot, ctx.lang))
        confirm = Confirm(slot.id)
    buttons = [
        [confirm.button(ctx.t(TEXTS, "btn_confirm"))],
        [Change().button(ctx.t(TEXTS, "btn_change")), Stop().button(ctx.t(TEXTS, "btn_stop"))],
    ]
    return Reply(f"{text}\n{contact.summary(ctx, known)}", buttons=buttons)


async def _mine_on(ctx: Context, slot_id: int) -> bool:
    meeting = await repo.meeting_on_slot(ctx.session, slot_id)
    return meeting is not None and meeting.person_id == ctx.person.id


@router.button(Confirm)
async def _confirm(ctx: Context, pressed: Confirm) -> Result:
    """Take the slot; the unique index decides when many press at once, a double tap books once."""
    slot_id = pressed.slot_id
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
        await ctx.flow.goto(AdviceFlow.pick)
        return await _offer(ctx, ctx.t(TEXTS, "taken"))
    await ctx.flow.clear()
    tell_advisers(ctx, "booked", meeting, slot, invite_too=True)
    ics = meeting_invite(meeting, slot, ctx.lang, ctx.now, for_adviser=False)
    return Reply(ctx.t(TEXTS, "booked", slot=slot_text(slot, ctx.lang)), attachments=[ics])


@router.button(CallMe)
async def _callback(ctx: Context, _: CallMe) -> Result:
    known = await repo.get_contact(ctx.session, ctx.person.id)
    if not _in_flow(ctx) or not ctx.flow.data.get("callback") or known is None:
        return Reply(ctx.t(TEXTS, "expired"))
    data = ctx.flow.data
    await ctx.flow.clear()
    lang = ctx.settings.default_language
    queue = ctx.capability(QUEUE_CALLBACK)
    if queue is not None:  # the one adviser queue: claimed, resolved and listed like any request
        number, told = await queue(ctx, label(data["topic"], lang), data["description"], known)
        key = "callback_queued" if told else "callback_unannounced"
        return Reply(ctx.t(TEXTS, key, number=number, email=escape(known.email)), buttons=_handoff(ctx))
    repo.add_callback(ctx.session, ctx.person.id, data["topic"], data["description"], known, ctx.now)
    told = ctx.notify_advisers(
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
    return Reply(ctx.t(TEXTS, "callback_done" if told else "callback_kept"), buttons=_handoff(ctx))


@router.button(Change)
async def _change(ctx: Context, _: Change) -> Result:
    if not _in_flow(ctx):
        return Reply(ctx.t(TEXTS, "expired"))
    return await contact.ask(ctx, AdviceFlow)


@router.button(Stop)
async def _stop(ctx: Context, _: Stop) -> Result:
    if ctx.flow.within(AdviceFlow):
        await ctx.flow.clear()
    return Reply(ctx.t(TEXTS, "stopped"))


# Cancel and move -------------------------------------------------------------------------------


async def _own(ctx: Context, meeting_id: int) -> tuple[Meeting, Slot] | Reply:
    meeting = await ctx.session.get(Meeting, meeting_id)
    if meeting is None or meeting.person_id != ctx.person.id:
        return Reply(ctx.t(TEXTS, "not_yours"))
    slot = await ctx.session.get_one(Slot, meeting.slot_id)
    if meeting.status != MeetingStatus.BOOKED or slot.start <= ctx.now:
        return Reply(ctx.t(TEXTS, "not_active"))
    return meeting, slot


@router.button(CancelMeeting)
async def _cancel_ask(ctx: Context, pressed: CancelMeeting) -> Result:
    own = await _own(ctx, pressed.meeting_id)
    if isinstance(own, Reply):
        return own
    meeting, slot = own
    text = ctx.t(TEXTS, "cancel_ask", topic=label(meeting.topic, ctx.lang), slot=slot_text(slot, ctx.lang))
    buttons = [
        [
            CancelYes(meeting.id).button(ctx.t(TEXTS, "btn_yes_cancel")),
            Keep().button(ctx.t(TEXTS, "btn_keep")),
        ]
    ]
    return Reply(text, buttons=buttons)


@router.button(CancelYes)
async def _cancel(ctx: Context, pressed: CancelYes) -> Result:
    own = await _own(ctx, pressed.meeting_id)
    if isinstance(own, Reply):
        return own
    meeting, slot = own
    if not await repo.cancel_meeting(ctx.session, meeting, ctx.now):
        return Reply(ctx.t(TEXTS, "not_active"))
    tell_advisers(ctx, "cancelled", meeting, slot, invite_too=True, cancel=True)
    ics = meeting_invite(meeting, slot, ctx.lang, ctx.now, for_adviser=False, cancel=True)
    return Reply(ctx.t(TEXTS, "cancelled", slot=slot_text(slot, ctx.lang)), attachments=[ics])


@router.button(Reschedule)
async def _reschedule(ctx: Context, pressed: Reschedule) -> Result:
    return await _resched(ctx, pressed.meeting_id)


async def _resched(ctx: Context, meeting_id: int) -> Reply:
    own = await _own(ctx, meeting_id)
    if isinstance(own, Reply):
        return own
    meeting, slot = own
    slots = await repo.free_slots(ctx.session, ctx.now, limit=5)
    if not slots:
        return Reply(ctx.t(TEXTS, "resched_none"))
    buttons = [[slot_button(s, ctx.lang, Move(meeting.id, s.id))] for s in slots]
    buttons.append([Keep().button(ctx.t(TEXTS, "btn_keep"))])
    return Reply(ctx.t(TEXTS, "resched_pick", slot=slot_text(slot, ctx.lang)), buttons=buttons)


@router.button(Move)
async def _move(ctx: Context, pressed: Move) -> Result:
    own = await _own(ctx, pressed.meeting_id)
    if isinstance(own, Reply):
        return own
    meeting, old = own
    new = await _free(ctx, pressed.slot_id)
    if new is None or not await repo.move_meeting(ctx.session, meeting, new, ctx.now):
        return [Reply(ctx.t(TEXTS, "slot_gone")), await _resched(ctx, meeting.id)]
    was = slot_text(old, ctx.settings.default_language)
    tell_advisers(ctx, "moved", meeting, new, invite_too=True, old=was)
    ics = meeting_invite(meeting, new, ctx.lang, ctx.now, for_adviser=False)
    return Reply(ctx.t(TEXTS, "moved", slot=slot_text(new, ctx.lang)), attachments=[ics])


@router.button(Keep)
async def _keep(ctx: Context, _: Keep) -> Result:
    return Reply(ctx.t(TEXTS, "kept"))


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
    from fileimport import FileProblem
    from handlers.advice import importing  # the import pipeline, only for an empty database

    async with runtime.sessions() as session, session.begin():
        await one_loader_at_a_time(session, SAMPLE_LOCK)
        if await session.scalar(select(func.count()).select_from(Slot)):
            return
        now = runtime.clock()
        try:
            await importing.write(session, importing.read(importing.SAMPLE.read_text("utf-8"), now), now)
        except FileProblem as exc:  # e.g. the sample dates have passed: start without them
            log.warning("sample slots not loaded: %s", exc)
