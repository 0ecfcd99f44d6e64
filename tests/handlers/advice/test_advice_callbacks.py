"""A call-back request joins the one adviser queue, and nothing is promised that is not set up."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.markup import to_plain
from bot.runtime import Runtime
from cedbot import main
from tests.bookings_support import person_with_details
from tests.chat import Chat
from tests.handlers.advice.test_advice_chat import outbox

WORDS = {
    "en": {
        "topic": "Internationalisation",
        "none": "None of these suit me",
        "queued": "Your call-back request is #1 in the advisers' queue",
        "promise": "within two working days",
        "unannounced": "The advisers are not notified of new requests here yet",
        "taken": "ada from CED has taken your call-back request #1",
    },
    "da": {
        "topic": "Internationalisering",
        "none": "Ingen af dem passer",
        "queued": "Din anmodning om at blive kontaktet er #1 i rådgivernes kø",
        "promise": "inden for to arbejdsdage",
        "unannounced": "Rådgiverne får endnu ikke besked om nye anmodninger her",
        "taken": "ada fra CED har taget din anmodning #1 om at blive kontaktet",
    },
}


async def ask_for_a_call_back(rt: Runtime, lang: str) -> Chat:
    await person_with_details(rt, "anna", rt.clock())
    chat = Chat(rt, "anna")
    await chat.send(f"/lang {lang}")
    await chat.send("/advice")
    await chat.press(WORDS[lang]["topic"])
    await chat.send("We want partners in Germany for a hydrogen project.")
    await chat.press(WORDS[lang]["none"])
    await chat.press("Bekræft" if lang == "da" else "Confirm")
    return chat


@pytest.mark.parametrize("lang", ["en", "da"])
async def test_a_call_back_is_claimed_and_resolved_in_the_adviser_queue(make_runtime: Any, lang: str) -> None:
    rt: Runtime = await make_runtime(advisers="console:ada", adviser_channel="console:ada")
    anna = await ask_for_a_call_back(rt, lang)
    assert WORDS[lang]["queued"] in anna.text() and WORDS[lang]["promise"] in anna.text()
    ada = Chat(rt, "ada")
    await ada.send("/queue")
    assert "#1" in ada.text() and "Call-back request" in ada.text()
    await ada.send("/queue 1")
    assert "hydrogen" in ada.text() and "anna@example.dk" in ada.text()
    await ada.press("Claim")
    assert "claimed by ada" in ada.text()
    to_anna = [m.payload["text"] for m in await outbox(rt) if m.chat_id == "anna"]
    assert any(WORDS[lang]["taken"] in to_plain(text) for text in to_anna)
    await anna.send("/ticket")
    assert "ada" in anna.text()
    await anna.send("Is there any news?")  # a call-back relays nothing: the assistant answers
    assert "Passed on" not in anna.text() and "Sendt videre" not in anna.text()
    await ada.send("/resolve 1")
    assert "resolved by ada" in ada.text()


@pytest.mark.parametrize("lang", ["en", "da"])
async def test_no_e_mail_is_promised_without_an_adviser_channel(make_runtime: Any, lang: str) -> None:
    rt: Runtime = await make_runtime(advisers="console:ada")
    anna = await ask_for_a_call_back(rt, lang)
    assert WORDS[lang]["unannounced"] in anna.text() and WORDS[lang]["promise"] not in anna.text()
    ada = Chat(rt, "ada")
    await ada.send("/queue")
    assert "Call-back request" in ada.text()


async def test_the_queue_command_lists_call_backs(
    make_runtime: Any, db_url: tuple[str, str | None], monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    if db_url[1] is not None:
        pytest.skip("the command line reaches a schema of its own only through SQLite here")
    rt: Runtime = await make_runtime(advisers="console:ada")
    await ask_for_a_call_back(rt, "en")
    monkeypatch.setenv("CEDBOT_DATABASE_URL", db_url[0])
    assert await asyncio.to_thread(main, ["queue", "list"]) == 0
    assert "Call-back request" in capsys.readouterr().out
