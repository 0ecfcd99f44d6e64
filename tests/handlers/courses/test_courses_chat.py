"""Booking a course seat, as a conversation: catalogue, details, seat or waiting list, cancel."""

from __future__ import annotations

from typing import Any

from icalendar import Calendar
from sqlalchemy import select

from bot.runtime import Runtime
from storage import bookings_repo as repo
from storage.bookings import CourseBooking
from storage.models import OutboxMessage
from tests.bookings_support import add_course, person_with_details
from tests.chat import Chat


async def statuses(rt: Runtime, course_id: int) -> list[str]:
    async with rt.sessions() as session:
        rows = await session.execute(
            select(CourseBooking.status).where(CourseBooking.course_id == course_id).order_by(CourseBooking.id)
        )
        return list(rows.scalars())


async def test_book_a_sample_course_with_details_then_cancel(runtime: Runtime) -> None:
    chat = Chat(runtime, "anna")
    await chat.send("/courses")
    assert "Upcoming CED courses" in chat.text()
    await chat.press("Introduction to cluster management")
    assert "24 of 24 free" in chat.text() and "Odense" in chat.text()
    await chat.press("Book a seat")
    assert "full name" in chat.text()
    await chat.send("Anna Berg")
    await chat.send("Acme Cluster")
    await chat.send("anna at acme")
    assert "not a valid e-mail address" in chat.text()
    await chat.send("anna@acme.dk")
    assert "Anna Berg, Acme Cluster, anna@acme.dk" in chat.text()
    await chat.press("Confirm")
    assert "Your seat on Introduction to cluster management is booked" in chat.text()
    invite = chat.replies[-1].attachments[0]
    assert invite.filename.endswith(".ics") and invite.kind.value == "file"
    events = Calendar.from_ical(invite.content).walk("VEVENT")
    assert len(events) == 2 and str(events[0]["SUMMARY"]) == "Introduction to cluster management"

    await chat.send("/mybookings")
    assert "Introduction to cluster management" in chat.text() and "seat booked" in chat.text()
    await chat.press("Cancel: Introduction")
    assert "Cancel your seat" in chat.text()
    await chat.press("No, keep it")
    assert "stays" in chat.text()
    await chat.send("/mybookings")
    await chat.press("Cancel: Introduction")
    await chat.press("Yes, cancel")
    assert "is cancelled" in chat.text()
    await chat.send("/mybookings")
    assert "no upcoming bookings" in chat.text()


async def test_details_are_remembered_and_can_be_changed(runtime: Runtime) -> None:
    chat = Chat(runtime, "anna")
    await person_with_details(runtime, "anna", runtime.clock())
    await chat.send("/courses")
    await chat.press("Bronze")
    await chat.press("Book a seat")
    assert "Person anna, Test Cluster" in chat.text()  # no questions this time
    await chat.press("Change my details")
    assert "(Now: Person anna.)" in chat.text()
    await chat.send("Anna Berg")
    await chat.send("Nordic Cluster")
    await chat.send("anna@nordic.dk")
    assert "Anna Berg, Nordic Cluster, anna@nordic.dk" in chat.text()
    await chat.press("Confirm")
    assert "is booked" in chat.text()


async def test_full_course_puts_people_on_the_waiting_list_and_a_cancellation_promotes_the_first(
    runtime: Runtime, clock: Any
) -> None:
    course = await add_course(runtime, clock(), capacity=1)
    chats = {}
    for user in ("anna", "bo", "cai"):
        await person_with_details(runtime, user, clock())
        chats[user] = Chat(runtime, user)
    await chats["anna"].press_action(f"course:confirm:{course}")
    assert "is booked" in chats["anna"].text()
    await chats["bo"].press_action(f"course:show:{course}")
    assert "full (0 on the waiting list)" in chats["bo"].text()
    await chats["bo"].press("Join the waiting list")
    await chats["bo"].press("Confirm")
    assert "waiting list as number 1" in chats["bo"].text()
    await chats["cai"].send("/lang da")
    await chats["cai"].press_action(f"course:confirm:{course}")
    assert "ventelisten som nummer 2" in chats["cai"].text()

    await chats["anna"].send("/mybookings")
    await chats["anna"].press("Cancel:")
    await chats["anna"].press("Yes, cancel")
    assert await statuses(runtime, course) == ["cancelled", "seat", "waiting"]
    async with runtime.sessions() as session:
        sent = list((await session.execute(select(OutboxMessage))).scalars())
    assert [m.chat_id for m in sent] == ["bo"]
    assert "a seat has become free" in sent[0].payload["text"] and sent[0].payload["attachments"]
    await chats["cai"].send("/mybookings")
    assert "nummer 1 på ventelisten" in chats["cai"].text()


async def test_double_tap_on_confirm_books_once(runtime: Runtime, clock: Any) -> None:
    course = await add_course(runtime, clock(), capacity=5)
    await person_with_details(runtime, "anna", clock())
    chat = Chat(runtime, "anna")
    await chat.press_action(f"course:book:{course}")
    await chat.press("Confirm")
    await chat.press_action(f"course:confirm:{course}")
    assert "You already have a seat" in chat.text()
    assert await statuses(runtime, course) == ["seat"]


async def test_forged_buttons_are_refused_and_change_nothing(runtime: Runtime, clock: Any) -> None:
    course = await add_course(runtime, clock(), capacity=5)
    old = await add_course(runtime, clock(), days=-2, code="OLD")
    await person_with_details(runtime, "anna", clock())
    await person_with_details(runtime, "eve", clock())
    anna, eve = Chat(runtime, "anna"), Chat(runtime, "eve")
    await anna.press_action(f"course:confirm:{course}")
    async with runtime.sessions() as session:
        booking_id = (await repo.participants(session, course))[0].id

    await eve.press_action(f"course:cancelyes:{booking_id}")
    assert "doesn't exist or isn't yours" in eve.text()
    await eve.press_action(f"course:cancel:{booking_id}")
    assert "isn't yours" in eve.text()
    await eve.press_action("course:confirm:999999")
    assert "can't find that course" in eve.text()
    await eve.press_action(f"course:confirm:{old}")
    assert "already started" in eve.text()
    for malformed in (
        "course:confirm:DROP TABLE",
        "course:confirm:²",
        "course:confirm:-1",
        "course:confirm:" + "9" * 12,
    ):
        await eve.press_action(malformed)
        assert "no longer valid" in eve.text()
    await eve.press_action("course:explode:1")
    assert "no longer valid" in eve.text()
    assert await statuses(runtime, course) == ["seat"]
    assert await statuses(runtime, old) == []


async def test_booking_closes_at_the_deadline(runtime: Runtime, clock: Any) -> None:
    course = await add_course(runtime, clock(), days=10, deadline_days=3)
    await person_with_details(runtime, "anna", clock())
    chat = Chat(runtime, "anna")
    clock.advance(days=7, seconds=1)
    await chat.press_action(f"course:show:{course}")
    assert "Registration closed" in chat.text() and not chat.buttons()[:-1]
    await chat.press_action(f"course:confirm:{course}")
    assert "Registration closed" in chat.text()
    assert await statuses(runtime, course) == []


async def test_a_half_finished_booking_resumes_after_a_restart(make_runtime: Any, runtime: Runtime) -> None:
    chat = Chat(runtime, "anna")
    await chat.send("/courses")
    await chat.press("Bronze")
    await chat.press("Book a seat")
    await chat.send("Anna Berg")
    await runtime.close()

    again: Runtime = await make_runtime()
    chat = Chat(again, "anna")
    await chat.send("Acme Cluster")
    assert "e-mail address" in chat.text()
    await chat.send("anna@acme.dk")
    await chat.press("Confirm")
    assert "Your seat on Getting ready for the Bronze label is booked" in chat.text()


async def test_reminder_goes_out_once_the_day_before(runtime: Runtime, clock: Any) -> None:
    course = await add_course(runtime, clock(), days=3)
    await person_with_details(runtime, "anna", clock())
    await Chat(runtime, "anna").press_action(f"course:confirm:{course}")
    await runtime.run_due_jobs()
    clock.advance(days=2, hours=1)
    assert "course-reminders" in await runtime.run_due_jobs()
    clock.advance(minutes=30)
    assert "course-reminders" in await runtime.run_due_jobs()
    async with runtime.sessions() as session:
        texts = [m.payload["text"] for m in (await session.execute(select(OutboxMessage))).scalars()]
    assert len(texts) == 1 and texts[0].startswith("Reminder: **Test course** starts")


async def test_danish_conversation(runtime: Runtime) -> None:
    chat = Chat(runtime, "anna")
    await chat.send("/lang da")
    await chat.send("/courses")
    assert "Kommende kurser" in chat.text()
    await chat.press("Introduktion til klyngeledelse")
    assert "24 af 24 ledige" in chat.text() and "gratis" in chat.text()
    await chat.press("Book en plads")
    await chat.send("Anna Berg")
    await chat.send("Acme")
    await chat.send("anna@")
    assert "ikke en gyldig e-mailadresse" in chat.text()
