"""Hand-off to advisers as conversations: a manager asks, an adviser claims, replies, resolves."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import pytest
from sqlalchemy import select

from bot.channels.console import ConsoleChannel
from bot.markup import parse_line, to_plain
from bot.outbox import OutboxDelivery
from bot.runtime import Runtime
from bot.types import Address, Channel, Identity, Incoming, Reply
from storage import handoff as db
from storage.models import OutboxMessage
from tests.chat import Chat

ADVISERS = "console:ada,console:bo,slack:UADA"


@pytest.fixture
async def office(make_runtime: Any) -> Runtime:
    """Advisers ada and bo; the adviser channel is ada's console."""
    rt: Runtime = await make_runtime(advisers=ADVISERS, adviser_channel="console:ada")
    return rt


def inbox(runtime: Runtime, user: str) -> tuple[ConsoleChannel, io.StringIO]:
    out = io.StringIO()
    return ConsoleChannel(runtime, user, out=out), out


async def read(console: tuple[ConsoleChannel, io.StringIO]) -> str:
    channel, out = console
    out.seek(0)
    out.truncate()
    await channel.delivery.run_once()
    return out.getvalue()


async def ticket(runtime: Runtime, number: int) -> db.Ticket:
    async with runtime.sessions() as session:
        return await session.get_one(db.Ticket, number)


async def open_ticket(anna: Chat, question: str = "Can we combine ERDF with our national grant?") -> int:
    await anna.send(question)
    await anna.send("/adviser")
    assert question in anna.text()
    await anna.press("Funding")
    assert "#" in anna.text()
    return int(anna.text().split("#", 1)[1].split(",")[0].split()[0])


async def test_the_whole_conversation_with_an_adviser(office: Runtime, clock: Any) -> None:
    anna, ada = Chat(office, "anna"), Chat(office, "ada")
    ada_inbox, anna_inbox = inbox(office, "ada"), inbox(office, "anna")

    number = await open_ticket(anna)
    assert "number 1 in the queue" in anna.text()
    assert "work now" in anna.text()  # Friday 10:00 in Copenhagen
    card = await read(ada_inbox)
    assert f"Ticket #{number}" in card and "Funding" in card and "Can we combine ERDF" in card
    assert "Recent conversation" in card and "[1] Claim" in card

    await anna.send("Our budget is DKK 2 million")
    assert anna.text() == "Added to request #1; the adviser will see it when they pick it up."
    assert "anna (ticket #1): Our budget is DKK 2 million" in await read(ada_inbox)

    await ada.press_action(f"handoff:claim:{number}")
    assert "claimed by ada" in ada.text() and "Resolve" in ada.buttons()[0].label
    assert f"ada from CED has picked up your request #{number}" in await read(anna_inbox)

    await ada.send(f"/reply {number} Yes, as long as the costs are not funded twice.")
    assert "Sent to anna" in ada.text()
    assert "ada (CED adviser): Yes, as long as the costs are not funded twice." in await read(anna_inbox)

    await anna.send("Thank you, that helps")
    assert anna.text() == "Passed on to ada (request #1)."
    assert "Thank you, that helps" in await read(ada_inbox)

    await ada.send(f"/resolve {number}")
    assert "resolved by ada" in ada.text()
    assert "How helpful was it?" in await read(anna_inbox)
    await anna.press_action(f"handoff:rate:{number}:5")
    assert "Thank you for your rating" in anna.text()
    await anna.press_action(f"handoff:rate:{number}:1")
    assert "already rated" in anna.text()
    assert (await ticket(office, number)).rating == 5

    await ada.press_action(f"handoff:draft:{number}")
    assert "FAQ draft" in ada.text()
    async with office.sessions() as session:
        (draft,) = await db.drafts(session)
    assert draft.question.startswith("Can we combine ERDF") and "funded twice" in draft.answer

    await anna.send("what is a cluster")  # the ticket is closed: the assistant answers again
    assert anna.replies


async def test_summary_can_be_written_and_edited(office: Runtime) -> None:
    anna = Chat(office, "anna")
    await anna.send("/adviser")
    assert "what should they help with" in anna.text()
    await anna.send("ok")
    assert "a few words" in anna.text()
    await anna.send("We want to merge with another cluster")
    assert "We want to merge with another cluster" in anna.text()
    await anna.press("Write a new summary")
    await anna.send("Merger of two clusters: due diligence")
    await anna.press("Cluster management")
    t = await ticket(office, 1)
    assert (t.summary, t.topic, t.status) == ("Merger of two clusters: due diligence", "management", "open")


async def test_free_text_in_both_languages_reaches_an_adviser(office: Runtime) -> None:
    for text in (
        "can I talk to a human",
        "I'd like to speak with an adviser",
        "kan jeg tale med en rådgiver",
        "jeg vil gerne tale med en raadgiver",
    ):
        chat = Chat(office, f"u{hash(text)}")
        await chat.send(text)
        assert chat.buttons() and any(b.action == "handoff:abort" for b in chat.buttons()), text


async def test_double_tap_on_send_makes_one_ticket(office: Runtime) -> None:
    anna = Chat(office, "anna")
    await anna.send("/adviser Label renewal for next year")
    send = anna.button("Labels")
    await anna.press_action(send.action)
    await anna.press_action(send.action)
    assert "already sent or cancelled" in anna.text()
    async with office.sessions() as session:
        assert len(await db.queue(session)) == 1


async def test_only_advisers_may_claim_reply_resolve(office: Runtime) -> None:
    anna, mallory = Chat(office, "anna"), Chat(office, "mallory")
    number = await open_ticket(anna)
    await mallory.press_action(f"handoff:claim:{number}")
    assert "Only CED advisers" in mallory.text()
    await mallory.send(f"/reply {number} hello")
    assert "only for CED advisers" in mallory.text()
    await mallory.send(f"/resolve {number}")
    assert "only for CED advisers" in mallory.text()
    await mallory.press_action(f"handoff:resolve:{number}")
    assert "Only CED advisers" in mallory.text()
    await mallory.press_action(f"handoff:cancel:{number}")  # not their ticket
    assert "not yours" in mallory.text()
    assert (await ticket(office, number)).status == "open"


async def test_second_adviser_is_told_who_has_it(office: Runtime) -> None:
    number = await open_ticket(Chat(office, "anna"))
    ada, bo = Chat(office, "ada"), Chat(office, "bo")
    await ada.press_action(f"handoff:claim:{number}")
    await bo.press_action(f"handoff:claim:{number}")
    assert f"Ticket #{number} is already claimed by ada" in bo.text()
    await bo.send(f"/reply {number} let me help")
    assert "already claimed by ada" in bo.text()


async def test_two_advisers_claim_at_the_same_moment(make_runtime: Any) -> None:
    first: Runtime = await make_runtime(advisers=ADVISERS, adviser_channel="console:ada")
    second: Runtime = await make_runtime(advisers=ADVISERS, adviser_channel="console:ada")
    number = await open_ticket(Chat(first, "anna"))
    ada, bo = Chat(first, "ada"), Chat(second, "bo")
    await asyncio.gather(ada.press_action(f"handoff:claim:{number}"), bo.press_action(f"handoff:claim:{number}"))
    texts = [ada.text(), bo.text()]
    winners = [t for t in texts if "claimed by" in t and "already" not in t]
    assert len(winners) == 1, texts
    assert any("already claimed by" in t for t in texts)
    assert (await ticket(first, number)).adviser in {"console:ada", "console:bo"}


async def test_person_cancels_and_the_advisers_are_told(office: Runtime) -> None:
    anna = Chat(office, "anna")
    ada_inbox = inbox(office, "ada")
    number = await open_ticket(anna)
    await read(ada_inbox)
    await anna.send("/ticket")
    assert "waiting for an adviser" in anna.text()
    await anna.send("/cancel")
    assert f"cancel request #{number}" in anna.text()
    await anna.press("Cancel request")
    assert "is cancelled" in anna.text()
    assert "cancelled by the person" in await read(ada_inbox)
    ada = Chat(office, "ada")
    await ada.press_action(f"handoff:claim:{number}")
    assert f"Ticket #{number} is closed (cancelled by the person)" in ada.text()
    await anna.send("/ticket")
    assert "cancelled" in anna.text()


async def test_unclaimed_ticket_is_reposted_once_per_interval(make_runtime: Any, clock: Any) -> None:
    first: Runtime = await make_runtime(advisers=ADVISERS, adviser_channel="console:ada")
    second: Runtime = await make_runtime(advisers=ADVISERS, adviser_channel="console:ada")
    await open_ticket(Chat(first, "anna"))

    async def reminders() -> int:
        async with first.sessions() as session:
            rows = (await session.execute(select(OutboxMessage.payload))).scalars().all()
        return sum("has waited" in row["text"] for row in rows)

    clock.advance(minutes=10)
    await asyncio.gather(first.run_due_jobs(), second.run_due_jobs())
    assert await reminders() == 0
    clock.advance(minutes=25)  # 35 minutes old
    await asyncio.gather(first.run_due_jobs(), second.run_due_jobs())
    assert await reminders() == 1
    clock.advance(minutes=6)
    await asyncio.gather(first.run_due_jobs(), second.run_due_jobs())
    assert await reminders() == 1  # reminded 6 minutes ago: not again yet
    clock.advance(minutes=30)
    await asyncio.gather(first.run_due_jobs(), second.run_due_jobs())
    assert await reminders() == 2
    clock.advance(days=1)  # Saturday: outside office hours
    await asyncio.gather(first.run_due_jobs(), second.run_due_jobs())
    assert await reminders() == 2


async def test_replies_in_the_cards_thread_reach_the_person_after_a_restart(make_runtime: Any) -> None:
    rt: Runtime = await make_runtime(advisers=ADVISERS, adviser_channel="slack:CADV")
    anna = Chat(rt, "anna")
    number = await open_ticket(anna)

    async def slack_send(address: Address, reply: Reply) -> str | None:
        return "1700000000.000100" if address.thread_id is None else "1700000000.000200"

    await OutboxDelivery(rt, Channel.SLACK, slack_send).run_once()
    await rt.close()

    again: Runtime = await make_runtime(advisers=ADVISERS, adviser_channel="slack:CADV")
    thread = Identity(Channel.SLACK, "UADA", "CADV", thread_id="1700000000.000100")

    def in_thread(user: str, text: str) -> Incoming:
        ident = Identity(Channel.SLACK, user, "CADV", thread_id="1700000000.000100")
        return Incoming(ident, text=text, reply_to_ref="1700000000.000100", addressed=False)

    await again.handle(Incoming(thread, action=f"handoff:claim:{number}", message_ref="1700000000.000100"))
    claimed = await ticket(again, number)
    assert claimed.status == "claimed" and claimed.adviser == "slack:UADA"
    assert await again.handle(in_thread("UADA", "Hello Anna, <!channel> see you")) == []
    refusal = await again.handle(in_thread("UOTHER", "I'm not an adviser"))
    assert "Only CED advisers" in refusal[0].text
    unrelated = Incoming(
        Identity(Channel.SLACK, "UADA", "CADV", "999.1"), text="hi", reply_to_ref="999.1", addressed=False
    )
    assert await again.handle(unrelated) == []

    anna_inbox = inbox(again, "anna")
    assert "UADA (CED adviser): Hello Anna, <!channel> see you" in await read(anna_inbox)
    await Chat(again, "anna").send("Great, thanks")
    async with again.sessions() as session:
        rows = (await session.execute(select(OutboxMessage).where(OutboxMessage.channel == "slack"))).scalars()
        threaded = [r for r in rows if r.thread_id == "1700000000.000100"]
    assert any("Great, thanks" in r.payload["text"] for r in threaded)


async def test_nothing_the_person_writes_becomes_markup(office: Runtime) -> None:
    anna = Chat(office, "anna")
    nasty = "<!channel> <@U123> <b>bold</b> **loud** [click](https://evil.example)"
    await anna.send(nasty)
    await anna.send("/adviser")
    await anna.press("Other")
    await anna.send("also **this** [x](https://evil.example)")
    async with office.sessions() as session:
        rows = (await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars().all()
    for row in rows:
        for line in row.payload["text"].split("\n"):
            for span in parse_line(line):
                if "evil" in span.text or "loud" in span.text or "this" == span.text:
                    assert span.url is None and not span.bold, (line, span)
    assert "**loud** [click](https://evil.example)" in to_plain(rows[0].payload["text"])


async def test_the_delivered_card_follows_changes_made_elsewhere(make_runtime: Any) -> None:
    rt: Runtime = await make_runtime(advisers=ADVISERS, adviser_channel="slack:CADV")
    anna = Chat(rt, "anna")
    await open_ticket(anna)

    sent = iter(range(100, 200))

    async def slack_send(address: Address, reply: Reply) -> str | None:
        return f"1700000000.000{next(sent)}"

    await OutboxDelivery(rt, Channel.SLACK, slack_send).run_once()

    async def edits() -> list[OutboxMessage]:
        async with rt.sessions() as session:
            rows = (await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars()
            return [r for r in rows if r.payload["edit"]]

    await anna.send("/ticket")
    await anna.press("Cancel request")
    (edit,) = await edits()
    assert edit.thread_id == "1700000000.000100" and "cancelled by the person" in edit.payload["text"]
    assert edit.payload["buttons"] == []  # nothing left to claim

    second = await open_ticket(Chat(rt, "bent"), "Which KPIs do funders expect from us?")
    await OutboxDelivery(rt, Channel.SLACK, slack_send).run_once()
    ada = Chat(rt, "ada")
    await ada.press_action(f"handoff:claim:{second}")  # from the queue, not from the card
    await ada.send(f"/resolve {second}")
    texts = [e.payload["text"] for e in await edits()]
    assert any("claimed by ada" in t for t in texts) and any("resolved by ada" in t for t in texts)
