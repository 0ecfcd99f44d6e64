"""Knowledge on the desk: gaps, a draft edited and published (the assistant answers at once),
and the entries list with the stale ones first."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.runtime import Runtime
from knowledge.loader import ENTRIES_DIR
from tests.chat import Chat
from tests.desk_support import desk_for, settings_for_desk
from tests.handlers.faq.test_faq_publish import ANSWER, QUESTION, cli, resolved_draft

COMPLETE = {
    "new_id": "ced-meeting-room",
    "category": "ced",
    "title_da": "CED's mødelokale",
    "answer_da": "Ja: skriv til sekretariatet to uger før; lokalet har tolv pladser.",
    "questions_en": (
        "borrow a meeting room from CED\nCED meeting room Odense\ncan we use CED's room for a board meeting"
    ),
    "questions_da": (
        "kan vi låne CED's mødelokale\nmødelokale hos CED\nlåne lokale i Odense\nkan klyngen bruge CED's lokale"
    ),
}


@pytest.fixture
async def office(make_runtime: Any, db_url: tuple[str, str | None], tmp_path: Path) -> Runtime:
    if db_url[1] is not None:
        pytest.skip("kb ask opens the configured knowledge folder and database, not a test schema")
    folder = tmp_path / "entries"
    shutil.copytree(ENTRIES_DIR, folder)
    stale = folder / "ced-contact.yaml"
    stale.write_text(stale.read_text().replace("reviewed: ", "reviewed: 2020-01-01\nold_reviewed: ", 1))
    rt: Runtime = await make_runtime(
        **settings_for_desk(advisers="console:ada", adviser_channel="console:ada", knowledge_dir=folder)
    )
    return rt


async def test_a_draft_is_edited_and_published_and_answered_at_once(office: Runtime) -> None:
    await resolved_draft(office)
    await Chat(office, "anna").send("xqzv flurbo gnarf")  # declined: a gap
    folder = office.settings.knowledge_dir
    assert folder is not None
    files = sorted(p.name for p in folder.iterdir())
    async with desk_for(office) as (http, csrf):
        page = await http.get("/desk/knowledge")
        assert "Draft 1" in page.text and QUESTION.replace("'", "&#39;") in page.text
        assert "xqzv flurbo gnarf" in page.text

        edited = QUESTION.replace("Odense", "Odense for our board")
        form = {"csrf": csrf, "question": edited, "answer": ANSWER, "do": "publish", "new_id": "ced-meeting-room"}
        refused = await http.post("/desk/knowledge/drafts/1", data=form)
        assert refused.status_code == 400 and "nothing was written" in refused.text and "--category" in refused.text
        assert sorted(p.name for p in folder.iterdir()) == files

        done = await http.post("/desk/knowledge/drafts/1", data={**form, **COMPLETE})
        assert done.status_code == 303, done.text
        page = await http.get("/desk/knowledge")
        assert "Draft 1 is published in ced-meeting-room.yaml" in page.text
        rows = page.text.split("<tbody>")[-1]
        assert rows.index("ced-contact") < rows.index("ced-meeting-room")  # stale first

    anna = Chat(office, "anna")
    await anna.send("can we borrow the CED meeting room in Odense")
    assert "the room seats twelve" in anna.text()  # the running assistant reloaded
    code, out = await cli(office, "kb", "ask", "can we borrow the CED meeting room in Odense", "--json")
    assert code == 0 and json.loads(out)["answer_id"] == "ced-meeting-room"
