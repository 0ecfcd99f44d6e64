"""The message path under load: ``cedbot serve`` behind its Telegram webhook, against a fake Bot API.

    python -m bench.pipeline [--senders 1,8,32] [--db sqlite,postgres] [--seconds 8] [--workers 1]
                             [--bare] [--profile DIR]

Simulated people ask the questions of the knowledge base's dev set. Each sender is one closed
loop: it posts an update to the webhook and waits until the fake Bot API receives the
``sendMessage`` for that person's chat, then sends the next. Printed per run: messages per
second, p50/p99 from the webhook request to the fake's ``sendMessage``, server CPU
milliseconds per message (from /proc, every server process summed) and SQL statements per
message (counted inside the server). ``--bare`` also runs a bare python-telegram-bot
application that answers with the knowledge engine directly: the ceiling for this design.

Telegram's own 30-per-second rate limiter is off (``--rate-limiter`` turns it on): with it,
every bot, bare or not, is held to about 31 messages/s. PostgreSQL runs use a database of
their own on ``CEDBOT_BENCH_POSTGRES_URL`` (default: the test server) and drop it afterwards.
The figures of a shared machine are noisy: compare runs made one after the other.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import yaml

from tests.fakes.telegram import TOKEN, FakeTelegram

SECRET = "bench-secret"
DEV_SET = Path(__file__).resolve().parent.parent / "knowledge" / "eval" / "dev.yaml"
PG_DEFAULT = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"


class TimedTelegram(FakeTelegram):
    """The fake Bot API, waking the sender of a chat when its answer arrives."""

    def __init__(self) -> None:
        super().__init__()
        self.waiting: dict[str, asyncio.Future[float]] = {}

    async def _m_sendMessage(self, params: dict[str, Any]) -> Any:
        waiter = self.waiting.pop(str(params["chat_id"]), None)
        if waiter is not None and not waiter.done():
            waiter.set_result(time.perf_counter())
        return self._message(params, text="")

    async def record(self, call: Any) -> None:  # thousands of calls: keep none
        pass


@dataclass
class Server:
    proc: asyncio.subprocess.Process
    url: str
    stats: Path
    drain: asyncio.Task[None]

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    async def sql_count(self) -> int:
        self.stats.unlink(missing_ok=True)
        self.proc.send_signal(signal.SIGUSR1)
        for _ in range(200):
            if self.stats.exists() and self.stats.stat().st_size:
                return int(json.loads(self.stats.read_text())["sql"])
            await asyncio.sleep(0.01)
        raise RuntimeError("the server did not report its statement count")


@dataclass
class Run:
    label: str
    latencies: list[float] = field(default_factory=list)
    lost: int = 0


# The server side: a child process that counts statements and can profile itself --------------


def child(mode: str, stats: str, profile: str | None, rate_limiter: bool) -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    count = [0]

    @event.listens_for(Engine, "before_cursor_execute")
    def _count(*_: Any) -> None:
        count[0] += 1

    def _report(*_: Any) -> None:
        Path(stats).write_text(json.dumps({"sql": count[0]}))

    signal.signal(signal.SIGUSR1, _report)
    if not rate_limiter:
        import functools

        import telegram.ext

        telegram.ext.AIORateLimiter = functools.partial(  # type: ignore[misc]
            telegram.ext.AIORateLimiter, overall_max_rate=0, group_max_rate=0
        )
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    try:
        if mode == "bare":
            asyncio.run(bare_app())
        else:
            from cedbot import main

            main(["serve"])
    finally:
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(profile)


async def bare_app() -> None:
    """python-telegram-bot and the knowledge engine, nothing else: the ceiling."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route
    from telegram import Update
    from telegram.constants import ParseMode
    from telegram.ext import Application, ContextTypes, MessageHandler, filters

    from bot.channels.telegram_convert import render
    from bot.types import Reply
    from knowledge.base import load_base

    base = load_base()
    api = os.environ["CEDBOT_TELEGRAM_API_URL"]
    app = Application.builder().token(TOKEN).base_url(f"{api}/bot").updater(None).build()

    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        match = base.ask(update.message.text)
        entry = base.get(match.candidates[0].id) if match.candidates else None
        text = f"**{entry.title['en']}**\n\n{entry.answer['en']}" if entry else "I don't know."
        await update.message.reply_text(render(Reply(text))[0].text, parse_mode=ParseMode.HTML)

    app.add_handler(MessageHandler(filters.TEXT, answer))

    async def webhook(request: Request) -> Response:
        await app.update_queue.put(Update.de_json(await request.json(), app.bot))
        return Response()

    config = uvicorn.Config(
        Starlette(routes=[Route("/telegram/webhook", webhook, methods=["POST"])]),
        host="127.0.0.1",
        port=0,
        log_level="warning",
        access_log=False,
    )
    server = uvicorn.Server(config)
    async with app:
        await app.start()
        task = asyncio.create_task(server.serve())
        while not server.started:  # noqa: ASYNC110 - uvicorn offers no event for it
            await asyncio.sleep(0.02)
        host, port = server.servers[0].sockets[0].getsockname()[:2]
        print(f"bare: serving on http://{host}:{port}", file=sys.stderr, flush=True)
        await task
        await app.stop()


# The driving side ----------------------------------------------------------------------------


async def start_server(mode: str, env: dict[str, str], workdir: Path, n: int, args: argparse.Namespace) -> Server:
    stats = workdir / f"stats-{n}.json"
    command = [sys.executable, "-m", "bench.pipeline", "--child", mode, "--stats", str(stats)]
    if args.profile:
        command += ["--profile-file", str(Path(args.profile) / f"{mode}-{env.get('BENCH_LABEL', 'x')}-{n}.prof")]
    if args.rate_limiter:
        command.append("--rate-limiter")
    proc = await asyncio.create_subprocess_exec(
        *command, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, cwd=str(workdir)
    )
    assert proc.stderr is not None
    while True:
        line = (await asyncio.wait_for(proc.stderr.readline(), 60)).decode()
        if not line:
            raise RuntimeError(f"{mode} server exited before it was ready")
        found = re.search(r"on (http://\S+)", line)
        if found:
            return Server(proc, found.group(1), stats, asyncio.create_task(_drain(proc.stderr)))


async def _drain(stream: asyncio.StreamReader) -> None:
    while await stream.readline():
        pass


async def stop_server(server: Server) -> None:
    if server.proc.returncode is None:
        server.proc.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(server.proc.wait(), 60)
    except TimeoutError:
        server.proc.kill()
        await server.proc.wait()


@contextlib.asynccontextmanager
async def database(kind: str, workdir: Path) -> AsyncIterator[str]:
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
        return
    import asyncpg

    base = os.environ.get("CEDBOT_BENCH_POSTGRES_URL", PG_DEFAULT)
    name = f"cedbot_bench_{secrets.token_hex(4)}"
    admin = base.replace("postgresql+asyncpg", "postgresql")
    conn = await asyncpg.connect(admin)
    await conn.execute(f'CREATE DATABASE "{name}"')
    url = base.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()


def server_env(fake: FakeTelegram, db_url: str, label: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CEDBOT_") and "PROXY" not in k.upper()}
    env.update(
        CEDBOT_DATABASE_URL=db_url,
        CEDBOT_TELEGRAM_TOKEN=TOKEN,
        CEDBOT_TELEGRAM_API_URL=fake.url,
        CEDBOT_TELEGRAM_WEBHOOK_URL="https://bench.invalid/telegram/webhook",
        CEDBOT_TELEGRAM_WEBHOOK_SECRET=SECRET,
        CEDBOT_RATE_LIMIT_MESSAGES="1000000",
        CEDBOT_HOST="127.0.0.1",
        CEDBOT_PORT="0",
        BENCH_LABEL=label,
        PYTHONPATH=str(Path(__file__).resolve().parent.parent),
    )
    return env


async def drive(
    fake: TimedTelegram, servers: list[Server], senders: int, seconds: float, questions: list[str], label: str
) -> tuple[Run, float, float, int]:
    """Warm up (one message per person), then measure for ``seconds``; returns the run and totals."""
    people_per_sender = 4
    run = Run(label)
    async with aiohttp.ClientSession() as http:

        async def one(person: int, text: str, server: Server, record: bool) -> None:
            chat = str(100_000 + person)
            update = fake.message_update(text, user_id=100_000 + person)
            waiter: asyncio.Future[float] = asyncio.get_running_loop().create_future()
            fake.waiting[chat] = waiter
            started = time.perf_counter()
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            async with http.post(f"{server.url}/telegram/webhook", json=update, headers=headers) as response:
                await response.read()
            try:
                done = await asyncio.wait_for(waiter, 30)
            except TimeoutError:
                run.lost += 1
                return
            if record:
                run.latencies.append(done - started)

        async def sender(i: int, until: float | None) -> None:
            server = servers[i % len(servers)]
            n = 0
            while True:
                if until is None and n >= people_per_sender:
                    return
                if until is not None and time.perf_counter() >= until:
                    return
                person = i * people_per_sender + n % people_per_sender
                await one(person, questions[(i * 7 + n) % len(questions)], server, until is not None)
                n += 1

        await asyncio.gather(*(sender(i, None) for i in range(senders)))
        cpu0 = sum(s.cpu_seconds() for s in servers)
        sql0 = sum([await s.sql_count() for s in servers])
        started = time.perf_counter()
        await asyncio.gather(*(sender(i, started + seconds) for i in range(senders)))
        elapsed = time.perf_counter() - started
        cpu = sum(s.cpu_seconds() for s in servers) - cpu0
        sql = sum([await s.sql_count() for s in servers]) - sql0
    return run, elapsed, cpu, sql


def report(run: Run, elapsed: float, cpu: float, sql: int) -> str:
    n = len(run.latencies)
    if not n:
        return f"{run.label:<34} no message answered ({run.lost} lost)"
    lat = sorted(run.latencies)
    p50 = statistics.median(lat) * 1000
    p99 = lat[min(n - 1, int(n * 0.99))] * 1000
    return (
        f"{run.label:<34} {n / elapsed:7.1f} msg/s  p50 {p50:6.0f} ms  p99 {p99:6.0f} ms  "
        f"cpu {cpu * 1000 / n:5.1f} ms/msg  sql {sql / n:5.1f}/msg  ({n} msgs, {run.lost} lost)"
    )


async def main(args: argparse.Namespace) -> None:
    questions = [item["q"] for item in yaml.safe_load(DEV_SET.read_text()) if item.get("expect")]
    senders = [int(s) for s in args.senders.split(",")]
    fake = TimedTelegram()
    await fake.start()
    try:
        print(f"{'run':<34} results ({args.seconds:.0f} s each, {os.cpu_count()} cores)", flush=True)
        for n in senders:
            if args.bare:
                with tempfile.TemporaryDirectory() as tmp:
                    env = server_env(fake, "sqlite+aiosqlite:///unused.db", f"bare-{n}")
                    server = await start_server("bare", env, Path(tmp), 0, args)
                    try:
                        print(
                            report(*await drive(fake, [server], n, args.seconds, questions, f"bare PTB, {n} senders"))
                        )
                    finally:
                        await stop_server(server)
            for kind in args.db.split(","):
                with tempfile.TemporaryDirectory() as tmp:
                    async with database(kind, Path(tmp)) as url:
                        await run_cedbot(fake, url, kind, n, Path(tmp), questions, args)
    finally:
        await fake.stop()


async def run_cedbot(
    fake: TimedTelegram, url: str, kind: str, n: int, tmp: Path, questions: list[str], args: argparse.Namespace
) -> None:
    label = f"cedbot {kind}, {n} senders" + (f", {args.workers} workers" if args.workers > 1 else "")
    env = server_env(fake, url, f"{kind}-{n}-w{args.workers}")
    if kind != "sqlite":
        upgrade = await asyncio.create_subprocess_exec(sys.executable, "-m", "cedbot", "db", "upgrade", env=env)
        await upgrade.wait()
    servers: list[Server] = []
    try:
        for w in range(args.workers):
            servers.append(await start_server("serve", env, tmp, w, args))
        print(report(*await drive(fake, servers, n, args.seconds, questions, label)), flush=True)
    finally:
        for server in servers:
            await stop_server(server)


def print_profiles(folder: str, top: int = 15) -> None:
    import pstats

    for path in sorted(Path(folder).glob("*.prof")):
        print(f"\n== {path.name}: top {top} by own time")
        pstats.Stats(str(path)).sort_stats("tottime").print_stats(top)


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--senders", default="1,8,32")
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--bare", action="store_true", help="also run the bare python-telegram-bot baseline")
    parser.add_argument("--profile", metavar="DIR", help="profile the servers (cProfile) into DIR and print the top")
    parser.add_argument("--rate-limiter", action="store_true", help="keep Telegram's 30/s rate limiter on")
    parser.add_argument("--child", choices=["serve", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--stats", help=argparse.SUPPRESS)
    parser.add_argument("--profile-file", help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    arguments = parse()
    if arguments.child:
        child(arguments.child, arguments.stats, arguments.profile_file, arguments.rate_limiter)
    else:
        if arguments.profile:
            Path(arguments.profile).mkdir(parents=True, exist_ok=True)
        asyncio.run(main(arguments))
        if arguments.profile:
            print_profiles(arguments.profile)
