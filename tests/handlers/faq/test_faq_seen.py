"""What people ran into in the chat, each as a conversation (English and Danish)."""

from __future__ import annotations

import re

import pytest

from bot.runtime import Runtime
from knowledge.base import KnowledgeBase
from tests.chat import Chat


def feedback_buttons(chat: Chat) -> list[str]:
    return [b.label for b in chat.buttons() if b.action.startswith("faq:fb:")]


@pytest.mark.parametrize(
    ("said", "starts"),
    [
        ("hello", "Hello!"),
        ("Hi!", "Hello!"),
        ("hej", "Hej!"),
        ("thanks", "You're welcome"),
        ("tak", "Det var så lidt"),
        ("Mange tak!", "Det var så lidt"),
        ("what can you do?", "I answer questions"),
        ("hvad kan du?", "Jeg svarer på spørgsmål"),
    ],
)
async def test_greetings_thanks_and_abilities_get_a_friendly_word_in_their_language(
    chat: Chat, said: str, starts: str
) -> None:
    await chat.send(said)
    assert chat.text().startswith(starts)
    assert "don't have an answer" not in chat.text() and "ikke et svar" not in chat.text()


@pytest.mark.parametrize(
    "question",
    [
        "How does Finland's national cluster programme work?",
        "Hvordan fungerer det finske klyngeprogram?",
        "What does Business Finland fund?",
    ],
)
async def test_another_countrys_programme_is_not_answered_as_denmarks(chat: Chat, question: str) -> None:
    await chat.send(question)
    assert "2025-2028" not in chat.text() and "Erhvervsfremmebestyrelse" not in chat.text()
    assert "nationale programmer" in chat.text() or "national programmes" in chat.text()
    assert not any(b.action.startswith("faq:pick:fund-danish") for b in chat.buttons())


async def test_a_danish_name_in_an_english_question_keeps_english(chat: Chat) -> None:
    await chat.send("Can Norwegian partners join Interreg ØKS?")
    assert chat.text().startswith("Interreg Öresund") and "Norwegian partners at most 50%" in chat.text()
    await chat.send("Is Region Sjælland part of Interreg?")
    assert "Sources" in chat.text() or "Did you mean" in chat.text()
    await chat.send("de minimis")
    assert "Sources" in chat.text() and "Kilder" not in chat.text()
    await chat.send("hvad er de minimis")  # a Danish question gets Danish
    assert "Kilder" in chat.text()


async def test_answers_never_show_internal_ids(runtime: Runtime, chat: Chat) -> None:
    base: KnowledgeBase = runtime.knowledge.base
    ids = {e.id for e in base.entries}
    for entry in base.entries:
        for lang in ("en", "da"):
            await chat.send(f"/lang {lang}")
            await chat.press_action(f"faq:show:{entry.id}")
            shown = set(re.findall(r"[a-z]+(?:-[a-z0-9]+)+", chat.text()))
            assert not shown & ids, (entry.id, lang, shown & ids)


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("What is a <b>Gold</b> label?", "The Gold label"),
        ("what is a **gold** label\u200b", "The Gold label"),
        ("Hvad kræver <i>guldmærket</i>?\x07", "Guldmærket"),
    ],
)
async def test_markup_and_control_characters_do_not_break_matching(chat: Chat, question: str, title: str) -> None:
    await chat.send(question)
    assert chat.text().startswith(title)


@pytest.mark.parametrize(("number", "says"), [("2", "A number alone"), ("4", "A number alone")])
async def test_a_bare_number_is_not_a_question(chat: Chat, number: str, says: str) -> None:
    await chat.send(number)
    assert chat.text().startswith(says) and "Horizon" not in chat.text()
    await chat.send("/lang da")
    await chat.send(number)
    assert chat.text().startswith("Et tal alene")


async def test_a_did_you_mean_answer_asks_for_feedback_on_the_question(runtime: Runtime, chat: Chat) -> None:
    from storage.faq import FaqAnswer

    await chat.send("interreg")
    assert "Did you mean" in chat.text()
    await chat.press("Interreg Europe")
    assert chat.text().startswith("Interreg Europe")
    assert feedback_buttons(chat) == ["Helpful", "Not helpful"]
    await chat.press("Not helpful")
    async with runtime.sessions() as session:
        row = await session.get_one(FaqAnswer, 1)
    assert (row.entry_id, row.query, row.helpful) == ("fund-interreg-europe", "interreg", False)
    await chat.send("/lang da")
    await chat.send("interreg")
    await chat.press("Interreg Europe")
    assert feedback_buttons(chat) == ["Hjælpsomt", "Ikke hjælpsomt"]


async def test_follow_ups_are_read_from_the_conversation(chat: Chat) -> None:
    await chat.send("what does the gold label require")
    assert chat.text().startswith("The Gold label")
    await chat.send("and for Silver?")
    assert chat.text().startswith("The Silver label")
    await chat.send("how much does it cost?")
    assert chat.text().startswith("What a label assessment costs") and "3,620" in chat.text()
    await chat.send("what does innobooster give")
    await chat.send("who can apply for it?")
    assert chat.text().startswith("Innobooster")


async def test_follow_ups_in_danish(chat: Chat) -> None:
    await chat.send("hvad kræver guldmærket")
    assert chat.text().startswith("Guldmærket")
    await chat.send("og sølv?")
    assert chat.text().startswith("Sølvmærket")
    await chat.send("hvad koster det?")
    assert chat.text().startswith("Hvad en mærkning koster") and "3.620" in chat.text()


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("Can CED help us prepare for Gold?", "Moving up: Bronze to Silver to Gold"),
        ("Who runs CED today?", "About Cluster Excellence Denmark"),
        ("how much dose the gold lable cost", "What a label assessment costs"),
        ("Hvordan bliver vi en del af klyngeprogrammet?", "Det danske klyngeprogram 2025-2028"),
        ("Kan CED hjælpe os med at forberede guld?", "Fra bronze til sølv til guld"),
        ("hvem driver CED i dag", "Om Cluster Excellence Denmark"),
    ],
)
async def test_questions_the_knowledge_base_answers_are_answered(chat: Chat, question: str, title: str) -> None:
    await chat.send(question)
    assert chat.text().startswith(title)


async def test_eu_funding_with_swedish_partners_offers_interreg_oks(chat: Chat) -> None:
    await chat.send("Can we get EU funding for a project with partners in Sweden?")
    offered = [b.action for b in chat.buttons()]
    assert "faq:pick:fund-interreg-oks" in offered or chat.text().startswith("Interreg Öresund")
    await chat.send("Kan vi få EU-støtte til et projekt med partnere i Sverige?")
    offered = [b.action for b in chat.buttons()]
    assert "faq:pick:fund-interreg-oks" in offered or chat.text().startswith("Interreg Öresund")


@pytest.mark.parametrize(
    "question",
    [
        "What funding does Vinnova's Vinnväxt programme give Swedish clusters?",
        "Hvor meget giver Vinnovas Vinnväxt-program til svenske klynger?",
    ],
)
async def test_a_question_naming_what_we_never_mention_is_declined(chat: Chat, question: str) -> None:
    await chat.send(question)
    assert "don't have an answer" in chat.text() or "ikke et svar" in chat.text()


async def test_a_place_we_know_is_no_stranger(chat: Chat) -> None:
    await chat.send("Can Swedish partners join Interreg ØKS?")
    assert chat.text().startswith("Interreg Öresund")


@pytest.mark.parametrize(
    "question", ["How does Norway's Arena programme work?", "Hvordan fungerer Norges Arena-program?"]
)
async def test_norways_arena_programme_gets_no_danish_choices(chat: Chat, question: str) -> None:
    await chat.send(question)
    offered = [b.action for b in chat.buttons()]
    assert not any("danish-cluster-programme" in a or "erhvervsfremme" in a for a in offered)
    assert "2025-2028" not in chat.text()
