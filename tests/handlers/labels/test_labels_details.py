"""Label details CED staff notice: the overview says when it was drawn; the advisers hear only news."""

from __future__ import annotations

from typing import Any

import pytest

from bot.runtime import Runtime
from tests.chat import Chat
from tests.handlers.labels.test_labels_reminders import _outbox


@pytest.mark.parametrize(("lang", "as_of"), [("en", "as of 27 November 2026"), ("da", "pr. 27. november 2026")])
async def test_the_overview_and_its_chart_say_as_of_which_day(runtime: Runtime, lang: str, as_of: str) -> None:
    chat = Chat(runtime, "anna")
    await chat.send(f"/lang {lang}")
    await chat.send("/labels")
    assert as_of in chat.text()
    assert chat.replies[-1].attachments[0].filename == "labels-2026-11-27.png"


@pytest.mark.parametrize("lang", ["en", "da"])
async def test_the_advisers_hear_nothing_when_no_label_expires(make_runtime: Any, lang: str) -> None:
    rt: Runtime = await make_runtime(adviser_channel="console:advisers", sample_data=False, default_language=lang)
    assert "label-expiry-summary" in await rt.run_due_jobs()  # the first start runs it
    assert [r.payload["text"] for r in await _outbox(rt) if r.chat_id == "advisers"] == []
