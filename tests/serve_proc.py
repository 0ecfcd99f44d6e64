"""``cedbot serve`` as a process the test can kill, and people who keep sending until accepted.

What the platforms do is played here: Telegram resends a webhook update until it gets a 200
(and keeps unconfirmed updates for polling), Slack resends an event until it gets a 200.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from storage.db import create_engine, upgrade
from tests.fakes.slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack, dm_event, event_body, signed_headers
from tests.fakes.telegram import TOKEN, FakeTelegram

SECRET = "path-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_env(db_url: str, tg: FakeTelegram, slack: FakeSlack, port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CEDBOT_") and "PROXY" not in k.upper()}
    env.update(
        CEDBOT_DATABASE_URL=db_url,
        CEDBOT_TELEGRAM_TOKEN=TOKEN,
        CEDBOT_TELEGRAM_API_URL=tg.url,
        CEDBOT_SLACK_BOT_TOKEN=BOT_TOKEN,
        CEDBOT_SLACK_SIGNING_SECRET=SIGNING_SECRET,
        CEDBOT_SLACK_API_URL=slack.api_url,
        CEDBOT_HOST="127.0.0.1",
        CEDBOT_PORT=str(port),
        CEDBOT_LEASE_SECONDS="1",
        CEDBOT_OUTBOX_POLL_SECONDS="0.2",
        CEDBOT_RATE_LIMIT_MESSAGES="100000",
        CEDBOT_SAMPLE_DATA="true",  # the label register answers /label with the name asked for
    )
    env.update(extra)
    return env


def webhook_env(**extra: str) -> dict[str, str]:
    return {
        "CEDBOT_TELEGRAM_WEBHOOK_URL": "https://bot.ced.example/telegram/webhook",
        "CEDBOT_TELEGRAM_WEBHOOK_SECRET": SECRET,
        **extra,
    }


@dataclass
class Serve:
    """One ``cedbot serve`` process; ``kill`` is ``kill -9``."""

    env: dict[str, str]
    proc: asyncio.subprocess.Process | None = None
    log: list[str] = field(default_factory=list)
    _drain: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "cedbot", "serve", env=self.env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL
        )
        assert self.proc.stderr is not None
        while True:
            line = (await asyncio.wait_for(self.proc.stderr.readline(), 60)).decode()
            if not line:
                raise AssertionError("cedbot serve exited before it was ready:\n" + "".join(self.log))
            self.log.append(line)
            if re.search(r"on http://\S+", line):
                break
        self._drain = asyncio.create_task(self._read(self.proc.stderr))

    async def _read(self, stream: asyncio.StreamReader) -> None:
        while line := await stream.readline():
            self.log.append(line.decode())

    async def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()
        if self._drain is not None:
            await self._drain

    async def stop(self) -> None:
        if self.proc is None or self.proc.returncode is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(self.proc.wait(), 60)
        if self._drain is not None:
            await self._drain


class People:
    """Telegram and Slack users who each send their messages one after the other."""

    def __init__(self, tg: FakeTelegram, ports: list[int]) -> None:
        self.tg, self.ports = tg, ports
        self.http = httpx.AsyncClient(trust_env=False, timeout=10)
        self.refused = 0
        """Requests answered with something else than 200 (503 while the database is away)."""

    async def close(self) -> None:
        await self.http.aclose()

    async def _post_until_accepted(self, n: int, path: str, body: bytes, headers: dict[str, str] | None) -> None:
        while True:
            port = self.ports[n % len(self.ports)]
            try:
                response = await self.http.post(
                    f"http://127.0.0.1:{port}{path}", content=body, headers=headers or signed_headers(body)
                )
                if response.status_code == 200:
                    return
                self.refused += 1
            except httpx.HTTPError:
                pass  # the process is down: the platform tries again
            n += 1
            await asyncio.sleep(0.05)

    async def telegram_webhook(self, person: int, texts: list[str]) -> None:
        for text_ in texts:
            update = self.tg.message_update(text_, user_id=person)
            headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
            await self._post_until_accepted(person, "/telegram/webhook", json.dumps(update).encode(), headers)

    def telegram_polling(self, person: int, texts: list[str]) -> None:
        for text_ in texts:
            self.tg.push_update(self.tg.message_update(text_, user_id=person))

    async def slack(self, person: int, texts: list[str]) -> None:
        for text_ in texts:
            body = event_body(dm_event(text_, user=f"U{person}", channel=f"D{person}"))
            await self._post_until_accepted(person, "/slack/events", body, None)


def tokens_sent(tg: FakeTelegram, slack: FakeSlack) -> dict[str, list[str]]:
    """Per chat, the ``zq`` tokens found in what the platforms received, in order."""
    out: dict[str, list[str]] = {}
    for call in tg.called("sendMessage"):
        out.setdefault(f"tg:{call.params['chat_id']}", []).extend(re.findall(r"zq\d+x", str(call.params["text"])))
    for call in slack.posts():
        blocks = " ".join(str(b) for b in call.params.get("blocks", []))
        out.setdefault(f"sl:{call.params['channel']}", []).extend(re.findall(r"zq\d+x", blocks))
    return out


async def wait_until(check: Any, within: float, what: str) -> None:
    """Wait for a condition the fakes change (checked whenever a call arrives, and every 0.1 s)."""
    try:
        async with asyncio.timeout(within):
            while not check():  # noqa: ASYNC110 - several fakes, no single event to wait on
                await asyncio.sleep(0.1)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what}") from None


async def db_facts(url: str) -> dict[str, Any]:
    """What the database says after the run: logged messages, inbox states, possible duplicates."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            logged = [
                r[0] for r in await conn.execute(text("SELECT text FROM message_log WHERE direction='in' ORDER BY id"))
            ]
            inbox = dict(list(await conn.execute(text("SELECT status, count(*) FROM inbox GROUP BY status"))))
            dupes = await conn.scalar(text("SELECT coalesce(sum(expired_claims), 0) FROM outbox"))
            unsent = await conn.scalar(text("SELECT count(*) FROM outbox WHERE status <> 'sent'"))
    finally:
        await engine.dispose()
    return {"logged": logged, "inbox": inbox, "possible_duplicates": int(dupes or 0), "unsent": int(unsent or 0)}


@asynccontextmanager
async def fresh_database(base_url: str) -> AsyncIterator[str]:
    """A database of its own on a PostgreSQL server, migrated, dropped afterwards."""
    import asyncpg

    name = f"t_path_{secrets.token_hex(5)}"
    admin = base_url.replace("postgresql+asyncpg", "postgresql")
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    try:
        url = base_url.rsplit("/", 1)[0] + f"/{name}"
        engine = create_engine(url)
        await upgrade(engine)
        await engine.dispose()
        yield url
    finally:
        conn = await asyncpg.connect(admin)  # the server may have been restarted meanwhile
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()


class PrivatePostgres:
    """A PostgreSQL server of the test's own (``initdb``/``pg_ctl``) that it may stop and start."""

    def __init__(self) -> None:
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        self.bin = bins[-1].parent if bins else None
        # Not under pytest's folders: those are private to the test's user, and the server
        # runs as ``postgres`` when the tests run as root.
        self.folder = Path(tempfile.mkdtemp(prefix="cedbot-pg-"))
        self.folder.chmod(0o755)
        self.port = free_port()
        self.data = self.folder / "data"

    @property
    def available(self) -> bool:
        return self.bin is not None and (os.geteuid() != 0 or shutil.which("runuser") is not None)

    def _run(self, *args: str) -> None:
        assert self.bin is not None
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def init(self) -> str:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-N")
        self.start()
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(Exception):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
