"""From an adviser's answer to a published entry that the running assistant answers with."""

from __future__ import annotations

import asyncio
import contextlib
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli import build_parser
from bot.runtime import Runtime
from cedbot import APP
from knowledge.check import check_folder
from knowledge.loader import ENTRIES_DIR
from tests.chat import Chat

QUESTION = "Can our cluster borrow CED's meeting room in Odense?"
ANSWER = "Yes: write to the secretariat two weeks ahead; the room seats twelve."


@pytest.fixture
async def office(make_runtime: Any, db_url: tuple[str, str | None], tmp_path: Path) -> Runtime:
    if db_url[1] is not None:
        pytest.skip("the command line opens the configured database, not a test schema")
    folder = tmp_path / "entries"
    shutil.copytree(ENTRIES_DIR, folder)
    rt: Runtime = await make_runtime(
        advisers="console:ada", adviser_channel="console:ada", admins="console:ada", knowledge_dir=folder
    )
    return rt


async def resolved_draft(office: Runtime) -> None:
    anna, ada = Chat(office, "anna"), Chat(office, "ada")
    await anna.send(QUESTION)
    await anna.send("/adviser")
    await anna.press("Other")
    await ada.press_action("handoff:claim:1")
    await ada.send(f"/reply 1 {ANSWER}")
    await ada.send("/resolve 1")
    await ada.press_action("handoff:draft:1")
    assert "FAQ draft 1" in ada.text()


async def cli(office: Runtime, *argv: str) -> tuple[int, str]:
    args = build_parser(APP, argv).parse_args(list(argv))
    out = io.StringIO()

    def _run() -> int:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            return int(args.func(args, office.settings))

    return await asyncio.to_thread(_run), out.getvalue()


async def test_a_draft_becomes_a_new_entry_answered_after_reload(office: Runtime) -> None:
    await resolved_draft(office)
    code, out = await cli(office, "kb", "drafts", "show", "1")
    assert code == 0 and QUESTION in out and ANSWER in out and "kb publish 1" in out

    code, out = await cli(office, "kb", "publish", "1", "--as", "ced-meeting-room")
    assert code == 1 and "not published" in out and "--category" in out and "--answer-da" in out
    folder = office.settings.knowledge_dir
    assert folder is not None and not (folder / "ced-meeting-room.yaml").exists()

    code, out = await cli(
        office, "kb", "publish", "1", "--as", "ced-meeting-room", "--category", "ced",
        "--title-da", "CED's mødelokale",
        "--answer-da", "Ja: skriv til sekretariatet to uger før; lokalet har tolv pladser.",
        "--question-en", "borrow a meeting room from CED", "--question-en", "CED meeting room Odense",
        "--question-en", "can we use CED's room for a board meeting",
        "--question-da", "kan vi låne CED's mødelokale", "--question-da", "mødelokale hos CED",
        "--question-da", "låne lokale i Odense", "--question-da", "kan klyngen bruge CED's lokale",
    )  # fmt: skip
    assert code == 0, out
    _, problems = check_folder(folder)
    assert [p for p in problems if p.level == "error"] == []
    written = yaml.safe_load((folder / "ced-meeting-room.yaml").read_text())
    assert written["answer"]["en"].strip() == ANSWER and written["questions"]["en"][0] == QUESTION

    anna, ada = Chat(office, "anna"), Chat(office, "ada")
    await anna.send("can we borrow the CED meeting room in Odense")
    assert "twelve" not in anna.text()
    await ada.send("/reload")
    assert "59 entries" in ada.text()
    await anna.send("can we borrow the CED meeting room in Odense")
    assert "the room seats twelve" in anna.text()


async def test_a_draft_adds_a_phrasing_to_an_existing_entry(office: Runtime) -> None:
    await resolved_draft(office)
    folder = office.settings.knowledge_dir
    assert folder is not None
    before = (folder / "ced-contact.yaml").read_text()
    code, out = await cli(office, "kb", "publish", "1", "--into", "ced-contact")
    assert code == 0, out
    after = (folder / "ced-contact.yaml").read_text()
    assert QUESTION in after and after.count("\n") == before.count("\n") + 1  # the rest kept as it was
    code, out = await cli(office, "kb", "publish", "1", "--into", "ced-contact")
    assert code == 1 and "already has the question" in out
    code, out = await cli(office, "kb", "publish", "1", "--into", "labels-gold")
    assert code == 1 and "several entries" in out  # kb check would fail: nothing written
    assert QUESTION not in (folder / "labels-gold.yaml").read_text()
    code, out = await cli(office, "kb", "drafts", "show", "7")
    assert code == 1 and "no FAQ draft 7" in out
