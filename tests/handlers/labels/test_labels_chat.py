"""/label, /mycluster and "what is our label status", as a cluster manager would use them."""

from __future__ import annotations

from typing import Any

import pytest

from bot.kb import KnowledgeHandle
from bot.router import Dispatcher
from bot.runtime import Runtime
from bot.types import Lang
from handlers import labels, start
from knowledge.base import load_base
from tests.chat import Chat
from tests.labels_helpers import load_sample


@pytest.fixture
async def chat(runtime: Runtime) -> Chat:
    await load_sample(runtime)
    return Chat(runtime, "anna")


@pytest.fixture
async def full_chat(runtime: Runtime) -> Chat:
    """The labels feature alongside the features whose buttons it offers (all of them)."""
    await load_sample(runtime)
    return Chat(runtime, "anna")


@pytest.fixture
async def lone_chat(runtime: Runtime) -> Chat:
    """The labels feature without the knowledge, booking and hand-off features."""
    await load_sample(runtime)
    runtime.dispatcher = Dispatcher([start.router, labels.router])
    return Chat(runtime, "anna")


@pytest.mark.parametrize(
    "typed",
    [
        "Søkrog Maritime Cluster",
        "sokrog maritme",  # typo, ø typed as o
        "Soekrog klynge",  # ø as oe, "klynge" instead of "cluster"
        "SMC",  # an alias
        "søkrog",
    ],
)
async def test_a_misspelled_name_or_alias_finds_the_cluster(chat: Chat, typed: str) -> None:
    await chat.send(f"/label {typed}")
    text = chat.text()
    assert text.startswith("Søkrog Maritime Cluster")
    assert "Label: Gold" in text and "Awarded: 15 December 2024" in text
    assert "Valid until: 14 December 2026 (17 days left)" in text


async def test_danish_letters_match_their_spelled_out_forms(chat: Chat) -> None:
    await chat.send("/label Aakande vandteknologi netværk")
    assert chat.text().startswith("Åkande Vandteknologi")
    await chat.send("/label kaermose biotech")
    assert chat.text().startswith("Kærmose Biotech Klynge")


async def test_next_level_and_expired_labels_are_explained(chat: Chat) -> None:
    await chat.send("/label Grønskov")  # bronze
    assert "Next level, Silver" in chat.text()
    await chat.send("/label Bøgely")  # silver
    assert "Next level, Gold" in chat.text()
    await chat.send("/label Tågeholm Digital")  # gold, expired 31 October 2026
    assert "Gold, expired" in chat.text() and "27 days ago" in chat.text()
    assert "has expired" in chat.text()
    assert not any("Remind" in b.label for b in chat.buttons()), "nothing to remind of"
    await chat.send("/label Vesterhav Bioøkonomi")
    assert "none yet" in chat.text() and "Bronze starts with a benchmarking" in chat.text()


async def test_several_close_matches_offer_a_choice(chat: Chat) -> None:
    await chat.send("/label lyngbakke")
    assert "Several clusters match" in chat.text()
    assert sorted(b.label for b in chat.buttons()) == ["Lyngbakke Droneklynge", "Lyngbakke Robotnetværk"]
    await chat.press("Droneklynge")
    assert chat.text().startswith("Lyngbakke Droneklynge") and "Bronze" in chat.text()


async def test_no_match_says_so_and_suggests_the_closest(full_chat: Chat) -> None:
    await full_chat.send("/label Vindby offshor grid alliance")
    assert "can't find a cluster called “Vindby offshor grid alliance”" in full_chat.text()
    assert "The closest name is Vindeby Offshore Network" in full_chat.text()
    assert full_chat.button("Ask a CED adviser").action == "handoff:start"
    await full_chat.press("Vindeby Offshore Network")
    assert full_chat.text().startswith("Vindeby Offshore Network")


async def test_typed_text_is_shown_literally(chat: Chat) -> None:
    await chat.send("/label **zz** [x](https://evil.example)")
    assert "“**zz** [x](https://evil.example)”" in chat.text()


async def test_card_links_knowledge_booking_and_reminder_when_those_features_exist(full_chat: Chat) -> None:
    await full_chat.send("/label Grønskov")
    actions = [b.action for b in full_chat.buttons()]
    assert actions == [
        "faq:show:labels-silver",
        "faq:show:labels-next-level",
        "faq:show:labels-validity-renewal",
        "advice:start:labels",
        f"labels:remind:{actions[-1].rsplit(':', 1)[1]}",
    ]
    assert full_chat.button("advice:start:labels").label == "Book an adviser meeting on labels"
    await full_chat.press("The Silver label")  # titles come from the knowledge base
    assert full_chat.text().startswith("The Silver label")  # the knowledge entry itself
    await full_chat.send("/label Grønskov")
    await full_chat.press("Book an adviser meeting on labels")
    assert full_chat.replies and "labels" in full_chat.text().lower()


async def test_no_dead_buttons_without_those_features(lone_chat: Chat) -> None:
    await lone_chat.send("/label Grønskov")
    assert [b.label for b in lone_chat.buttons()] == ["Remind me before it expires"]
    await lone_chat.send("/label nothing like any name at all qq")
    assert not any(b.action.startswith("handoff") for b in lone_chat.buttons())


def test_knowledge_titles_come_from_the_typed_handle() -> None:
    handle = KnowledgeHandle()
    assert handle.title("labels-silver", Lang.EN) is None  # nothing loaded: the labels' own words
    handle.use(load_base())
    assert handle.title("labels-silver", Lang.DA) == "Sølvmærket"
    assert handle.title("no-such-entry", Lang.EN) is None


async def test_remind_me_then_stop(chat: Chat) -> None:
    await chat.send("/label Grønskov")
    await chat.press("Remind me")
    assert "remind you 90 and 30 days before the label of Grønskov Energinetværk expires" in chat.text()
    await chat.send("/label Grønskov")
    assert "You get a reminder 90 and 30 days" in chat.text()
    await chat.press("Stop reminders")
    assert "No more reminders for Grønskov Energinetværk" in chat.text()


async def test_forged_label_buttons_are_refused(chat: Chat) -> None:
    for action in ("labels:show:99999", "labels:remind:abc", "labels:frob:1", "labels:link:1", "labels"):
        await chat.press_action(action)
        assert "no longer valid" in chat.text(), action


async def test_my_cluster_needs_confirmation_then_label_alone_shows_it(chat: Chat) -> None:
    await chat.send("/label")
    assert "Which cluster? Type /label NAME" in chat.text()
    await chat.send("/mycluster fjordlis")
    assert "Is Fjordlys Energiklynge your cluster?" in chat.text()
    await chat.press("No")
    assert "left it as it was" in chat.text()
    await chat.send("/label")
    assert "Which cluster?" in chat.text()
    await chat.send("/mycluster fjordlis")
    await chat.press("Yes, that's us")
    assert "Fjordlys Energiklynge is your cluster" in chat.text()
    await chat.send("/label")
    assert chat.text().startswith("Fjordlys Energiklynge") and "You get a reminder" in chat.text()
    await chat.send("/mycluster")
    assert "Your cluster is Fjordlys Energiklynge" in chat.text()


async def test_changing_my_cluster_by_typing_ja(chat: Chat) -> None:
    await chat.send("/mycluster Fjordlys")
    await chat.send("yes")
    await chat.send("/mycluster Havgus")
    assert "Your cluster is Fjordlys Energiklynge now. Change it to Havgus Fødevareklynge?" in chat.text()
    await chat.send("ja")
    await chat.send("/label")
    assert chat.text().startswith("Havgus Fødevareklynge")


async def test_a_stale_confirmation_button_does_nothing(chat: Chat) -> None:
    await chat.send("/mycluster Fjordlys")
    yes = chat.button("Yes")
    await chat.send("/cancel")
    await chat.press_action(yes.action)
    assert "no longer valid" in chat.text()
    await chat.send("/label")
    assert "Which cluster?" in chat.text()


async def test_another_question_during_confirmation_is_answered_normally(chat: Chat) -> None:
    await chat.send("/mycluster Fjordlys")
    await chat.send("what is our label status")
    assert "I don't know your cluster yet" in chat.text()


@pytest.mark.parametrize(
    "question",
    [
        "what is our label status",
        "When does our label expire?",
        "is my label still valid",
        "hvornår udløber vores mærke",
        "hvornaar udloeber vores maerke",
        "hvornar udlober vores maerke",
        "hvad er vores mærkestatus",
        "Hvad er vores maerkestatus?",
    ],
)
async def test_free_text_about_our_label_shows_our_status(chat: Chat, question: str) -> None:
    await chat.send("/mycluster Søkrog")
    await chat.press("Yes")
    await chat.send(question)
    assert chat.text().startswith("Søkrog Maritime Cluster")


@pytest.mark.parametrize(
    "question",
    [
        "what does a gold label require",
        "how long is a label valid",
        "hvad kræver sølvmærket",
        "how do we renew our label",
    ],
)
async def test_general_label_questions_still_go_to_the_faq(chat: Chat, question: str) -> None:
    await chat.send(question)
    assert not chat.text().startswith(("Søkrog", "Which cluster", "I don't know your cluster"))
    assert any(b.action.startswith("faq:") for b in chat.buttons())  # answered by the FAQ


async def test_answers_in_danish(chat: Chat, runtime: Any) -> None:
    await chat.send("/lang da")
    await chat.send("/label klitgaard fiskeri")
    assert "Mærke: **Bronze**" not in chat.text()  # markup is rendered, not shown
    assert "Mærke: Bronze" in chat.text() and "Gyldigt til: 30. november 2026 (3 dage tilbage)" in chat.text()
    assert "Næste niveau, sølv" in chat.text()
