"""``cedbot courses import|list|participants``: the catalogue from the command line."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any, TextIO

from bot import formatting
from bot.cli import add_command as _add
from bot.cli import command_group, open_database
from bot.context import Notifier
from bot.settings import Settings
from bot.types import Lang
from fileimport import FileProblem, read_text, report, write_csv
from handlers.bookings import timefmt
from handlers.courses import importing
from storage import bookings_repo as repo
from storage.bookings import SeatStatus


def add_cli(sub: Any) -> None:
    actions = command_group(sub, "courses", "The course catalogue: import, list, participants.")
    imp = _add(
        actions,
        "import",
        "Import courses from a YAML file (see the README): everything is checked first, "
        "then all of it is imported, or nothing.",
        cmd_import,
    )
    imp.add_argument("file", metavar="FILE.yaml")
    imp.add_argument("--dry-run", action="store_true", help="check the file and report, change nothing")
    _add(actions, "list", "List the courses with seats taken and the waiting list.", cmd_list)
    part = _add(actions, "participants", "The participants and waiting list of a course.", cmd_participants)
    part.add_argument("course", metavar="COURSE", help="the course code (or id)")
    part.add_argument("--csv", action="store_true", help="CSV on standard output, for a spreadsheet")


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    path = Path(args.file)
    try:
        text = read_text(path)
    except FileProblem as exc:
        return report(path, exc)

    async def _go() -> importing.Outcome:
        async with open_database(settings) as rt, rt.sessions() as session:
            n = Notifier(runtime=rt, session=session, now=rt.clock())
            outcome = await importing.write(n, importing.read(text, n.now, str(path)))
            await (session.rollback() if args.dry_run else session.commit())
            return outcome

    try:
        outcome = asyncio.run(_go())
    except FileProblem as exc:
        return report(path, exc)
    verb = "would be" if args.dry_run else "were"
    print(
        f"{path}: {len(outcome.created)} new and {len(outcome.updated)} updated courses {verb} imported"
        + (f"; {outcome.promoted} people {verb} moved from a waiting list to a seat" if outcome.promoted else "")
        + (" (dry run: nothing was changed)" if args.dry_run else "")
    )
    return 0


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    async def _go() -> list[list[str]]:
        async with open_database(settings) as rt, rt.sessions() as session:
            rows = []
            for c in await repo.all_courses(session):
                seats, waiting = await repo.counts(session, c.id)
                rows.append(
                    [
                        c.code,
                        timefmt.when(c.starts_at, Lang.EN),
                        f"{seats}/{c.capacity}",
                        str(waiting),
                        timefmt.when(c.registration_deadline, Lang.EN),
                        c.title_en,
                    ]
                )
            return rows

    rows = asyncio.run(_go())
    if not rows:
        print("No courses yet: import some with 'cedbot courses import FILE.yaml'.")
        return 0
    _table(["CODE", "STARTS", "SEATS", "WAITING", "REGISTER BY", "TITLE"], rows)
    return 0


def cmd_participants(args: argparse.Namespace, settings: Settings) -> int:
    async def _go() -> list[list[str]] | None:
        async with open_database(settings) as rt, rt.sessions() as session:
            course = await repo.course_by_code_or_id(session, args.course)
            if course is None:
                return None
            return await participant_rows(session, course.id)

    rows = asyncio.run(_go())
    if rows is None:
        print(f"cedbot: no course {args.course!r}; see 'cedbot courses list'", file=sys.stderr)
        return 1
    if args.csv:
        write_participants_csv(sys.stdout, rows)
    elif rows:
        _table(PARTICIPANT_COLUMNS, rows)
    else:
        print("Nobody has booked this course yet.")
    return 0


PARTICIPANT_COLUMNS = ["STATUS", "NAME", "ORGANISATION", "EMAIL", "BOOKED"]


async def participant_rows(session: Any, course_id: int) -> list[list[str]]:
    """Who has a seat and who is waiting, in order; for the list, the CSV and the desk."""
    rows, waiting = [], 0
    for b in await repo.participants(session, course_id):
        seat = b.status == SeatStatus.SEAT
        waiting += 0 if seat else 1
        place = "seat" if seat else f"waiting {waiting}"
        booked = formatting.iso_local(b.created_at)
        rows.append([place, b.name, b.organisation, b.email, booked])
    return rows


def write_participants_csv(out: TextIO, rows: list[list[str]]) -> None:
    """Names and organisations are typed by anyone: no cell may run as a formula in a spreadsheet."""
    write_csv(out, [[h.lower() for h in PARTICIPANT_COLUMNS], *rows])


def _table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
