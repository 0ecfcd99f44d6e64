"""The adviser desk in headless Chromium: what an adviser sees and does, end to end."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.context import Notifier
from bot.runtime import Runtime
from bot.types import Lang
from handlers.desk.signin import send_link
from knowledge.loader import ENTRIES_DIR
from tests.chat import Chat
from tests.desk_browser import browser, need_chromium, served, shot
from tests.desk_support import link_in, settings_for_desk
from tests.handlers.desk.test_desk_labels import BROKEN, register
from tests.handlers.faq.test_faq_publish import cli
from tests.handlers.handoff.test_handoff import inbox, open_ticket, read, ticket

PHRASINGS_EN = (
    "combine ERDF money with a national grant\nERDF and national co-funding together\n"
    "can ERDF co-finance a nationally funded project"
)
PHRASINGS_DA = (
    "kan vi kombinere EFRU med national støtte\nEFRU og national medfinansiering\n"
    "må et EFRU-projekt også have nationale midler\nEFRU sammen med statsstøtte"
)

pytestmark = [pytest.mark.slow, pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)]


async def console_link(rt: Runtime, identity: str = "console:ada") -> str:
    """The link as ``cedbot desk link`` sends it, read from the adviser's console."""
    async with rt.sessions() as session, session.begin():
        await send_link(Notifier(runtime=rt, session=session, now=rt.clock()), identity, Lang.EN)
    return link_in(await read(inbox(rt, identity.split(":")[1])))


async def test_an_advisers_day_on_the_desk(make_runtime: Any, clock: Any, tmp_path: Path) -> None:
    need_chromium()
    entries = tmp_path / "entries"
    shutil.copytree(ENTRIES_DIR, entries)
    rt: Runtime = await make_runtime(**settings_for_desk(adviser_channel="console:ada", knowledge_dir=entries))
    anna = Chat(rt, "anna")
    anna_inbox = inbox(rt, "anna")
    async with served(rt) as url, browser() as chromium:
        page = await (await chromium.new_context()).new_page()
        link = await console_link(rt)
        await page.goto(link.replace("lang=en", "lang=da"))  # showing the page spends nothing
        await page.get_by_role("button", name="Log ind").wait_for()
        await shot(page, "signin-da")
        await page.goto(link)
        await shot(page, "signin-en")
        await page.get_by_role("button", name="Sign in").click()
        await page.get_by_role("heading", name="Queue").wait_for()
        await shot(page, "queue-empty-en")

        # A manager asks for an adviser: the row appears without a reload.
        number = await open_ticket(anna)
        row = page.get_by_role("link", name=f"Ticket #{number}")
        await row.wait_for(timeout=10_000)
        await shot(page, "queue-en")

        await row.click()
        await page.get_by_role("button", name="Claim").click()
        await page.get_by_text(f"Ticket #{number} is yours.").wait_for()
        assert f"picked up your request #{number}" in await read(anna_inbox)
        await page.get_by_label("Your answer reaches the person").fill(
            "Yes: <b>as long as</b> costs are not funded twice."
        )
        await page.get_by_role("button", name="Send").click()
        await page.get_by_text("on its way").wait_for()
        assert "ada (CED adviser): Yes: <b>as long as</b> costs are not funded twice." in await read(anna_inbox)

        # What the person writes back shows up on the open page by itself.
        await anna.send("Thanks, <script>alert(1)</script> that helps")
        await page.get_by_text("<script>alert(1)</script>", exact=False).wait_for(timeout=10_000)
        await shot(page, "ticket-en")

        await page.get_by_role("button", name="Resolve").click()
        await page.get_by_text("is resolved").wait_for()
        assert "How helpful was it?" in await read(anna_inbox)
        await anna.press_action(f"handoff:rate:{number}:4")
        await page.get_by_text("4 of 5").first.wait_for(timeout=10_000)

        # The answer becomes a knowledge entry, and the assistant answers with it.
        await page.get_by_role("button", name="Save as FAQ draft").click()
        await page.get_by_text("saved as a FAQ draft").wait_for()
        await page.get_by_role("link", name="Knowledge").click()
        await shot(page, "knowledge-en")
        await page.get_by_role("link", name="Draft 1").click()
        await page.get_by_label("New entry id").fill("funding-erdf-with-national")
        await page.get_by_label("Category").fill("funding")
        await page.get_by_label("Title (da)").fill("EFRU sammen med national støtte")
        await page.get_by_label("Answer (da)").fill("Ja, så længe de samme udgifter ikke finansieres to gange.")
        await page.get_by_label("More phrasings (en)").fill(PHRASINGS_EN)
        await page.get_by_label("More phrasings (da)").fill(PHRASINGS_DA)
        await shot(page, "draft-en")
        await page.get_by_role("button", name="Publish").click()
        await page.get_by_text("is published in funding-erdf-with-national.yaml").wait_for()
        code, out = await cli(rt, "kb", "ask", "combine ERDF money with a national grant", "--json")
        assert code == 0 and json.loads(out)["answer_id"] == "funding-erdf-with-national", out
        await page.goto(f"{url}/desk/tickets/{number}")

        # Every other page, in English and then in Danish.
        for link, name in (("Bookings", "bookings"), ("Figures", "figures"), ("Labels", "labels")):
            await page.get_by_role("link", name=link, exact=True).click()
            await page.get_by_role("heading", level=1).wait_for()
            await shot(page, f"{name}-en")
        await page.goto(f"{url}/desk/tickets/{number}")

        # The same pages in Danish.
        await page.get_by_role("button", name="Dansk").click()
        await page.get_by_role("heading", name=re.compile(f"Sag nr. {number}")).wait_for()
        await shot(page, "ticket-da")
        await page.get_by_role("link", name="Tilbage til køen").click()
        await page.get_by_role("heading", name="Kø").wait_for()
        await page.select_option("#show", "all")
        await page.get_by_role("button", name="Vis").click()
        await page.get_by_role("link", name=f"Sag nr. {number}").wait_for()
        await shot(page, "queue-da")
        await page.get_by_role("link", name="Mærker").click()
        await page.get_by_role("heading", name="Mærkeregistret").wait_for()
        await shot(page, "labels-da")
        for link, name in (("Bookinger", "bookings"), ("Tal", "figures")):
            await page.get_by_role("link", name=link, exact=True).click()
            await page.get_by_role("heading", level=1).wait_for()
            await shot(page, f"{name}-da")
        await page.get_by_role("link", name="Viden").click()
        await shot(page, "knowledge-da")
        await page.get_by_role("link", name="Udkast 1").click()
        await shot(page, "draft-da")
    assert (await ticket(rt, number)).rating == 4


async def test_the_desk_refuses_what_it_must(make_runtime: Any, clock: Any) -> None:
    need_chromium()
    rt: Runtime = await make_runtime(**settings_for_desk(adviser_channel="console:ada"))
    number = await open_ticket(Chat(rt, "anna"))
    async with served(rt) as url, browser() as chromium:
        context = await chromium.new_context()
        page = await context.new_page()
        link = await console_link(rt)
        await page.goto(link)
        await page.get_by_role("button", name="Sign in").click()
        await page.get_by_role("heading", name="Queue").wait_for()

        # A used link, in another browser.
        stranger = await (await chromium.new_context()).new_page()
        await stranger.goto(link)
        await stranger.get_by_text("has been used already").wait_for()
        await shot(stranger, "link-refused-en")
        await stranger.goto(link.replace("lang=en", "lang=da"))
        await stranger.get_by_text("allerede brugt").wait_for()
        await shot(stranger, "link-refused-da")

        # The audit log, for an administrator, in both languages.
        boss = await (await chromium.new_context()).new_page()
        await boss.goto(await console_link(rt, "console:boss"))
        await boss.get_by_role("button", name="Sign in").click()
        await boss.get_by_role("link", name="Audit log").click()
        await boss.get_by_role("cell", name="sign-in").first.wait_for()
        await shot(boss, "audit-en")
        await boss.get_by_role("button", name="Dansk").click()
        await boss.get_by_role("heading", name="Revisionslog").wait_for()
        await shot(boss, "audit-da")

        # A form whose CSRF token was tampered with changes nothing.
        await page.goto(f"{url}/desk/tickets/{number}")
        await page.locator("form[action$='/claim'] input[name=csrf]").evaluate("el => el.value = 'forged'")
        await page.get_by_role("button", name="Claim").click()
        await page.get_by_text("Nothing was changed").wait_for()
        assert (await ticket(rt, number)).status == "open"

        # A broken register file: every bad line is listed, and the register is as it was.
        before = await register(rt)
        await page.get_by_role("link", name="Labels").click()
        await page.get_by_label("CSV file").set_input_files(
            {"name": "register.csv", "mimeType": "text/csv", "buffer": BROKEN.encode()}
        )
        await page.get_by_role("button", name="Preview").click()
        problems = page.locator("#csv-problems li")
        await problems.first.wait_for()
        lines = [text.split(":")[0] for text in await problems.all_inner_texts()]
        assert lines == ["line 2", "line 4", "line 4", "line 7"]
        await shot(page, "labels-import-problems-en")
        assert await register(rt) == before

        # A tampered cookie, then none at all: back to the sign-in explanation.
        (cookie,) = [c for c in await context.cookies() if c["name"] == "cedbot_desk"]
        await context.add_cookies([{**cookie, "value": cookie["value"][:-2] + "00"}])
        await page.goto(f"{url}/desk/")
        await page.get_by_text("Type /desk to the assistant").wait_for()
        await context.clear_cookies()
        await page.goto(f"{url}/desk/")
        await page.get_by_role("heading", name="Sign in").wait_for()
        await shot(page, "signed-out-en")
        await page.goto(f"{url}/desk/?lang=da")
        await page.get_by_role("heading", name="Log ind").wait_for()
        await shot(page, "signed-out-da")

        # An expired link, and a session idle for too long.
        late = await console_link(rt)
        await context.add_cookies([cookie])
        clock.advance(minutes=31)
        await page.goto(late)
        await page.get_by_text("it has expired").wait_for()
        await page.goto(f"{url}/desk/")
        await page.get_by_text("unused for 30 minutes").wait_for()
    assert (await ticket(rt, number)).status == "open"
