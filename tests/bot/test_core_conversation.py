"""The core as a conversation: commands, language, flows, errors and bad input."""

from __future__ import annotations

from typing import Any

import pytest

from bot.router import Dispatcher
from bot.runtime import Runtime
from cedbot import routers as build_routers
from storage import repos
from tests.chat import Chat
from tests.demo import demo


async def test_help_in_english_then_danish_after_lang(chat: Chat) -> None:
    await chat.send("/help")
    assert "/lang" in chat.text() and "choose Danish or English" in chat.text()
    await chat.send("/lang da")
    assert "dansk" in chat.text()
    await chat.send("/help")
    assert "vælg dansk eller engelsk" in chat.text()


async def test_language_is_detected_per_message_without_a_preference(chat: Chat) -> None:
    await chat.send("hvordan kan I hjælpe os")
    assert "Jeg" in chat.text()
    await chat.send("how can you help us")
    assert "What this assistant can do" in chat.text()
    await chat.send("/help")  # no signal: keeps the last language seen
    assert "What I can do" in chat.text()


async def test_lang_rejects_unknown_choice_and_auto_resets(chat: Chat) -> None:
    await chat.send("/lang fr")
    assert "/lang da" in chat.text() and "/lang en" in chat.text()
    await chat.send("/lang da")
    await chat.send("what is this")  # English text, but the saved preference wins
    assert "Beklager" in chat.text()
    await chat.send("/lang auto")
    await chat.send("what is this")
    assert "I don't have an answer" in chat.text()


async def test_unknown_command_gets_a_clear_answer(chat: Chat) -> None:
    await chat.send("/frobnicate now")
    assert "I don't know the command /frobnicate" in chat.text()
    assert "/help" in chat.text()


async def test_start_greets_and_says_what_it_can_do(chat: Chat) -> None:
    await chat.send("/start")
    assert "cedbot" in chat.text() and "label" in chat.text() and "adviser" in chat.text()


async def test_forged_button_payload_is_refused(chat: Chat) -> None:
    await chat.press_action("nosuchfeature:do:1")
    assert "no longer valid" in chat.text()


async def test_oversized_message_is_refused_politely_and_only_counted(runtime: Runtime, chat: Chat) -> None:
    await chat.send("x" * 4001)
    assert "too long" in chat.text() and "4001" in chat.text()
    await chat.send("å" * 5000)
    assert "for lang" in chat.text()
    async with runtime.sessions() as session:
        assert await repos.counter(session, "refused_oversized") == 2
        from storage.models import MessageLog, Person

        assert await repos.count_rows(session, MessageLog) == 0
        assert await repos.count_rows(session, Person) == 0


async def test_empty_and_control_characters(chat: Chat) -> None:
    await chat.send("   \x00\x07  ")
    assert "empty message" in chat.text()
    await chat.send("/he\x00lp")
    assert "What I can do" in chat.text()
    await chat.send("hello \udcff there")  # an unpaired surrogate from bad UTF-8
    assert chat.text().startswith("Hello!")  # understood as a greeting, not a crash


async def test_rate_limit_stops_a_flood_without_slowing_others(make_runtime: Any) -> None:
    rt = await make_runtime(rate_limit_messages=3, rate_limit_window_seconds=60)
    flood, other = Chat(rt, "flood"), Chat(rt, "calm")
    for _ in range(3):
        await flood.send("/help")
        assert "What I can do" in flood.text()
    await flood.send("/help")
    assert "faster than I can keep up" in flood.text()
    await flood.send("/help")
    assert flood.replies == []  # warned once per window, then quiet
    await other.send("/help")
    assert "What I can do" in other.text()


async def test_redelivered_event_is_handled_once(chat: Chat) -> None:
    assert await chat.send("/help", event_id="Ev1")
    assert await chat.send("/help", event_id="Ev1") == []


async def test_flow_validates_advances_and_finishes(demo_runtime: Runtime) -> None:
    chat = Chat(demo_runtime, "anna")
    await chat.send("/ask")
    await chat.send("A")
    assert "at least two letters" in chat.text()
    await chat.send("Anna")
    assert "Which city" in chat.text()
    await chat.send("Aarhus")
    assert chat.text() == "Hello Anna from Aarhus"
    await chat.send("Aarhus")
    assert "Hello Anna" not in chat.text() and chat.replies  # the flow is over: free text again


@pytest.mark.parametrize("action", ["demo:cancel:1", "demo:cancel:²", "demo:cancel:" + "9" * 40])
async def test_a_malformed_typed_payload_is_refused_politely_and_changes_nothing(
    demo_runtime: Runtime, action: str
) -> None:
    chat = Chat(demo_runtime, "anna")
    await chat.send("/ask")
    await chat.press_action(action)
    assert "no longer valid" in chat.text()
    await chat.send("Anna")
    assert "Which city" in chat.text()  # the flow is still where it was


async def test_cancel_leaves_any_flow(demo_runtime: Runtime) -> None:
    chat = Chat(demo_runtime, "anna")
    await chat.send("/ask")
    await chat.send("/cancel")
    assert "Cancelled" in chat.text()
    await chat.send("/ask")
    await chat.press("Cancel")
    assert chat.text() == "Stopped."


async def test_flow_survives_a_restart(make_runtime: Any, demo_runtime: Runtime) -> None:
    await Chat(demo_runtime, "anna").send("/ask")
    await Chat(demo_runtime, "anna").send("Anna")
    await demo_runtime.close()
    again: Runtime = await make_runtime()
    again.dispatcher = Dispatcher([demo, *build_routers()])
    chat = Chat(again, "anna")
    await chat.send("Odense")
    assert chat.text() == "Hello Anna from Odense"


async def test_flow_expires_after_idle_time(demo_runtime: Runtime, clock: Any) -> None:
    chat = Chat(demo_runtime, "anna")
    await chat.send("/ask")
    clock.advance(minutes=61)
    await chat.send("Anna")
    assert "Which city" not in chat.text() and chat.replies  # the FAQ got it, not the flow


async def test_error_gives_a_reference_and_rolls_back(demo_runtime: Runtime, caplog: pytest.LogCaptureFixture) -> None:
    chat = Chat(demo_runtime, "anna")
    await chat.send("/boom")
    text = chat.text()
    assert "something went wrong" in text
    ref = text.rsplit(" ", 1)[-1]
    assert len(ref) == 8
    assert any(ref in r.getMessage() and r.exc_info for r in caplog.records)
    async with demo_runtime.sessions() as session:
        from storage.models import MessageLog

        assert await repos.count_rows(session, MessageLog) == 0


async def test_chatter_not_addressed_to_the_assistant_gets_no_answer(runtime: Runtime) -> None:
    from bot.types import Channel, Identity, Incoming

    ident = Identity(Channel.SLACK, "U1", "C1", thread_id="171.1")
    assert await runtime.handle(Incoming(ident, text="thanks all", addressed=False)) == []
    assert await runtime.handle(Incoming(ident, text="what is a label"))


async def test_answers_inside_a_flow_do_not_switch_the_language(demo_runtime: Runtime) -> None:
    chat = Chat(demo_runtime, "anna")
    await chat.send("how does this work")
    await chat.send("/ask")
    await chat.send("Søren Klynge")  # a Danish name is an answer, not a change of language
    await chat.send("Aarhus")
    await chat.send("/help")
    assert "What I can do" in chat.text()
