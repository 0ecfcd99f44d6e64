"""``cedbot queue list|show N`` and ``cedbot kb drafts`` for advisers and curators."""

from __future__ import annotations

import argparse
from typing import Any

from bot import formatting
from bot.cli import add_command, command_group, in_transaction
from bot.markup import to_plain
from bot.settings import Settings
from handlers.handoff.common import card, one_line
from storage import handoff as db


def add_cli(sub: Any) -> None:
    queue = command_group(sub, "queue", "The adviser queue of hand-off tickets.")
    add_command(queue, "list", "List open and claimed tickets, oldest first.", cmd_list).add_argument(
        "--all", action="store_true", help="include resolved and cancelled tickets"
    )
    add_command(queue, "show", "Show one ticket with its transcript and relayed messages.", cmd_show).add_argument(
        "number", type=int
    )
    kb = command_group(sub, "kb", "The knowledge base.")
    drafts = add_command(
        kb, "drafts", "List FAQ drafts saved from resolved tickets (not served until reviewed).", cmd_drafts
    )
    drafts.add_argument("show", nargs="?", choices=["show"], help="show one draft in full: drafts show N")
    drafts.add_argument("number", nargs="?", type=int)


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    async def _list(session: Any) -> list[db.Ticket]:
        statuses = [s.value for s in db.TicketStatus] if args.all else db.ACTIVE
        return list(await db.queue(session, statuses))

    tickets = in_transaction(settings, _list)
    if not tickets:
        print("The queue is empty.")
    for t in tickets:
        adviser = f" by {t.adviser_name}" if t.adviser_name else ""
        print(
            f"#{t.id:<5} {t.status}{adviser:<20} {formatting.iso_local(t.created_at)}  "
            f"{t.channel:<8} {t.topic or '-':<13} {one_line(t.summary, 60)}"
        )
    return 0


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    async def _show(session: Any) -> str | None:
        ticket = await session.get(db.Ticket, args.number)
        if ticket is None:
            return None
        lines = [to_plain(card(ticket, settings.default_language).text)]
        for m in await db.messages_of(session, ticket.id):
            lines.append(f"[{formatting.iso_local(m.at)}] {m.sender}: {m.text}")
        if ticket.rating:
            lines.append(f"Rating: {ticket.rating}/5")
        return "\n".join(lines)

    text = in_transaction(settings, _show)
    if text is None:
        print(f"cedbot: there is no ticket #{args.number}")
        return 1
    print(text)
    return 0


def cmd_drafts(args: argparse.Namespace, settings: Settings) -> int:
    drafts = in_transaction(settings, db.drafts)
    if args.show:
        if args.number is None:
            print("cedbot: say which draft: cedbot kb drafts show N")
            return 2
        drafts = [d for d in drafts if d.id == args.number]
        if not drafts:
            print(f"cedbot: there is no FAQ draft {args.number}")
            return 1
    elif not drafts:
        print("No FAQ drafts.")
    for d in drafts:
        day = formatting.iso_local(d.created_at)[:10]
        print(f"Draft {d.id} (ticket #{d.ticket_id}, {d.lang}, {day}, by {d.created_by})")
        print(f"  Q: {d.question}")
        for line in d.answer.splitlines():
            print(f"  A: {line}")
        if args.show:
            print(f"  Publish: cedbot kb publish {d.id} --as NEW-ID | --into EXISTING-ID (see --help)")
        print()
    return 0
