"""/privacy delete: after it, no table holds the person's name, organisation, e-mail or words."""

from __future__ import annotations

import base64
import binascii
import json
from itertools import count
from typing import Any

from sqlalchemy import select

from bot.markup import to_plain
from bot.outbox import OutboxDelivery
from bot.runtime import Runtime
from bot.types import Address, Channel, Incoming, Reply
from storage import handoff as db
from storage.models import Base, MessageLog, OutboxMessage, Person, SentMessage
from tests.chat import Chat

SECRETS = ["agnete", "kjærsgaard", "zebrafinch", "777123987"]
"""Her name, her cluster, every text she writes (all mention Zebrafinch) and her account id."""


class Agnete(Chat):
    """A Telegram user with a display name, as the adapter would send her messages."""

    async def send(self, text: str, *, event_id: str | None = None) -> list[Reply]:
        return await self._handle(Incoming(self.identity, text=text, display_name="Agnete K."))


def _texts(value: Any) -> list[str]:
    """A column value as text, with base64 contents (calendar files in payloads) decoded too."""
    if value is None:
        return []
    if isinstance(value, dict | list):
        return [json.dumps(value, ensure_ascii=False), *(t for v in _leaves(value) for t in _texts(v))]
    text = str(value)
    found = [text]
    if len(text) >= 24 and " " not in text:
        try:
            found.append(base64.b64decode(text, validate=True).decode("utf-8", "replace"))
        except (binascii.Error, ValueError):
            pass
    return found


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


async def dump(rt: Runtime) -> str:
    """Every row of every table, as text."""
    lines: list[str] = []
    async with rt.sessions() as session:
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).all():
                lines.append(f"{table.name}: " + " | ".join(t for v in row for t in _texts(v)))
    return "\n".join(lines)


async def deliver_all(rt: Runtime) -> None:
    ids = count(5000)

    async def sender(address: Address, reply: Reply) -> str | None:
        return str(next(ids))

    for channel in (Channel.TELEGRAM, Channel.CONSOLE):
        while await OutboxDelivery(rt, channel, sender).run_once():
            pass


async def test_erasure_leaves_nothing_that_names_the_person(make_runtime: Any, clock: Any) -> None:
    rt: Runtime = await make_runtime(advisers="console:ada", adviser_channel="telegram:-100200")
    agnete, ada = Agnete(rt, "777123987", Channel.TELEGRAM), Chat(rt, "ada")

    await agnete.send("/courses")
    await agnete.press("Introduction to cluster management")
    await agnete.press("Book a seat")
    for answer in ("Agnete Kjærsgaard", "Zebrafinch Klyngen", "agnete@zebrafinch.example"):
        await agnete.send(answer)
    await agnete.press("Confirm")
    assert "is booked" in agnete.text()

    await agnete.send("/advice")
    await agnete.press("Internationalisation")
    await agnete.send("We want partners in Iceland for the Zebrafinch seaweed project.")
    await agnete.press("Tue 12 Jan, 10:00")
    await agnete.press("Confirm")
    assert "Your meeting is booked" in agnete.text()

    await agnete.send("How does Zebrafinch fund a pilot with twelve partners?")
    await agnete.send("/adviser")
    await agnete.press("Funding")
    assert "#1" in agnete.text()
    await deliver_all(rt)

    await ada.press_action("handoff:claim:1")
    assert "claimed by" in ada.text()
    await agnete.send("Zebrafinch starts the pilot in March")
    await ada.send("/reply 1 Hi Agnete, Zebrafinch can combine both grants.")
    await ada.send("/queue")
    await ada.send("/queue 1")
    await ada.send("/slots")
    await deliver_all(rt)
    before = await dump(rt)
    assert all(secret in before.lower() for secret in SECRETS)

    await agnete.send("/privacy delete")
    await agnete.press("Yes, delete everything")
    assert "everything I held about you is deleted" in agnete.text()
    async with rt.sessions() as session:
        edits = (await session.execute(select(OutboxMessage).where(OutboxMessage.chat_id == "-100200"))).scalars()
        [card] = [to_plain(row.payload["text"]) for row in edits if row.status == "pending"]
    assert "Ticket #1" in card and "[erased]" in card  # the card in the advisers' group follows
    await deliver_all(rt)

    after = (await dump(rt)).lower()
    leaks = [line for line in after.splitlines() if any(secret in line for secret in SECRETS)]
    assert leaks == []
    async with rt.sessions() as session:
        ticket = await session.get_one(db.Ticket, 1)  # the adviser's record stays, redacted
        assert ticket.status == db.TicketStatus.CANCELLED and ticket.adviser == "console:ada"
        person = await session.get_one(Person, ticket.person_id)
        assert person.display_name is None and not person.identities
        adviser_log = (await session.execute(select(MessageLog).where(MessageLog.chat_id == "ada"))).scalars()
        assert len(list(adviser_log)) >= 8  # the adviser's log stays, with her details taken out
        assert await session.scalar(select(SentMessage.ref).where(SentMessage.ref == "ticket:1").limit(1))


async def test_delivered_outbox_rows_are_purged_and_cards_still_follow(make_runtime: Any, clock: Any) -> None:
    rt: Runtime = await make_runtime(advisers="console:ada", adviser_channel="telegram:-100200")
    anna, ada = Chat(rt, "anna"), Chat(rt, "ada")
    await anna.send("Can we combine two grants for one pilot?")
    await anna.send("/adviser")
    await anna.press("Funding")
    await deliver_all(rt)
    clock.advance(days=8)
    await rt.run_due_jobs()
    async with rt.sessions() as session:
        delivered = select(OutboxMessage).where(OutboxMessage.status == "sent")
        assert list((await session.execute(delivered)).scalars()) == []
    await ada.press_action("handoff:claim:1")
    await deliver_all(rt)
    async with rt.sessions() as session:
        [edit] = (await session.execute(select(OutboxMessage).where(OutboxMessage.thread_id == "5000"))).scalars()
    assert edit.payload["edit"] and "claimed by" in edit.payload["text"]


async def test_the_card_shows_only_the_current_conversation(make_runtime: Any, clock: Any) -> None:
    rt: Runtime = await make_runtime(advisers="console:ada", adviser_channel="console:ada")
    anna = Chat(rt, "anna")
    await anna.send("How do we renew our silver label next spring?")
    clock.advance(hours=5)
    await anna.send("/courses")
    await anna.press("Introduction to cluster management")
    await anna.press("Book a seat")
    for answer in ("Anna Berg", "Acme Cluster", "anna@acme.dk"):
        await anna.send(answer)
    await anna.press("Confirm")
    clock.advance(minutes=2)
    await anna.send("Can we combine two grants for one pilot?")
    await anna.send("/adviser")
    await anna.press("Funding")
    async with rt.sessions() as session:
        ticket = await session.get_one(db.Ticket, 1)
    said = " ".join(item["text"] for item in ticket.transcript)
    assert "combine two grants" in said
    assert "renew" not in said and "anna@acme.dk" not in said and "Acme Cluster" not in said
