"""What the console and the core say around a conversation, in the person's language."""

from __future__ import annotations

import io
from typing import Any

import pytest

from bot.channels.console import ConsoleChannel
from bot.runtime import Runtime
from tests.chat import Chat

WORDS = {
    "en": {
        "greeting": "type /help",
        "lang_now": "I speak English with you.",
        "slow": "faster than I can keep up with",
        "file": "(file saved: ",
        "declined": "questions I could not answer: 1",
        "language": "language preference: English",
    },
    "da": {
        "greeting": "skriv /help",
        "lang_now": "Jeg taler dansk med dig.",
        "slow": "hurtigere, end jeg kan følge med",
        "file": "(fil gemt: ",
        "declined": "spørgsmål, jeg ikke kunne svare på: 1",
        "language": "sprogvalg: dansk",
    },
}


def console(runtime: Runtime, user: str = "anna") -> tuple[ConsoleChannel, io.StringIO]:
    out = io.StringIO()
    return ConsoleChannel(runtime, user, out=out), out


@pytest.mark.parametrize("lang", ["en", "da"])
async def test_the_console_greets_on_start_with_what_to_type(runtime: Runtime, lang: str) -> None:
    channel, out = console(runtime)
    await channel.say(f"/lang {lang}")
    out.seek(0), out.truncate()
    await channel.greet()
    assert WORDS[lang]["greeting"] in out.getvalue().lower()


async def test_the_greeting_of_a_new_person_names_help(runtime: Runtime) -> None:
    channel, out = console(runtime, "new")
    await channel.greet()
    assert "/help" in out.getvalue() and out.getvalue().count("\n") <= 2


@pytest.mark.parametrize("lang", ["en", "da"])
async def test_lang_alone_says_which_language_is_set(runtime: Runtime, lang: str) -> None:
    chat = Chat(runtime, "anna")
    await chat.send("/lang")
    assert "I answer in the language you write in." in chat.text() and "/lang da" in chat.text()
    await chat.send(f"/lang {lang}")
    await chat.send("/lang")
    assert WORDS[lang]["lang_now"] in chat.text()


@pytest.mark.parametrize("lang", ["en", "da"])
async def test_the_rate_limit_notice_is_in_the_persons_language(make_runtime: Any, lang: str) -> None:
    rt: Runtime = await make_runtime(rate_limit_messages=2)
    chat = Chat(rt, "anna")
    await chat.send(f"/lang {lang}")
    await chat.send("/help")
    await chat.send("/help")
    assert WORDS[lang]["slow"] in chat.text()


@pytest.mark.parametrize("lang", ["en", "da"])
async def test_a_saved_file_is_announced_in_the_persons_language(runtime: Runtime, lang: str) -> None:
    channel, out = console(runtime)
    await channel.say(f"/lang {lang}")
    await channel.say("/privacy export")
    assert WORDS[lang]["file"] in out.getvalue()
    assert ("(file saved" in out.getvalue()) is (lang == "en")


@pytest.mark.parametrize("lang", ["en", "da"])
async def test_privacy_says_what_is_held_in_words_not_table_names(runtime: Runtime, lang: str) -> None:
    chat = Chat(runtime, "anna")
    await chat.send(f"/lang {lang}")
    await chat.send("xqzv plorb wibble frotz?")
    await chat.send("/privacy")
    text = chat.text()
    assert WORDS[lang]["declined"] in text and WORDS[lang]["language"] in text
    assert "faq declined" not in text and "faq_declined" not in text
