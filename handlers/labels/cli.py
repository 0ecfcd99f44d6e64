"""``cedbot labels import`` and ``cedbot labels list``."""

from __future__ import annotations

import argparse
import re
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli import in_transaction
from bot.settings import Settings
from fileimport import FileProblem, report
from handlers.labels import register
from handlers.labels.common import status, today
from storage import labels as store
from storage.labels import Level
from storage.models import utcnow

T = TypeVar("T")


def add_cli(sub: Any) -> None:
    labels = sub.add_parser("labels", help="The cluster label register.", description="The cluster label register.")
    labels.set_defaults(func=lambda a, s: _usage(labels))
    actions = labels.add_subparsers(dest="labels_command", metavar="ACTION")
    imp = actions.add_parser(
        "import",
        help="Import the register from a CSV file (all rows or none).",
        description="Import the register from a CSV file with the columns "
        f"{', '.join(register.COLUMNS)}. Every row is checked first; nothing is imported "
        "unless all rows are valid. Clusters missing from the file are kept.",
    )
    imp.add_argument("file", type=Path, metavar="FILE.csv")
    imp.add_argument("--dry-run", action="store_true", help="check and show the changes, write nothing")
    imp.set_defaults(func=cmd_import)
    lst = actions.add_parser("list", help="List the clusters and their labels.", description="List the register.")
    lst.add_argument("--level", choices=[lvl.value for lvl in Level] + ["expired"], help="only this label")
    lst.add_argument(
        "--expiring",
        type=_period,
        metavar="90d",
        help="only valid labels expiring within this period (e.g. 90d, 12w)",
    )
    lst.set_defaults(func=cmd_list)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _period(value: str) -> int:
    m = re.fullmatch(r"\s*(\d+)\s*([dw]?)\s*", value.lower())
    if not m:
        raise argparse.ArgumentTypeError(f"{value!r} is not a period such as 90d or 12w")
    return int(m.group(1)) * (7 if m.group(2) == "w" else 1)


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    async def _work(session: AsyncSession) -> register.Changes:
        return await register.import_file(session, args.file, utcnow(), dry_run=args.dry_run)

    try:
        changes = in_transaction(settings, _work)
    except FileProblem as exc:
        return report(args.file, exc)
    print("\n".join(register.describe(changes, dry_run=args.dry_run)))
    return 0


def _iso(day: date | None) -> str:
    # A date's own __format__ reads a width such as "<10" as a strftime pattern: format the text.
    return day.isoformat() if day else ""


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    clusters = in_transaction(settings, store.all_clusters)
    on = today(utcnow())
    shown = []
    for c in clusters:
        left = c.days_left(on)
        if args.level and status(c, on) != args.level:
            continue
        if args.expiring is not None and (left is None or not 0 <= left <= args.expiring):
            continue
        shown.append((c, left))
    if not clusters:
        print("The register is empty: import it with 'cedbot labels import FILE.csv'.")
        return 0
    width = max([len(c.name) for c, _ in shown] + [4])
    print(f"{'NAME':<{width}}  {'LABEL':<8}  {'AWARDED':<10}  {'VALID UNTIL':<11}  {'DAYS LEFT':>9}  REGION")
    for c, left in shown:
        print(
            f"{c.name:<{width}}  {status(c, on):<8}  {_iso(c.awarded_on):<10}  {_iso(c.valid_until):<11}  "
            f"{'' if left is None else left:>9}  {c.region}"
        )
    print(f"{len(shown)} of {len(clusters)} clusters")
    return 0
