"""The adviser desk over HTTP: sign-in, sessions, CSRF, the queue and the ticket actions."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.outbox import OutboxDelivery
from bot.runtime import Runtime
from bot.types import Address, Channel, Reply
from cedbot import main
from storage import desk as deskdb
from storage import handoff as db
from storage.models import OutboxMessage
from tests.chat import Chat
from tests.desk_support import ask_link, client, csrf_of, desk_for, link_in, settings_for_desk, sign_in
from tests.handlers.handoff.test_handoff import inbox, open_ticket, read, ticket


@pytest.fixture
async def office(make_runtime: Any) -> Runtime:
    rt: Runtime = await make_runtime(**settings_for_desk(adviser_channel="console:ada"))
    return rt


async def audit_actions(rt: Runtime) -> list[tuple[str, str, str | None]]:
    async with rt.sessions() as session:
        rows = (await session.execute(select(deskdb.DeskAudit).order_by(deskdb.DeskAudit.id))).scalars()
        return [(r.identity, r.action, r.target) for r in rows]


async def test_without_a_public_address_the_desk_is_off_and_says_why(make_runtime: Any) -> None:
    rt: Runtime = await make_runtime(advisers="console:ada")
    ada = Chat(rt, "ada")
    await ada.send("/desk")
    assert "CEDBOT_PUBLIC_URL" in ada.text()
    async with client(rt) as http:
        page = await http.get("/desk/")
    assert page.status_code == 503 and "CEDBOT_PUBLIC_URL" in page.text


async def test_an_adviser_signs_in_with_the_link_from_the_chat(office: Runtime) -> None:
    link = await ask_link(office)
    async with client(office) as http:
        assert (await http.get("/desk/")).status_code == 401
        signed = await sign_in(http, link)
        assert signed.status_code == 303
        cookie = signed.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "path=/desk" in cookie
        assert "secure" not in cookie  # the public address is plain http here
        page = await http.get("/desk/")
    assert page.status_code == 200 and "Signed in as console:ada" in page.text
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert page.headers["referrer-policy"] == "no-referrer"
    async with office.sessions() as session:
        stored = (await session.execute(select(deskdb.DeskLink))).scalars().one()
    assert link.split("/signin/")[1].split("?")[0] not in stored.token_hash  # only the hash is kept
    assert ("console:ada", "sign-in", None) in await audit_actions(office)


async def test_the_cookie_is_secure_when_the_public_address_is_https(make_runtime: Any) -> None:
    rt: Runtime = await make_runtime(**settings_for_desk(public_url="https://bot.ced.example"))
    link = await ask_link(rt)
    assert link.startswith("https://bot.ced.example/desk/signin/")
    async with client(rt, "https://bot.ced.example") as http:
        signed = await sign_in(http, link)
    assert "secure" in signed.headers["set-cookie"].lower()


async def test_a_link_works_once_and_for_ten_minutes(office: Runtime, clock: Any) -> None:
    link = await ask_link(office)
    async with client(office) as http:
        page = await http.get(link)
        assert (await sign_in(http, link)).status_code == 303
    async with client(office) as other:
        again = await other.get(link)
        assert again.status_code == 403 and "already" in again.text
        # The page fetched before the first sign-in is no help either.
        nonce = csrf_or_nonce = page.text.split('name="nonce" value="')[1].split('"')[0]
        other.cookies.set("cedbot_desk_signin", nonce, path="/desk")
        refused = await other.post(link, data={"nonce": csrf_or_nonce})
        assert refused.status_code == 403 and "cedbot_desk=" not in refused.headers.get("set-cookie", "")
    late = await ask_link(office)
    clock.advance(minutes=10, seconds=1)
    async with client(office) as http:
        assert (await http.get(late)).status_code == 403
    async with office.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(deskdb.DeskSession)) == 1


async def test_only_advisers_get_a_link_or_a_session(office: Runtime, make_runtime: Any, make_settings: Any) -> None:
    anna = Chat(office, "anna")
    await anna.send("/desk")
    assert "only for CED advisers" in anna.text() and "/desk/signin/" not in anna.text()
    link = await ask_link(office, "bo")
    # bo is taken off the list of advisers before using the link: it no longer lets him in.
    demoted: Runtime = await make_runtime(make_settings(**settings_for_desk(advisers="console:ada")))
    async with client(demoted) as http:
        assert (await http.get(link)).status_code == 403
    assert main(["desk", "link", "console:anna"]) == 2  # no public address in this process
    assert await audit_actions(office) == []


async def test_a_link_asked_for_in_a_shared_channel_goes_to_the_private_chat(office: Runtime) -> None:
    group = Chat(office, "UADA", Channel.SLACK, chat_id="CSHARED")
    await group.send("/desk")
    assert "private message" in group.text() and "/desk/signin/" not in group.text()
    async with office.sessions() as session:
        (row,) = (await session.execute(select(OutboxMessage))).scalars().all()
    assert (row.channel, row.chat_id) == ("slack", "UADA") and "/desk/signin/" in row.payload["text"]


async def test_the_command_line_sends_a_link_to_the_advisers_own_console(
    office: Runtime, monkeypatch: pytest.MonkeyPatch, db_url: tuple[str, str | None], capsys: Any, clock: Any
) -> None:
    if db_url[1] is not None:
        pytest.skip("the command line opens the configured database; the schema is per test")
    for name, value in {
        "CEDBOT_DATABASE_URL": db_url[0],
        "CEDBOT_ADVISERS": "console:ada",
        "CEDBOT_PUBLIC_URL": "http://desk.test",
    }.items():
        monkeypatch.setenv(name, value)
    assert await asyncio.to_thread(main, ["desk", "link", "console:ada"]) == 0
    assert "Sent a sign-in link to console:ada" in capsys.readouterr().out
    assert main(["desk", "link", "console:anna"]) == 1
    clock.now = datetime.now(UTC) + timedelta(seconds=1)  # the command ran on the real clock
    received = await read(inbox(office, "ada"))
    async with client(office) as http:
        assert (await sign_in(http, link_in(received))).status_code == 303


async def test_forms_without_the_sessions_token_change_nothing(office: Runtime) -> None:
    number = await open_ticket(Chat(office, "anna"))
    async with desk_for(office) as (http, csrf):
        for forged in ({}, {"csrf": "x" + csrf[1:]}, {"csrf": ""}):
            refused = await http.post(f"/desk/tickets/{number}/claim", data=forged)
            assert refused.status_code == 403 and "Nothing was changed" in refused.text
        assert (await ticket(office, number)).status == "open"
        refused = ("console:ada", "refused", f"/desk/tickets/{number}/claim")
        assert (await audit_actions(office)).count(refused) == 3
        claimed = await http.post(f"/desk/tickets/{number}/claim", data={"csrf": csrf})
        assert claimed.status_code == 303
    assert (await ticket(office, number)).status == "claimed"


async def test_missing_tampered_expired_and_signed_out_sessions_are_refused(office: Runtime, clock: Any) -> None:
    number = await open_ticket(Chat(office, "anna"))
    async with desk_for(office) as (http, csrf):
        good = http.cookies["cedbot_desk"]
        token, mac = good.rsplit(".", 1)
        for bad in (f"{token}x.{mac}", f"{token}.{'0' * len(mac)}", token, "garbage"):
            http.cookies.set("cedbot_desk", bad, path="/desk")
            assert (await http.get("/desk/")).status_code == 401
            assert (await http.post(f"/desk/tickets/{number}/claim", data={"csrf": csrf})).status_code == 401
        http.cookies.set("cedbot_desk", good, path="/desk")
        assert (await http.get("/desk/")).status_code == 200
        clock.advance(minutes=31)  # idle longer than CEDBOT_DESK_IDLE_MINUTES
        expired = await http.get("/desk/")
        assert expired.status_code == 401 and "unused for 30 minutes" in expired.text
        assert (await http.post(f"/desk/tickets/{number}/claim", data={"csrf": csrf})).status_code == 401
    assert (await ticket(office, number)).status == "open"

    async with desk_for(office) as (http, csrf):
        cookie = http.cookies["cedbot_desk"]
        assert (await http.post("/desk/signout", data={"csrf": csrf})).status_code == 200
        http.cookies.set("cedbot_desk", cookie, path="/desk")  # a copy kept from before
        assert (await http.get("/desk/")).status_code == 401


async def test_claim_reply_resolve_from_the_desk_reach_the_person(office: Runtime) -> None:
    anna = Chat(office, "anna")
    number = await open_ticket(anna)
    await read(inbox(office, "ada"))  # the card
    await anna.send("Our budget is <b>DKK 2 million</b>")
    anna_inbox = inbox(office, "anna")
    async with desk_for(office) as (http, csrf):
        queue = await http.get("/desk/")
        assert f"Ticket #{number}" in queue.text and "Can we combine ERDF" in queue.text
        page = await http.get(f"/desk/tickets/{number}")
        assert "&lt;b&gt;DKK 2 million&lt;/b&gt;" in page.text and "<b>DKK" not in page.text
        assert "Reply to" not in page.text  # claim first

        await http.post(f"/desk/tickets/{number}/claim", data={"csrf": csrf})
        page = await http.get(f"/desk/tickets/{number}")
        assert f"Ticket #{number} is yours." in page.text and "Reply to anna" in page.text
        assert f"ada from CED has picked up your request #{number}" in await read(anna_inbox)

        reply = "Yes, as long as the costs are not funded twice.\nSee the State aid rules."
        await http.post(f"/desk/tickets/{number}/reply", data={"csrf": csrf, "text": reply})
        received = await read(anna_inbox)
        assert "ada (CED adviser): Yes, as long as the costs are not funded twice." in received
        assert "See the State aid rules." in received
        page = await http.get(f"/desk/tickets/{number}")
        assert "on its way" in page.text and "See the State aid rules." in page.text

        await http.post(f"/desk/tickets/{number}/resolve", data={"csrf": csrf})
        assert "How helpful was it?" in await read(anna_inbox)
        await anna.press_action(f"handoff:rate:{number}:5")
        messages = await http.get(f"/desk/tickets/{number}/messages")
        assert "5 of 5" in messages.text
    assert (await ticket(office, number)).status == "resolved"
    target = f"ticket:{number}"
    assert [a for a in await audit_actions(office) if a[2] == target] == [
        ("console:ada", "claim", target),
        ("console:ada", "reply", target),
        ("console:ada", "resolve", target),
    ]


async def test_another_advisers_ticket_is_refused_with_the_reason(office: Runtime) -> None:
    number = await open_ticket(Chat(office, "anna"))
    async with desk_for(office, "ada") as (ada, ada_csrf), desk_for(office, "bo") as (bo, bo_csrf):
        await ada.post(f"/desk/tickets/{number}/claim", data={"csrf": ada_csrf})
        await bo.post(f"/desk/tickets/{number}/claim", data={"csrf": bo_csrf})
        page = await bo.get(f"/desk/tickets/{number}")
        assert "already claimed" in page.text or "has it" in page.text, page.text
        await bo.post(f"/desk/tickets/{number}/reply", data={"csrf": bo_csrf, "text": "me too"})
    async with office.sessions() as session:
        assert [m.text for m in await db.messages_of(session, number)] == []
    assert (await ticket(office, number)).adviser == "console:ada"


async def test_the_slack_card_follows_a_claim_on_the_desk(make_runtime: Any) -> None:
    rt: Runtime = await make_runtime(**settings_for_desk(adviser_channel="slack:CADV"))
    number = await open_ticket(Chat(rt, "anna"))

    async def slack_send(address: Address, reply: Reply) -> str | None:
        return "1700000000.000100"

    await OutboxDelivery(rt, Channel.SLACK, slack_send).run_once()
    async with desk_for(rt) as (http, csrf):
        await http.post(f"/desk/tickets/{number}/claim", data={"csrf": csrf})
    async with rt.sessions() as session:
        rows = (await session.execute(select(OutboxMessage).where(OutboxMessage.channel == "slack"))).scalars()
        edits = [r for r in rows if r.payload["edit"]]
    assert [e.thread_id for e in edits] == ["1700000000.000100"]
    assert "claimed by ada" in edits[0].payload["text"]


async def test_the_queue_filters_and_puts_newest_activity_first(office: Runtime, clock: Any) -> None:
    first = await open_ticket(Chat(office, "anna"))
    clock.advance(minutes=5)
    second = await open_ticket(Chat(office, "bent"), "Which KPIs do funders expect from us?")
    async with desk_for(office) as (http, csrf):
        rows = (await http.get("/desk/queue/rows")).text
        assert rows.index(f"Ticket #{second}") < rows.index(f"Ticket #{first}")
        clock.advance(minutes=5)
        await http.post(f"/desk/tickets/{first}/claim", data={"csrf": csrf})
        rows = (await http.get("/desk/queue/rows")).text
        assert rows.index(f"Ticket #{first}") < rows.index(f"Ticket #{second}")
        mine = (await http.get("/desk/queue/rows?show=mine")).text
        assert f"Ticket #{first}" in mine and f"Ticket #{second}" not in mine
        opened = (await http.get("/desk/?show=open&kind=tickets")).text
        assert f"Ticket #{second}" in opened and f"Ticket #{first}<" not in opened


async def test_the_audit_log_is_for_admins(office: Runtime) -> None:
    number = await open_ticket(Chat(office, "anna"))
    async with desk_for(office) as (http, csrf):
        await http.post(f"/desk/tickets/{number}/claim", data={"csrf": csrf})
        assert (await http.get("/desk/audit")).status_code == 403
    async with desk_for(office, "boss") as (boss, _):
        log = await boss.get("/desk/audit")
    assert log.status_code == 200 and "console:ada" in log.text and f"ticket:{number}" in log.text


async def test_the_pages_speak_danish(office: Runtime) -> None:
    await open_ticket(Chat(office, "anna"))
    async with desk_for(office) as (http, csrf):
        switched = await http.post("/desk/lang", data={"csrf": csrf, "lang": "da", "back": "/desk/"})
        assert switched.status_code == 303
        page = await http.get("/desk/")
    assert '<html lang="da">' in page.text and "Sag nr. 1" in page.text and "Log ud" in page.text
    assert csrf_of(page.text) == csrf


async def test_the_pages_own_refreshes_do_not_keep_a_session_alive(office: Runtime, clock: Any) -> None:
    async with desk_for(office) as (http, _):
        clock.advance(minutes=20)
        assert (await http.get("/desk/queue/rows")).status_code == 200
        clock.advance(minutes=11)  # 31 minutes since the adviser last did anything
        assert (await http.get("/desk/queue/rows")).status_code == 401
        assert (await http.get("/desk/")).status_code == 401


async def test_spent_links_and_old_sessions_are_purged_and_the_audit_stays(office: Runtime, clock: Any) -> None:
    async with desk_for(office):
        pass
    await ask_link(office)  # never used
    clock.advance(days=2)
    assert "desk-purge" in await office.run_due_jobs()
    async with office.sessions() as session:
        assert (await session.execute(select(deskdb.DeskLink))).scalars().all() == []
        assert (await session.execute(select(deskdb.DeskSession))).scalars().all() == []
    assert ("console:ada", "sign-in", None) in await audit_actions(office)


async def test_call_backs_are_in_the_queue_and_claimed_like_tickets(office: Runtime) -> None:
    from tests.handlers.advice.test_advice_callbacks import ask_for_a_call_back

    await ask_for_a_call_back(office, "en")
    number = await open_ticket(Chat(office, "bent"), "Which KPIs do funders expect from us?")
    async with desk_for(office) as (http, csrf):
        callbacks = (await http.get("/desk/queue/rows?kind=callbacks")).text
        assert "Call-back #1" in callbacks and f"Ticket #{number}" not in callbacks
        chats = (await http.get("/desk/queue/rows?kind=tickets")).text
        assert f"Ticket #{number}" in chats and "Call-back #1" not in chats
        await http.post("/desk/tickets/1/claim", data={"csrf": csrf})
        page = await http.get("/desk/tickets/1")
    assert "Call-back #1: claimed by ada" in page.text and "hydrogen" in page.text
    assert "nothing is relayed" in page.text and "Reply to" not in page.text
