"""``cedbot slots import|list``: advisers' availability from the command line."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from bot.cli import add_command as _add
from bot.cli import command_group, open_database
from bot.markup import to_plain
from bot.settings import Settings
from bot.types import Lang
from fileimport import FileProblem, read_text, report
from handlers.advice import importing
from handlers.advice.listing import slot_text
from storage import bookings_repo as repo


def add_cli(sub: Any) -> None:
    actions = command_group(sub, "slots", "Advisers' meeting slots: import, list.")
    imp = _add(
        actions,
        "import",
        "Add slots from a YAML file (see the README): everything is checked first, then all of "
        "it is added, or nothing. Slots already there are skipped.",
        cmd_import,
    )
    imp.add_argument("file", metavar="FILE.yaml")
    imp.add_argument("--dry-run", action="store_true", help="check the file and report, change nothing")
    _add(actions, "list", "List the upcoming slots and who booked them.", cmd_list)


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    path = Path(args.file)
    try:
        text = read_text(path)
    except FileProblem as exc:
        return report(path, exc)

    async def _go() -> importing.Outcome:
        async with open_database(settings) as rt, rt.sessions() as session:
            now = rt.clock()
            outcome = await importing.write(session, importing.read(text, now, str(path)), now)
            await (session.rollback() if args.dry_run else session.commit())
            return outcome

    try:
        outcome = asyncio.run(_go())
    except FileProblem as exc:
        return report(path, exc)
    verb = "would be" if args.dry_run else "were"
    print(
        f"{path}: {len(outcome.added)} slots {verb} added"
        + (f", {outcome.skipped} already there" if outcome.skipped else "")
        + (" (dry run: nothing was changed)" if args.dry_run else "")
    )
    return 0


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    async def _go() -> list[str]:
        async with open_database(settings) as rt, rt.sessions() as session:
            lines = []
            for slot, meeting in await repo.upcoming_slots(session, rt.clock()):
                who = f"booked: {meeting.name}, {meeting.organisation} <{meeting.email}>" if meeting else "free"
                lines.append(f"#{slot.id}  {to_plain(slot_text(slot, Lang.EN))}  {who}")
            return lines

    lines = asyncio.run(_go())
    print("\n".join(lines) if lines else "No upcoming slots: add some with 'cedbot slots import FILE.yaml'.")
    return 0
