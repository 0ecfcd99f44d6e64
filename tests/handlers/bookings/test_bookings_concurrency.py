"""Seats and slots under pressure, on SQLite and PostgreSQL: many coroutines, and two processes.

The invariants: never more seats than the capacity, a strict waiting-list order that matches
what each person was told, and exactly one meeting per slot.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.runtime import Runtime
from storage import bookings_repo as repo
from storage.bookings import CourseBooking, Meeting
from tests.bookings_support import add_course, add_slot, person_with_details
from tests.chat import Chat

ROOT = Path(__file__).resolve().parents[3]


async def course_with_five_seats_left(rt: Runtime, now: Any) -> int:
    course = await add_course(rt, now, capacity=10, code="RACE")
    for n in range(5):
        await person_with_details(rt, f"early{n}", now)
        await Chat(rt, f"early{n}").press_action(f"course:confirm:{course}")
    return course


async def assert_five_seats_and_an_ordered_waiting_list(rt: Runtime, course: int, told: dict[str, str]) -> None:
    booked = [u for u, text in told.items() if "is booked" in text]
    positions = {u: int(m.group(1)) for u, text in told.items() if (m := re.search(r"as number (\d+)", text))}
    assert len(booked) == 5 and len(positions) == 45, told
    assert sorted(positions.values()) == list(range(1, 46))
    async with rt.sessions() as session:
        seats, waiting = await repo.counts(session, course)
        assert (seats, waiting) == (10, 45)
        rows = (await session.execute(select(CourseBooking).where(CourseBooking.course_id == course))).scalars()
        by_user = {b.email.split("@")[0]: b for b in rows}
        for user, position in positions.items():  # the order in the database is the order people were told
            assert await repo.waiting_position(session, by_user[user]) == position
        assert {u for u, b in by_user.items() if b.status == "seat"} >= set(booked)


async def test_fifty_people_book_the_last_five_seats_at_once(make_runtime: Any, clock: Any) -> None:
    workers: list[Runtime] = [await make_runtime() for _ in range(2)]
    course = await course_with_five_seats_left(workers[0], clock())
    users = [f"p{n}" for n in range(50)]
    for user in users:
        await person_with_details(workers[0], user, clock())

    async def book(n: int, user: str) -> tuple[str, str]:
        chat = Chat(workers[n % 2], user)
        await chat.press_action(f"course:confirm:{course}")
        return user, chat.text()

    started = time.perf_counter()
    told = dict(await asyncio.gather(*(book(n, u) for n, u in enumerate(users))))
    print(f"\n50 concurrent bookings on 2 runtimes: {time.perf_counter() - started:.2f} s")
    await assert_five_seats_and_an_ordered_waiting_list(workers[0], course, told)


async def test_twenty_people_take_the_same_slot_at_once(make_runtime: Any, clock: Any) -> None:
    workers: list[Runtime] = [await make_runtime() for _ in range(2)]
    slot = await add_slot(workers[0], clock(), days=1)
    chats = [Chat(workers[n % 2], f"p{n}") for n in range(20)]
    for chat in chats:
        await person_with_details(workers[0], chat.identity.user_id, clock())
        await ready_to_confirm(chat, slot)

    replies = await asyncio.gather(*(c.press_action(f"advice:confirm:{slot}") for c in chats))
    texts = [r[0].text for r in replies]
    assert sum("Your meeting is booked" in t for t in texts) == 1
    assert sum("someone booked that time" in t for t in texts) == 19
    async with workers[0].sessions() as session:
        assert len((await session.execute(select(Meeting).where(Meeting.slot_id == slot))).all()) == 1


async def ready_to_confirm(chat: Chat, slot: int) -> None:
    await chat.send("/advice")
    await chat.press("Funding")
    await chat.send("We need co-financing for an Interreg project.")
    await chat.press_action(f"advice:slot:{slot}")
    assert "Book a meeting on Funding" in chat.text()


def run_processes(db_url: tuple[str, str | None], now: str, tmp: Path, action: str, users: list[str]) -> dict[str, str]:
    """Two processes press the same button for half of the users each, at the same moment."""
    go = tmp / "go"
    halves = [users[0::2], users[1::2]]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.booking_worker",
                db_url[0],
                db_url[1] or "",
                now,
                str(go),
                action,
                *half,
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for half in halves
    ]
    for proc in procs:  # both have imported everything and wait for the signal
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    go.touch()
    told: dict[str, str] = {}
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        told.update(json.loads(out.strip().splitlines()[-1]))
    return told


async def test_two_processes_book_the_last_five_seats(
    runtime: Runtime, clock: Any, db_url: tuple[str, str | None], tmp_path: Path
) -> None:
    course = await course_with_five_seats_left(runtime, clock())
    users = [f"p{n}" for n in range(50)]
    for user in users:
        await person_with_details(runtime, user, clock())
    action = f"course:confirm:{course}"
    told = await asyncio.to_thread(run_processes, db_url, clock().isoformat(), tmp_path, action, users)
    await assert_five_seats_and_an_ordered_waiting_list(runtime, course, told)


async def test_two_processes_take_the_same_slot(
    runtime: Runtime, clock: Any, db_url: tuple[str, str | None], tmp_path: Path
) -> None:
    slot = await add_slot(runtime, clock(), days=1)
    users = [f"p{n}" for n in range(20)]
    for user in users:
        await person_with_details(runtime, user, clock())
        await ready_to_confirm(Chat(runtime, user), slot)
    action = f"advice:confirm:{slot}"
    told = await asyncio.to_thread(run_processes, db_url, clock().isoformat(), tmp_path, action, users)
    assert sum("Your meeting is booked" in t for t in told.values()) == 1
    assert sum("someone booked that time" in t for t in told.values()) == 19
    async with runtime.sessions() as session:
        assert len((await session.execute(select(Meeting).where(Meeting.slot_id == slot))).all()) == 1
