"""Course booking details a manager notices: prices, a full course at Confirm, every session, invites."""

from __future__ import annotations

from typing import Any

import pytest
from icalendar import Calendar

from bot.runtime import Runtime
from storage import bookings_repo as repo
from tests.bookings_support import add_course, person_with_details
from tests.chat import Chat


@pytest.mark.parametrize(
    ("lang", "title", "price"),
    [
        ("en", "International partnerships", "Price: DKK 1,500"),
        ("da", "Internationale partnerskaber", "Pris: 1.500 kr."),
    ],
)
async def test_a_price_is_written_as_the_reader_writes_numbers(
    runtime: Runtime, lang: str, title: str, price: str
) -> None:
    chat = Chat(runtime, "anna")
    await chat.send(f"/lang {lang}")
    await chat.send("/courses")
    await chat.press(title)
    assert price in chat.text()


@pytest.mark.parametrize(
    ("lang", "asked", "join", "placed"),
    [
        ("en", "is now full", "Join the waiting list", "waiting list as number 1"),
        ("da", "er nu fuldt booket", "Skriv mig på ventelisten", "ventelisten som nummer 1"),
    ],
)
async def test_confirm_after_the_last_seat_went_asks_before_the_waiting_list(
    runtime: Runtime, clock: Any, lang: str, asked: str, join: str, placed: str
) -> None:
    course = await add_course(runtime, clock(), capacity=1)
    anna, bo = Chat(runtime, "anna"), Chat(runtime, "bo")
    for user, chat in (("anna", anna), ("bo", bo)):
        await person_with_details(runtime, user, clock())
        await chat.send(f"/lang {lang}")
        await chat.press_action(f"course:book:{course}")
    await anna.press("Confirm" if lang == "en" else "Bekræft")  # the last seat goes to anna
    await bo.press("Confirm" if lang == "en" else "Bekræft")  # bo was looking at a free seat
    assert asked in bo.text() and "1" in bo.text()
    async with runtime.sessions() as session:
        assert await repo.counts(session, course) == (1, 0)  # nothing booked without asking
    await bo.press(join)
    assert placed in bo.text()


@pytest.mark.parametrize(("lang", "second_day"), [("en", "Wed 20 Jan 2027, 09:00–15:00"), ("da", "ons. 20. jan. 2027")])
async def test_a_two_day_course_confirmation_shows_both_days(runtime: Runtime, lang: str, second_day: str) -> None:
    await person_with_details(runtime, "anna", runtime.clock())
    chat = Chat(runtime, "anna")
    await chat.send(f"/lang {lang}")
    await chat.send("/courses")
    await chat.press("Introduction to cluster management" if lang == "en" else "Introduktion til klyngeledelse")
    await chat.press("Book")
    assert second_day in chat.text()


def events(reply_attachment: bytes) -> tuple[Calendar, list[Any]]:
    cal = Calendar.from_ical(reply_attachment)
    return cal, cal.walk("VEVENT")


async def test_a_seat_invite_has_ced_as_organiser_and_a_cancellation_withdraws_it(runtime: Runtime, clock: Any) -> None:
    await person_with_details(runtime, "anna", clock())
    chat = Chat(runtime, "anna")
    await chat.send("/courses")
    await chat.press("Getting ready for the Bronze label")  # online, no place
    await chat.press("Book")
    await chat.press("Confirm")
    cal, (event,) = events(chat.replies[-1].attachments[0].content)
    assert "clusterexcellencedenmark.dk" in str(event["ORGANIZER"])
    assert event["ORGANIZER"].params["CN"] == "Cluster Excellence Denmark"
    assert "link" in str(event["DESCRIPTION"])  # "online" alone says nothing: how the link comes
    uid = str(event["UID"])
    await chat.send("/mybookings")
    await chat.press("Cancel: Getting ready")
    await chat.press("Yes, cancel")
    cal, (cancelled,) = events(chat.replies[-1].attachments[0].content)
    assert str(cal["METHOD"]) == "CANCEL" and str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["UID"]) == uid and int(cancelled["SEQUENCE"]) > int(event["SEQUENCE"])


async def test_a_moved_meeting_raises_its_sequence_and_a_cancelled_one_is_withdrawn(
    runtime: Runtime, clock: Any
) -> None:
    await person_with_details(runtime, "anna", clock())
    chat = Chat(runtime, "anna")
    await chat.send("/advice")
    await chat.press("Internationalisation")
    await chat.send("We want partners in Germany for a hydrogen project.")
    await chat.press("Tue 12 Jan, 10:00")
    await chat.press("Confirm")
    _, (booked,) = events(chat.replies[-1].attachments[0].content)
    await chat.send("/mybookings")
    await chat.press("Move")
    await chat.press("Thu 14 Jan")
    _, (moved,) = events(chat.replies[-1].attachments[0].content)
    assert str(moved["UID"]) == str(booked["UID"]) and int(moved["SEQUENCE"]) > int(booked["SEQUENCE"])
    await chat.send("/mybookings")
    await chat.press("Cancel")
    await chat.press("Yes")
    cal, (cancelled,) = events(chat.replies[-1].attachments[0].content)
    assert str(cal["METHOD"]) == "CANCEL" and str(cancelled["UID"]) == str(booked["UID"])
    assert int(cancelled["SEQUENCE"]) > int(moved["SEQUENCE"])
