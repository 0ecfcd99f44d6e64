"""Adviser meetings as a conversation: topic, description, a slot or a call-back; /slots."""

from __future__ import annotations

from typing import Any

from icalendar import Calendar
from sqlalchemy import select

from bot.router import Dispatcher
from bot.runtime import Runtime
from cedbot import routers as build_routers
from storage.bookings import Meeting, Slot
from storage.models import OutboxMessage
from tests.bookings_support import add_slot, person_with_details
from tests.chat import Chat


async def outbox(rt: Runtime) -> list[OutboxMessage]:
    async with rt.sessions() as session:
        return list((await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars())


async def start_request(chat: Chat, topic: str = "Internationalisation") -> None:
    await chat.send("/advice")
    await chat.press(topic)
    await chat.send("We want partners in Germany for a hydrogen project.")


async def test_book_a_slot_and_the_advisers_are_told(make_runtime: Any) -> None:
    rt: Runtime = await make_runtime(adviser_channel="console:advisers")
    chat = Chat(rt, "anna")
    await chat.send("/advice")
    assert "What would you like to talk about" in chat.text()
    await chat.press("Internationalisation")
    await chat.send("Help")
    assert "10 to 1000 characters" in chat.text()
    await chat.send("We want partners in Germany for a hydrogen project.")
    assert "next free times" in chat.text()
    await chat.press("Tue 12 Jan, 10:00")
    await chat.send("Anna Berg")
    await chat.send("Acme Cluster")
    await chat.send("anna@acme.dk")
    assert "Book a meeting on Internationalisation" in chat.text()
    await chat.press("Confirm")
    assert "Your meeting is booked: Tue 12 Jan 2027, 10:00–11:00, Mette Lund, online" in chat.text()
    event = Calendar.from_ical(chat.replies[-1].attachments[0].content).walk("VEVENT")[0]
    assert event.decoded("DTSTART").isoformat() == "2027-01-12T09:00:00+00:00"  # 10:00 in Copenhagen

    [note] = await outbox(rt)
    assert note.chat_id == "advisers"
    assert "Internationalisation" in note.payload["text"] and "hydrogen project" in note.payload["text"]
    assert "anna@acme.dk" in note.payload["text"] and note.payload["attachments"][0][0].endswith(".ics")

    other = Chat(rt, "bo")
    await start_request(other)
    assert "Tue 12 Jan, 10:00" not in other.text()  # taken now


async def test_none_of_these_suit_me_sends_a_call_back_request(make_runtime: Any) -> None:
    rt: Runtime = await make_runtime(adviser_channel="console:advisers")
    await person_with_details(rt, "anna", rt.clock())
    chat = Chat(rt, "anna")
    await start_request(chat)
    await chat.press("None of these suit me")
    assert "contact you about" in chat.text()
    await chat.press("Confirm")
    assert "#1 in the advisers' queue" in chat.text() and "within two working days" in chat.text()
    [note] = await outbox(rt)
    assert "Call-back request" in note.payload["text"] and "hydrogen" in note.payload["text"]


async def test_hand_off_button_only_when_that_feature_is_installed(runtime: Runtime) -> None:
    chat = Chat(runtime, "anna")
    await start_request(chat)
    assert chat.button("Write to an adviser now").action == "handoff:start"
    runtime.dispatcher = Dispatcher([r for r in build_routers() if r.name != "handoff"])
    await start_request(chat)
    assert not any(b.action.startswith("handoff") for b in chat.buttons())


async def test_labels_button_starts_advice_with_the_topic_chosen(runtime: Runtime) -> None:
    chat = Chat(runtime, "anna")
    await chat.press_action("advice:start:labels")
    assert chat.text().startswith("Cluster excellence labels. Describe briefly")
    await chat.press_action("advice:start:nonsense")
    assert "What would you like to talk about" in chat.text()


async def test_double_tap_books_once_and_a_taken_slot_offers_others(runtime: Runtime, clock: Any) -> None:
    slot = await add_slot(runtime, clock(), days=1)
    for user in ("anna", "bo"):
        await person_with_details(runtime, user, clock())
    anna, bo = Chat(runtime, "anna"), Chat(runtime, "bo")
    for chat in (anna, bo):
        await start_request(chat)
        await chat.press(f"advice:slot:{slot}")
    await anna.press("Confirm")
    assert "Your meeting is booked" in anna.text()
    await anna.press_action(f"advice:confirm:{slot}")
    assert "already booked this meeting" in anna.text()
    await bo.press("Confirm")
    assert "someone booked that time a moment ago" in bo.text() and "next free times" in bo.text()
    async with runtime.sessions() as session:
        assert len((await session.execute(select(Meeting))).all()) == 1


async def test_cancel_and_reschedule_from_mybookings(make_runtime: Any) -> None:
    rt: Runtime = await make_runtime(adviser_channel="console:advisers")
    await person_with_details(rt, "anna", rt.clock())
    chat = Chat(rt, "anna")
    await start_request(chat)
    await chat.press("Tue 12 Jan, 10:00")
    await chat.press("Confirm")
    await chat.send("/mybookings")
    assert "Adviser meeting on Internationalisation" in chat.text()
    await chat.press("Move meeting")
    await chat.press("Thu 14 Jan, 09:00")
    assert "moved to Thu 14 Jan 2027, 09:00–09:45" in chat.text() and chat.replies[-1].attachments
    await chat.send("/mybookings")
    await chat.press("Cancel meeting")
    assert "Cancel your meeting" in chat.text()
    await chat.press("Yes, cancel")
    assert "is cancelled" in chat.text()
    await chat.press_action("advice:cancelyes:1")
    assert "cancelled or already over" in chat.text()
    texts = [m.payload["text"] for m in await outbox(rt)]
    assert [t.split("**")[1] for t in texts] == ["New meeting", "Meeting moved", "Meeting cancelled"]


async def test_someone_elses_meeting_cannot_be_touched(runtime: Runtime) -> None:
    await person_with_details(runtime, "anna", runtime.clock())
    anna, eve = Chat(runtime, "anna"), Chat(runtime, "eve")
    await start_request(anna)
    await anna.press("Tue 12 Jan, 10:00")
    await anna.press("Confirm")
    async with runtime.sessions() as session:
        meeting = (await session.execute(select(Meeting))).scalar_one()
    for action in (
        f"advice:cancelyes:{meeting.id}",
        f"advice:resched:{meeting.id}",
        f"advice:move:{meeting.id}:2",
    ):
        await eve.press_action(action)
        assert "isn't yours" in eve.text()
    await eve.press_action(f"advice:confirm:{meeting.slot_id}")
    assert "no longer open" in eve.text()
    async with runtime.sessions() as session:
        again = (await session.execute(select(Meeting))).scalar_one()
    assert (again.status, again.slot_id) == ("booked", meeting.slot_id)


async def test_meeting_reminder_goes_out_once(runtime: Runtime, clock: Any) -> None:
    slot = await add_slot(runtime, clock(), days=2)
    await person_with_details(runtime, "anna", clock())
    chat = Chat(runtime, "anna")
    await start_request(chat)
    await chat.press(f"advice:slot:{slot}")
    await chat.press("Confirm")
    clock.advance(days=1, hours=1)
    await runtime.run_due_jobs()
    clock.advance(hours=1)
    await runtime.run_due_jobs()
    reminders = [m for m in await outbox(runtime) if "Reminder" in m.payload["text"]]
    assert len(reminders) == 1 and reminders[0].chat_id == "anna"


async def test_advisers_manage_slots_in_chat(make_runtime: Any) -> None:
    rt: Runtime = await make_runtime(advisers="console:mette")
    mette, anna = Chat(rt, "mette"), Chat(rt, "anna")
    await anna.send("/slots")
    assert "only for CED advisers" in anna.text()
    await mette.send("/slots add 2027-02-02 10:00 0")
    assert "whole number of minutes from 1 to 480" in mette.text()
    await mette.send("/slots add 2026-11-02 10:00 60")
    assert "is in the past" in mette.text()
    await mette.send("/slots add 2027-02-31 10:00 60")
    assert "is not a date" in mette.text()
    await mette.send("/slots add 2027-02-02 25:00 60")
    assert "is not a time of day" in mette.text()
    await mette.send("/slots add 2027-02-02 10:00 60 CED, Aarhus")
    assert "Added slot" in mette.text() and "CED, Aarhus" in mette.text()
    await mette.send("/slots add 2027-02-02 10:00 60")
    assert "already have a slot" in mette.text()
    await mette.send("/lang da")
    await mette.send("/slots add 2027-02-02 11:00 nul")
    assert "helt antal minutter" in mette.text()
    await mette.send("/lang en")
    async with rt.sessions() as session:
        slot_id = (await session.execute(select(Slot.id).where(Slot.adviser_name == "mette"))).scalar_one()

    await person_with_details(rt, "anna", rt.clock())
    await start_request(anna)
    await anna.press_action(f"advice:slot:{slot_id}")  # a later time than the five offered first
    await anna.press("Confirm")
    await mette.send("/slots")
    assert f"#{slot_id}" in mette.text() and "booked by Person anna, Test Cluster" in mette.text()
    await mette.send(f"/slots remove {slot_id}")
    assert "they have been told" in mette.text()
    await mette.send("/slots remove 99999")
    assert "no upcoming slot #99999" in mette.text()
    told = [m for m in await outbox(rt) if m.chat_id == "anna"]
    assert "the adviser had to cancel your meeting" in told[0].payload["text"]
    await anna.send("/mybookings")
    assert "no upcoming bookings" in anna.text()
