"""A second (or third) process for the concurrency tests: press one button for many people at once.

Usage: python -m tests.booking_worker URL SCHEMA NOW GO_FILE ACTION USER...
Waits until GO_FILE exists (so the processes start together), presses ACTION for every USER
concurrently, and prints each user's reply as JSON.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from datetime import datetime
from pathlib import Path

from bot.markup import to_plain
from bot.runtime import Runtime
from bot.settings import load_settings
from bot.types import Channel, Identity, Incoming
from cedbot import routers


def wait_for(go: str) -> None:
    deadline = time.monotonic() + 60
    while not Path(go).exists() and time.monotonic() < deadline:
        time.sleep(0.01)  # waits on the go file the test writes, within the deadline


async def main(url: str, schema: str, go: str, now: str, action: str, users: list[str]) -> None:
    moment = datetime.fromisoformat(now)
    runtime = Runtime(load_settings(database_url=url), routers(), clock=lambda: moment, schema=schema or None)
    print("ready", flush=True)  # everything imported and built: the test may fire
    await asyncio.to_thread(wait_for, go)
    try:

        async def press(user: str) -> tuple[str, str]:
            replies = await runtime.handle(Incoming(Identity(Channel.CONSOLE, user, user), action=action))
            return user, "\n".join(to_plain(r.text) for r in replies)

        results = await asyncio.gather(*(press(u) for u in users))
        print(json.dumps(dict(results)))
    finally:
        await runtime.close()


if __name__ == "__main__":
    url, schema, now, go, action, *users = sys.argv[1:]
    asyncio.run(main(url, schema, go, now, action, users))
