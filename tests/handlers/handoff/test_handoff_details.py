"""Hand-off details a manager notices: office hours in their language, confirmations, rating, pre-fill."""

from __future__ import annotations

import io
from typing import Any

import pytest

from bot.channels.console import ConsoleChannel
from bot.runtime import Runtime
from storage import handoff as db
from tests.chat import Chat

ADVISERS = "console:ada,console:bo"


@pytest.fixture
async def office(make_runtime: Any) -> Runtime:
    rt: Runtime = await make_runtime(advisers=ADVISERS, adviser_channel="console:ada")
    return rt


async def ask(chat: Chat, question: str, topic: str) -> str:
    await chat.send(question)
    await chat.send("/adviser")
    await chat.press(topic)
    return chat.text()


@pytest.mark.parametrize(
    ("lang", "question", "topic", "expected", "english"),
    [
        ("en", "Can we combine ERDF with our national grant?", "Funding", "Mon-Fri 09:00-16:00", "Mon 30 Nov"),
        ("da", "Kan vi kombinere EFRU med vores nationale tilskud?", "Finansiering", "man.-fre. 09:00-16:00", None),
    ],
)
async def test_office_hours_after_closing_are_told_in_the_persons_language(
    office: Runtime, clock: Any, lang: str, question: str, topic: str, expected: str, english: str | None
) -> None:
    clock.advance(hours=7)  # Friday 17:00 in Copenhagen: closed until Monday
    anna = Chat(office, "anna")
    await anna.send(f"/lang {lang}")
    text = await ask(anna, question, topic)
    assert expected in text
    if english:
        assert f"pick it up from {english}, 09:00" in text
    else:
        assert "fra man. 30. nov. kl. 09:00" in text
        for word in ("Mon", "Fri", "Nov"):
            assert word not in text


def console(runtime: Runtime, user: str) -> tuple[ConsoleChannel, io.StringIO]:
    out = io.StringIO()
    return ConsoleChannel(runtime, user, out=out), out


async def printed(inbox: tuple[ConsoleChannel, io.StringIO]) -> str:
    channel, out = inbox
    out.seek(0)
    out.truncate()
    await channel.delivery.run_once()
    return out.getvalue()


async def resolved_ticket(office: Runtime, anna: Chat, lang: str, before_resolving: Any = None) -> int:
    ada = Chat(office, "ada")
    await anna.send(f"/lang {lang}")
    await ask(anna, "How do we apply for Interreg North Sea?", "Funding" if lang == "en" else "Finansiering")
    await ada.press_action("handoff:claim:1")
    if before_resolving is not None:
        await before_resolving()
    await ada.send("/resolve 1")
    return 1


async def rating(office: Runtime, number: int) -> int | None:
    async with office.sessions() as session:
        return (await session.get_one(db.Ticket, number)).rating


@pytest.mark.parametrize(("lang", "thanks"), [("en", "Thank you for your rating"), ("da", "Tak for din vurdering")])
async def test_the_console_numbers_rating_buttons_as_they_read(office: Runtime, lang: str, thanks: str) -> None:
    anna_console = console(office, "anna")
    anna = Chat(office, "anna")

    async def look_at_the_ticket() -> None:
        await anna_console[0].say("/ticket")  # "[1] Cancel request #1" is on screen
        assert "[1]" in anna_console[1].getvalue()

    number = await resolved_ticket(office, anna, lang, look_at_the_ticket)
    shown = await printed(anna_console)
    assert "[1] 1" in shown and "[5] 5" in shown
    await anna_console[0].say("5")
    assert thanks in anna_console[1].getvalue()
    assert await rating(office, number) == 5


@pytest.mark.parametrize(("lang", "thanks"), [("en", "Thank you for your rating"), ("da", "Tak for din vurdering")])
async def test_a_rating_typed_after_other_messages_still_counts(office: Runtime, lang: str, thanks: str) -> None:
    anna = Chat(office, "anna")
    number = await resolved_ticket(office, anna, lang)
    await anna.send("/help")
    await anna.send("4")
    assert thanks in anna.text()
    assert await rating(office, number) == 4
    await anna.send("/ticket")
    assert not anna.buttons()  # rated: nothing more to ask


@pytest.mark.parametrize(
    ("lang", "question", "trigger"),
    [
        ("en", "How do we apply for Interreg North Sea?", "I would like to talk to an adviser"),
        ("da", "Hvordan søger vi Interreg Nordsøen?", "Jeg vil gerne tale med en rådgiver"),
    ],
)
async def test_an_email_typed_in_a_booking_is_not_taken_for_the_question(
    office: Runtime, lang: str, question: str, trigger: str
) -> None:
    anna = Chat(office, "anna")
    await anna.send(f"/lang {lang}")
    await anna.send(question)
    await anna.send("/courses")
    await anna.press("ronze")
    await anna.press("Book")
    await anna.send("Lars Aakande")
    await anna.send("Aakande Cluster")
    await anna.send("lars@aakande.dk")
    await anna.send("/cancel")
    await anna.send(trigger)
    assert question in anna.text() and "lars@aakande.dk" not in anna.text()


@pytest.mark.parametrize(
    ("lang", "topic", "waiting", "passed"),
    [
        ("en", "Funding", "Added to request #1", "Passed on to ada (request #1)."),
        ("da", "Finansiering", "Tilføjet til forespørgsel #1", "Sendt videre til ada (forespørgsel #1)."),
    ],
)
async def test_what_the_person_writes_to_the_adviser_is_confirmed(
    office: Runtime, lang: str, topic: str, waiting: str, passed: str
) -> None:
    anna, ada = Chat(office, "anna"), Chat(office, "ada")
    await anna.send(f"/lang {lang}")
    await ask(anna, "Can we combine ERDF with our national grant?", topic)
    await anna.send("Our budget is DKK 2 million")
    assert waiting in anna.text()
    await ada.press_action("handoff:claim:1")
    await anna.send("And the deadline is in March")
    assert anna.text() == passed


@pytest.mark.parametrize(
    ("lang", "claimed", "resolved"),
    [
        ("en", "Ticket #1 · claimed by bo", "Ticket #1 · resolved by bo"),
        ("da", "Sag #1 · taget af bo", "Sag #1 · løst af bo"),
    ],
)
async def test_the_console_adviser_channel_follows_the_card(
    make_runtime: Any, lang: str, claimed: str, resolved: str
) -> None:
    rt: Runtime = await make_runtime(advisers=ADVISERS, adviser_channel="console:ada", default_language=lang)
    channel = console(rt, "ada")
    anna, bo = Chat(rt, "anna"), Chat(rt, "bo")
    await ask(anna, "Can we combine ERDF with our national grant?", "Funding")  # anna writes English
    assert "[1]" in await printed(channel)  # the card, with its Claim choice
    await bo.send("/queue")
    await bo.press("#1")
    follow_up = await printed(channel)
    assert claimed in follow_up and len(follow_up.strip().splitlines()) <= 3
    await bo.send("/resolve 1")
    assert resolved in await printed(channel)
