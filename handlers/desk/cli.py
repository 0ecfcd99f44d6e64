"""``cedbot desk link IDENTITY``: send an adviser a sign-in link from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.cli import add_command, command_group, in_transaction
from bot.settings import Settings


def add_cli(sub: Any) -> None:
    desk = command_group(sub, "desk", "The adviser desk in the browser.")
    link = add_command(
        desk,
        "link",
        "Send a one-time sign-in link (10 minutes) to an adviser's own chat.",
        cmd_link,
    )
    link.add_argument("identity", help="the adviser, as in CEDBOT_ADVISERS: slack:U123, telegram:42, console:ada")
    link.add_argument("--lang", choices=["da", "en"], help="the language of the message and the pages")
    report = add_command(
        sub,
        "report",
        "Write the monthly report for CED's funders: report-YYYY-MM.csv and report-YYYY-MM.png.",
        cmd_report,
    )
    report.add_argument("--month", required=True, metavar="YYYY-MM", help="the month, e.g. 2026-11")
    report.add_argument("--out", type=Path, default=Path("."), metavar="DIR", help="where to write (default: here)")
    report.add_argument("--lang", choices=["da", "en"], help="the language of the chart texts")


def cmd_link(args: argparse.Namespace, settings: Settings) -> int:
    import asyncio

    from bot.cli import open_database
    from bot.context import Notifier
    from bot.types import Lang
    from handlers.desk.signin import may_sign_in, send_link

    if settings.public_url is None:
        print("cedbot: the desk is off: set CEDBOT_PUBLIC_URL to the address of cedbot serve", file=sys.stderr)
        return 2
    if not may_sign_in(settings, args.identity):
        print(f"cedbot: {args.identity} is not in CEDBOT_ADVISERS or CEDBOT_ADMINS; no link was made", file=sys.stderr)
        return 1

    async def _send() -> None:
        async with open_database(settings) as runtime, runtime.sessions() as session, session.begin():
            n = Notifier(runtime=runtime, session=session, now=runtime.clock())
            await send_link(n, args.identity, Lang(args.lang or settings.default_language))

    asyncio.run(_send())
    print(f"Sent a sign-in link to {args.identity}; it works once, within 10 minutes.")
    return 0


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    from bot.types import Lang
    from handlers.desk import report
    from handlers.desk.figures import Month, MonthError, month_figures

    try:
        month = Month.parse(args.month)
    except MonthError as exc:
        print(f"cedbot: --month: {exc}", file=sys.stderr)
        return 2
    figures = in_transaction(settings, lambda session: month_figures(session, month))
    lang = Lang(args.lang or settings.default_language)
    args.out.mkdir(parents=True, exist_ok=True)
    csv_path = args.out / f"report-{month.label}.csv"
    png_path = args.out / f"report-{month.label}.png"
    csv_path.write_text(report.to_csv(figures), encoding="utf-8")
    png_path.write_bytes(report.report_png(figures, lang))
    print("\n".join(report.summary(figures, lang)))
    print(f"Wrote {csv_path} and {png_path}.")
    return 0
