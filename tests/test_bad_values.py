"""Values that pass a naive check but not the database: refused politely, nothing stored wrong."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.runtime import Runtime
from bot.types import Channel, Identity, Incoming
from storage.bookings import Slot
from storage.models import Person
from tests.chat import Chat


async def test_hostile_display_names_are_cleaned_and_cut(runtime: Runtime) -> None:
    names = ["Ann\x00a", "Bo\ud800b", "C" * 5000, "\x00\u200b"]
    for number, name in enumerate(names):
        incoming = Incoming(
            Identity(Channel.TELEGRAM, str(100 + number), str(100 + number)), "/help", display_name=name
        )
        replies = await runtime.handle(incoming)
        assert replies and "went wrong" not in replies[0].text, name[:20]
    async with runtime.sessions() as session:
        stored = list((await session.execute(select(Person.display_name).order_by(Person.id))).scalars())
    assert stored == ["Anna", "Bob", "C" * 200, None]


async def test_an_overlong_account_id_is_dropped_without_an_error(runtime: Runtime) -> None:
    incoming = Incoming(Identity(Channel.SLACK, "U" * 500, "D1"), "/help")
    assert await runtime.handle(incoming) == []
    async with runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Person)) == 0


async def test_a_slot_beyond_the_horizon_is_refused_politely(make_runtime: Any) -> None:
    rt: Runtime = await make_runtime(advisers="console:mette")
    mette = Chat(rt, "mette")
    async with rt.sessions() as session:
        before = await session.scalar(select(func.count()).select_from(Slot))
    await mette.send("/slots add 9999-12-31 23:59 480")
    assert "5 years ahead" in mette.text()
    async with rt.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Slot)) == before


async def test_odd_numbers_in_commands_are_refused_politely(make_runtime: Any) -> None:
    rt: Runtime = await make_runtime(advisers="console:mette")
    mette = Chat(rt, "mette")
    for command in (
        "/slots remove ²",
        "/slots remove 99999999999",
        "/reply ² hello",
        "/reply 99999999999 hello",
        "/resolve ²",
        "/resolve 4294967296",
        "/queue ²",
        "/queue 4294967296",
        "/slots add 2027-02-02 10:00 ²",
        "/slots add 2027-02-02 10:00 99999999999",
    ):
        await mette.send(command)
        assert mette.replies and "went wrong" not in mette.text(), command
