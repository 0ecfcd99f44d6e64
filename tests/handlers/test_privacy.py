"""A person can see, export and erase what the assistant holds about them."""

from __future__ import annotations

import json
from typing import Any

from bot.runtime import Runtime
from storage import repos
from storage.handoff import Ticket
from storage.models import ChannelIdentity, MessageLog, Person
from tests.chat import Chat


async def test_privacy_summary_export_and_delete(make_runtime: Any) -> None:
    rt: Runtime = await make_runtime(advisers="console:ada", adviser_channel="console:ada")
    anna = Chat(rt, "anna")
    await anna.send("/lang da")
    await anna.send("/adviser Hjælp til vores strategi")
    await anna.press("Klyngeledelse")
    await anna.send("/ticket")
    await anna.send("/privacy")
    assert "console:anna" in anna.text() and "loggede beskeder" in anna.text()
    assert "forespørgsler til en rådgiver: 1" in anna.text() and "tickets" not in anna.text()

    await anna.send("/privacy export")
    (attachment,) = anna.replies[0].attachments
    data = json.loads(attachment.content)
    assert data["person"]["language"] == "da"
    assert data["tickets"][0]["summary"] == "Hjælp til vores strategi"
    assert any(m["text"] == "/lang da" for m in data["message_log"])

    await anna.send("/privacy delete")
    await anna.press("Nej")
    assert "Intet blev slettet" in anna.text()
    await anna.send("/privacy delete")
    await anna.press("Ja, slet")
    assert "slettet" in anna.text()
    async with rt.sessions() as session:
        assert await repos.count_rows(session, ChannelIdentity) == 0
        assert await repos.count_rows(session, MessageLog) == 0
        ticket = await session.get_one(Ticket, 1)  # the advisers' record stays, without her
        assert (ticket.summary, ticket.person_name, ticket.status) == ("[erased]", None, "cancelled")
        person = await session.get_one(Person, ticket.person_id)
        assert (person.display_name, person.language) == (None, None)
    await anna.send("/help")
    assert "What I can do" in anna.text()  # a fresh start, in the default language
