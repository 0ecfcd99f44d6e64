"""Bookings on the desk: courses with seats and waiting list, participants as CSV, and slots
added and removed by the advisers' own /slots command (a booked slot tells the person)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.runtime import Runtime
from storage import bookings_repo as repo
from storage import desk as deskdb
from storage.bookings import Contact, Course, Slot
from tests.bookings_support import add_course, add_slot, person_with_details
from tests.desk_support import desk_for, settings_for_desk
from tests.handlers.handoff.test_handoff import inbox, read


@pytest.fixture
async def office(make_runtime: Any) -> Runtime:
    rt: Runtime = await make_runtime(**settings_for_desk(sample_data=False))
    return rt


async def book(rt: Runtime, course_id: int, user: str, now: Any) -> None:
    person = await person_with_details(rt, user, now)
    async with rt.sessions() as session, session.begin():
        course = await session.get_one(Course, course_id)
        contact = (await session.execute(select(Contact).where(Contact.person_id == person))).scalar_one()
        await repo.book_course(session, course, person, contact, now)


async def test_courses_show_seats_and_waiting_and_participants_download(office: Runtime, clock: Any) -> None:
    course = await add_course(office, clock.now, capacity=1, code="CM-27")
    await book(office, course, "anna", clock.now)
    await book(office, course, "bent", clock.now)
    async with desk_for(office) as (http, _):
        page = await http.get("/desk/bookings")
        assert "Test course" in page.text and "1 / 1" in page.text
        download = await http.get(f"/desk/bookings/courses/{course}/participants.csv")
        assert (await http.get("/desk/bookings/courses/999/participants.csv")).status_code == 404
    assert download.headers["content-type"].startswith("text/csv")
    assert 'filename="participants-CM-27.csv"' in download.headers["content-disposition"]
    lines = download.text.splitlines()
    assert lines[0] == "status,name,organisation,email,booked"
    assert lines[1].startswith("seat,Person anna,Test Cluster,anna@example.dk")
    assert lines[2].startswith("waiting 1,Person bent")


async def test_slots_are_added_and_removed_with_the_chats_rules(office: Runtime, clock: Any) -> None:
    async with desk_for(office) as (http, csrf):
        bad = {"csrf": csrf, "date": "2026-13-40", "time": "10:00", "minutes": "60"}
        await http.post("/desk/bookings/slots", data=bad)
        page = await http.get("/desk/bookings")
        assert "2026-13-40" in page.text  # the chat's refusal, shown once
        async with office.sessions() as session:
            assert (await session.execute(select(Slot))).scalars().all() == []
        good = {"csrf": csrf, "date": "2027-01-12", "time": "10:00", "minutes": "45", "place": "CED, Aarhus"}
        await http.post("/desk/bookings/slots", data=good)
        page = await http.get("/desk/bookings")
        assert "CED, Aarhus" in page.text and "12 Jan 2027" in page.text
        slot = await add_slot(office, clock.now, adviser="ada")
        person = await person_with_details(office, "anna", clock.now)
        async with office.sessions() as session, session.begin():
            contact = (await session.execute(select(Contact).where(Contact.person_id == person))).scalar_one()
            booked = await session.get_one(Slot, slot)
            await repo.book_slot(session, booked, person, "labels", "Renewal", contact, clock.now)
        page = await http.get("/desk/bookings")
        assert "Person anna, Test Cluster &lt;anna@example.dk&gt;" in page.text
        forged = await http.post(f"/desk/bookings/slots/{slot}/remove", data={"csrf": "x"})
        assert forged.status_code == 403
        await http.post(f"/desk/bookings/slots/{slot}/remove", data={"csrf": csrf})
    assert "cancel" in (await read(inbox(office, "anna"))).lower()
    async with office.sessions() as session:
        assert (await session.get_one(Slot, slot)).removed_at is not None
        actions = [a.action for a in (await session.execute(select(deskdb.DeskAudit))).scalars()]
    assert actions.count("slot-add") == 2 and actions.count("slot-remove") == 1
