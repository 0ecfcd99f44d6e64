"""Hand-off details a manager notices: office hours in their language, confirmations, rating, pre-fill."""

from __future__ import annotations

from typing import Any

import pytest

from bot.runtime import Runtime
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
