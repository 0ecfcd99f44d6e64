"""The queue and ticket pages, and the ticket actions: each action is the adviser's own chat
action run through the runtime, so it takes exactly the path a Slack or Telegram one takes."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.markup import to_plain
from bot.types import Channel, Identity, Incoming
from handlers.desk.queue import Kind, Show, parse, rows, ticket_state
from handlers.desk.security import Viewer
from handlers.desk.texts import PAGE
from handlers.desk.web import Desk, _when
from handlers.handoff.buttons import Claim, Draft, Resolve
from handlers.handoff.common import topic_label
from storage import handoff as db


def _filters(request: Request) -> tuple[Show, Kind]:
    show = parse(Show, request.query_params.get("show"), Show.ACTIVE)
    kind = parse(Kind, request.query_params.get("kind"), Kind.ALL)
    assert isinstance(show, Show) and isinstance(kind, Kind)
    return show, kind


async def _rows(desk: Desk, viewer: Viewer, show: Show, kind: Kind) -> list[object]:
    async with desk.runtime.sessions() as session:
        return list(await rows(session, desk.runtime.clock(), viewer.lang, show, kind, viewer.identity))


async def queue_page(request: Request, desk: Desk, viewer: Viewer, form: FormData | None) -> Response:
    show, kind = _filters(request)
    items = await _rows(desk, viewer, show, kind)
    poll = "/desk/queue/rows?" + urlencode({"show": show.value, "kind": kind.value})
    return desk.render(
        "queue.html",
        viewer.lang,
        viewer,
        rows=items,
        show=show.value,
        kind=kind.value,
        poll=poll,
        shows=list(Show),
        kinds=list(Kind),
    )


async def queue_rows(request: Request, desk: Desk, viewer: Viewer, form: FormData | None) -> Response:
    """The rows alone, for the page's script to swap in: the queue updates without a reload."""
    show, kind = _filters(request)
    return desk.render("queue_rows.html", viewer.lang, viewer, rows=await _rows(desk, viewer, show, kind))


async def _ticket_view(desk: Desk, viewer: Viewer, number: int) -> dict[str, Any] | None:
    async with desk.runtime.sessions() as session:
        ticket = await session.get(db.Ticket, number)
        if ticket is None:
            return None
        messages = list(await db.messages_of(session, number))
    lang = viewer.lang
    return {
        "ticket": ticket,
        "messages": messages,
        "state": ticket_state(ticket, lang),
        "topic": topic_label(ticket.topic, lang),
        "mine": ticket.status == db.TicketStatus.CLAIMED and ticket.adviser == viewer.identity,
        "callback": ticket.kind == db.TicketKind.CALLBACK,
        "when": _when(lang),
    }


async def ticket_page(request: Request, desk: Desk, viewer: Viewer, form: FormData | None) -> Response:
    number = request.path_params["number"]
    view = await _ticket_view(desk, viewer, number)
    if view is None:
        return desk.message(
            viewer.lang,
            PAGE(viewer.lang, "desk"),
            PAGE(viewer.lang, "no_ticket", number=number),
            status=404,
            viewer=viewer,
        )
    return desk.render("ticket.html", viewer.lang, viewer, **view)


async def ticket_messages(request: Request, desk: Desk, viewer: Viewer, form: FormData | None) -> Response:
    view = await _ticket_view(desk, viewer, request.path_params["number"])
    if view is None:
        return Response(status_code=404)
    return desk.render("ticket_messages.html", viewer.lang, viewer, **view)


async def as_adviser(desk: Desk, viewer: Viewer, *, text: str = "", action: str | None = None) -> str:
    """Run a chat message or button press as the signed-in adviser; the answer, as plain text."""
    channel, _, user = viewer.identity.partition(":")
    incoming = Incoming(Identity(Channel(channel), user, user), text=text, action=action)
    replies = await desk.runtime.handle(incoming)
    return "\n".join(to_plain(r.text) for r in replies)


async def _after(
    desk: Desk, viewer: Viewer, number: int, verb: str, answer: str, done: bool, ok_key: str, detail: str | None = None
) -> Response:
    flash = PAGE(viewer.lang, ok_key, number=number) if done else answer
    outcome = "done" if done else f"refused: {answer}"
    text = f"{outcome}\n{detail}" if detail else outcome
    await desk.record(viewer, verb, target=f"ticket:{number}", detail=text[:2000], flash=flash)
    return RedirectResponse(f"/desk/tickets/{number}", status_code=303)


async def _status(desk: Desk, number: int) -> db.Ticket | None:
    async with desk.runtime.sessions() as session:
        return await session.get(db.Ticket, number)


async def claim(request: Request, desk: Desk, viewer: Viewer, form: FormData | None) -> Response:
    number = request.path_params["number"]
    answer = await as_adviser(desk, viewer, action=Claim(number).pack())
    ticket = await _status(desk, number)
    done = ticket is not None and ticket.status == db.TicketStatus.CLAIMED and ticket.adviser == viewer.identity
    return await _after(desk, viewer, number, "claim", answer, done, "claimed_ok")


async def resolve(request: Request, desk: Desk, viewer: Viewer, form: FormData | None) -> Response:
    number = request.path_params["number"]
    before = await _status(desk, number)
    answer = await as_adviser(desk, viewer, action=Resolve(number).pack())
    ticket = await _status(desk, number)
    done = (
        before is not None
        and before.status in db.ACTIVE
        and ticket is not None
        and ticket.status == db.TicketStatus.RESOLVED
    )
    return await _after(desk, viewer, number, "resolve", answer, done, "resolved_ok")


async def reply(request: Request, desk: Desk, viewer: Viewer, form: FormData | None) -> Response:
    assert form is not None
    number = request.path_params["number"]
    text = str(form.get("text") or "").strip()
    if not text:
        await desk.record(
            viewer, "reply", target=f"ticket:{number}", detail="empty", flash=PAGE(viewer.lang, "reply_empty")
        )
        return RedirectResponse(f"/desk/tickets/{number}", status_code=303)
    async with desk.runtime.sessions() as session:
        before = len(await db.messages_of(session, number))
    answer = await as_adviser(desk, viewer, text=f"/reply {number} {text}")
    async with desk.runtime.sessions() as session:
        done = len(await db.messages_of(session, number)) > before
    return await _after(desk, viewer, number, "reply", answer, done, "sent_ok", detail=text)


async def save_draft(request: Request, desk: Desk, viewer: Viewer, form: FormData | None) -> Response:
    """Keep the question and the answers for the curators, as the card's button does."""
    number = request.path_params["number"]
    async with desk.runtime.sessions() as session:
        before = len(await db.drafts(session))
    answer = await as_adviser(desk, viewer, action=Draft(number).pack())
    async with desk.runtime.sessions() as session:
        done = len(await db.drafts(session)) > before
    return await _after(desk, viewer, number, "draft", answer, done, "draft_kept")
