"""``cedbot desk link IDENTITY``: send an adviser a sign-in link from the command line."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot.cli import add_command, command_group
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


def cmd_link(args: argparse.Namespace, settings: Settings) -> int:
    import asyncio

    from bot.context import Notifier
    from bot.runtime import Runtime
    from bot.types import Lang
    from handlers.desk.signin import may_sign_in, send_link

    if settings.public_url is None:
        print("cedbot: the desk is off: set CEDBOT_PUBLIC_URL to the address of cedbot serve", file=sys.stderr)
        return 2
    if not may_sign_in(settings, args.identity):
        print(f"cedbot: {args.identity} is not in CEDBOT_ADVISERS or CEDBOT_ADMINS; no link was made", file=sys.stderr)
        return 1

    async def _send() -> None:
        runtime = Runtime(settings)
        try:
            await runtime.start(hooks=False)
            async with runtime.sessions() as session, session.begin():
                n = Notifier(runtime=runtime, session=session, now=runtime.clock())
                await send_link(n, args.identity, Lang(args.lang or settings.default_language))
        finally:
            await runtime.close()

    asyncio.run(_send())
    print(f"Sent a sign-in link to {args.identity}; it works once, within 10 minutes.")
    return 0
