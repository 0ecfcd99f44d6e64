"""The FAQ as a conversation: answers, choices, honest declines, feedback, topics, reload."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from bot.runtime import Runtime
from knowledge.loader import ENTRIES_DIR
from storage import repos
from storage.faq import FaqAnswer, FaqDeclined
from tests.chat import Chat


async def test_gold_answer_in_english_with_sources_related_topics_and_feedback(chat: Chat) -> None:
    await chat.send("what does a gold label require")
    text = chat.text()
    assert text.startswith("The Gold label") and "31 indicators" in text
    assert "Sources" in text and "https://clusterexcellencedenmark.dk/" in text
    labels = [b.label for b in chat.buttons()]
    assert "Helpful" in labels and "Not helpful" in labels
    assert len([b for b in chat.buttons() if b.action.startswith("faq:show:")]) == 3


async def test_danish_question_gets_the_danish_cost_answer(chat: Chat) -> None:
    await chat.send("hvad koster bronze mærket")
    assert chat.text().startswith("Hvad en mærkning koster") and "2.250 euro" in chat.text()
    assert "Hjælpsomt" in [b.label for b in chat.buttons()]
    await chat.send("hvad koster bronze maerket")  # typed without æ: the same answer
    assert chat.text().startswith("Hvad en mærkning koster")


async def test_related_topic_button_opens_that_entry(chat: Chat) -> None:
    await chat.send("what does a gold label require")
    await chat.press("What a label assessment costs")
    assert "EUR 8,250" in chat.text()


async def test_unrelated_question_is_declined_honestly_and_stored(runtime: Runtime, chat: Chat) -> None:
    await chat.send("what is the weather")
    assert "I don't have an answer to that" in chat.text() and "/topics" in chat.text()
    assert [b.action for b in chat.buttons()] == ["faq:topics", "faq:show:ced-contact", "handoff:start"]
    await chat.press("Contacting a person at CED")
    assert "info@clusterexcellencedenmark.dk" in chat.text()
    async with runtime.sessions() as session:
        assert await repos.count_rows(session, FaqDeclined) == 1


async def test_decline_offers_an_adviser_with_the_question_carried_over(chat: Chat) -> None:
    await chat.send("can you review our budget spreadsheet for the board meeting")
    await chat.press("Ask a CED adviser")
    assert "I'll send this to a CED adviser" in chat.text()
    assert "can you review our budget spreadsheet for the board meeting" in chat.text()


async def test_close_matches_ask_which_one_was_meant(chat: Chat) -> None:
    await chat.send("interreg")
    assert "Did you mean" in chat.text()
    shown = [b.action for b in chat.buttons()]
    assert 2 <= len(shown) <= 3 and "faq:pick:fund-interreg-europe" in shown
    await chat.press("Interreg Europe")
    assert chat.text().startswith("Interreg Europe")


async def test_feedback_is_stored_and_only_the_asker_can_give_it(runtime: Runtime, chat: Chat) -> None:
    await chat.send("what does a gold label require")
    not_helpful = chat.button("Not helpful").action
    await Chat(runtime, "mallory").press_action(not_helpful)
    async with runtime.sessions() as session:
        assert (await session.get_one(FaqAnswer, 1)).helpful is None
    await chat.press("Not helpful")
    assert "Sorry that didn't help" in chat.text()
    assert "handoff:start" in [b.action for b in chat.buttons()]
    async with runtime.sessions() as session:
        row = await session.get_one(FaqAnswer, 1)
        assert row.helpful is False and row.entry_id == "labels-gold"
    await chat.press_action("faq:fb:1:maybe")
    assert "no longer valid" in chat.text()


async def test_topics_browse_categories_then_entries(chat: Chat) -> None:
    await chat.send("/topics")
    await chat.press("Cluster labels")
    assert "The Gold label" in [b.label for b in chat.buttons()]
    await chat.press("The Gold label")
    assert "31 indicators" in chat.text()
    await chat.press_action("faq:cat:nosuch")
    assert "no longer valid" in chat.text()


async def test_outcomes_are_counted(runtime: Runtime, chat: Chat) -> None:
    await chat.send("what does a gold label require")
    await chat.send("what is the weather")
    metrics = runtime.metrics.render().decode()
    assert 'cedbot_faq_outcomes_total{outcome="answer"} 1.0' in metrics
    assert 'cedbot_faq_outcomes_total{outcome="decline"} 1.0' in metrics


async def test_reload_is_for_admins_and_keeps_the_old_index_on_a_broken_file(make_runtime: Any, tmp_path: Path) -> None:
    folder = tmp_path / "entries"
    shutil.copytree(ENTRIES_DIR, folder)
    rt: Runtime = await make_runtime(knowledge_dir=folder, admins="console:boss")
    anna = Chat(rt, "anna")
    await anna.send("/reload")
    assert "only for" in anna.text()

    (folder / "labels-gold.yaml").write_text("id: labels-gold\nquestions: [unclosed\n")
    boss = Chat(rt, "boss")
    await boss.send("/reload")
    assert "NOT reloaded" in boss.text() and "labels-gold.yaml" in boss.text()
    assert "NOT reloaded" in "\n".join(await rt.reload())
    await boss.send("what does a gold label require")
    assert "31 indicators" in boss.text()  # the old index still answers

    shutil.copy(ENTRIES_DIR / "labels-gold.yaml", folder)
    (folder / "labels-bronze.yaml").unlink()  # still referenced by other entries
    await boss.send("/reload")
    assert "field 'related': unknown id 'labels-bronze'" in boss.text()
    shutil.copy(ENTRIES_DIR / "labels-bronze.yaml", folder)
    await boss.send("/reload")
    count = len(list(folder.glob("*.yaml")))
    assert f"reloaded: {count} entries" in boss.text()
    assert await rt.reload() == [f"Knowledge base reloaded: {count} entries."]
