"""Course booking details a manager notices: prices, a full course at Confirm, every session, invites."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from tests.chat import Chat


@pytest.mark.parametrize(
    ("lang", "title", "price"),
    [
        ("en", "International partnerships", "Price: DKK 1,500"),
        ("da", "Internationale partnerskaber", "Pris: 1.500 kr."),
    ],
)
async def test_a_price_is_written_as_the_reader_writes_numbers(
    runtime: Runtime, lang: str, title: str, price: str
) -> None:
    chat = Chat(runtime, "anna")
    await chat.send(f"/lang {lang}")
    await chat.send("/courses")
    await chat.press(title)
    assert price in chat.text()
