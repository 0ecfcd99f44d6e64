"""``cedbot serve``: Telegram and Slack in one process, with health and metrics endpoints.

One Starlette app on uvicorn serves ``/slack/events``, ``/telegram/webhook``, ``/healthz``
and ``/metrics``; Telegram long polling and Slack Socket Mode run beside it where configured,
as do the outbox delivery loops and the scheduled jobs.

Signals: SIGTERM and SIGINT stop taking updates, finish the ones in flight and close cleanly.
SIGHUP runs the features' reload hooks, as ``/reload`` does (the knowledge base re-reads
its files; a broken file keeps the previous version).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import uvicorn
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot import edge
from bot.router import Router
from bot.runtime import Runtime
from bot.settings import Settings, SettingsError
from bot.types import Channel
from storage import inbox as inbox_repo
from storage import outbox as outbox_repo

log = logging.getLogger("cedbot.server")


def choose_channels(settings: Settings, asked: Sequence[str] = ()) -> list[Channel]:
    """The channels to start; any that lacks a setting stops the start with the names missing."""
    chosen = [Channel(name) for name in asked] if asked else settings.configured_channels
    # Setting any of a channel's variables counts as asking for it.
    if settings.telegram_webhook_url or settings.telegram_webhook_secret:
        chosen.append(Channel.TELEGRAM)
    if settings.slack_signing_secret or settings.slack_app_token:
        chosen.append(Channel.SLACK)
    chosen = list(dict.fromkeys(c for c in chosen if c is not Channel.CONSOLE))
    if not chosen:
        raise SettingsError(
            "no chat channel configured: set CEDBOT_TELEGRAM_TOKEN and/or CEDBOT_SLACK_BOT_TOKEN "
            "(see the README's set-up section)"
        )
    missing = [name for channel in chosen for name in settings.missing_for(channel)]
    if missing:
        names = " and ".join(c.value.capitalize() for c in chosen)
        raise SettingsError(f"{names} cannot start: set {', '.join(missing)}")
    return chosen


async def health(runtime: Runtime) -> tuple[bool, dict[str, str]]:
    """The database is reachable and, where a feature uses one, the knowledge base is loaded."""
    report: dict[str, str] = {}
    try:
        async with runtime.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        report["database"] = "ok"
    except Exception as exc:  # any failure is what the check is for
        report["database"] = f"unreachable: {type(exc).__name__}"
    ok = report["database"] == "ok"
    for name, (healthy, state) in runtime.health().items():
        report[name] = state
        ok = ok and healthy
    return ok, report


async def queue_gauges(runtime: Runtime) -> None:
    """The inbox by status and the possible duplicates, read from the database (shared by all workers)."""
    try:
        async with runtime.sessions() as session:
            counts = await inbox_repo.counts(session)
            duplicates = await outbox_repo.possible_duplicates(session)
    except Exception as exc:  # the metrics page stays up while the database is away
        log.info("metrics: queue figures unavailable: %s", exc)
        return
    for status in ("pending", "failed"):
        runtime.metrics.inbox.labels(status).set(counts.get(status, 0))
    runtime.metrics.possible_duplicates.set(duplicates)


def build_app(runtime: Runtime, telegram: Any = None, slack: Any = None) -> Starlette:
    """The ASGI app; ``telegram``/``slack`` are the started channels (or None)."""
    slack_handler = None
    if slack is not None and runtime.settings.slack_signing_secret:
        from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler

        slack_handler = AsyncSlackRequestHandler(slack.app)

    settings = runtime.settings

    async def slack_events(request: Request) -> Response:
        if slack_handler is None:
            return Response("Slack HTTP mode is not configured\n", status_code=404)
        if not slack.accepting:
            return Response("shutting down\n", status_code=503)
        try:
            body = await edge.read_body(request, settings.http_max_body_bytes, settings.http_timeout_seconds)
            edge.check_slack_body(body, request.headers.get("content-type", ""))
        except edge.Refused as exc:
            return edge.refuse(request, exc)
        key = edge.slack_replay_key(settings.slack_signing_secret or "", request.headers, body)
        if key is not None and not await edge.first_time(runtime, key):
            log.info("dropped a replayed Slack request")
            return Response(status_code=200)
        return await slack_handler.handle(edge.with_body(request, body))

    async def telegram_webhook(request: Request) -> Response:
        if telegram is None or not telegram.webhook:
            return Response("Telegram webhook mode is not configured\n", status_code=404)
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        if not telegram.secret_ok(secret):
            return Response(status_code=403)  # before a byte of the body is read
        try:
            body = await edge.read_body(request, settings.http_max_body_bytes, settings.http_timeout_seconds)
            edge.telegram_update(body)
        except edge.Refused as exc:
            return edge.refuse(request, exc)
        status = await telegram.feed_webhook(body, secret)
        return Response(status_code=status)

    async def healthz(request: Request) -> Response:
        ok, report = await health(runtime)
        return JSONResponse({"ok": ok, **report}, status_code=200 if ok else 503)

    async def metrics(request: Request) -> Response:
        await queue_gauges(runtime)
        return Response(runtime.metrics.render(), media_type=CONTENT_TYPE_LATEST)

    return Starlette(
        routes=[
            Route("/slack/events", slack_events, methods=["POST"]),
            Route("/telegram/webhook", telegram_webhook, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/metrics", metrics, methods=["GET"]),
            *runtime.web_routes(),  # pages features serve (the adviser desk)
        ]
    )


class _Uvicorn(uvicorn.Server):
    """uvicorn without its own signal handling: the service decides the order of shutdown."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class Service:
    """Everything ``cedbot serve`` runs, started and stopped in a safe order."""

    def __init__(self, settings: Settings, channels: Sequence[Channel], routers: Sequence[Router]) -> None:
        self.settings, self.channels = settings, list(channels)
        self.runtime = Runtime(settings, routers)
        self.telegram: Any = None
        self.slack: Any = None
        self.signalled = asyncio.Event()
        """Set by SIGTERM/SIGINT: time to stop."""
        self.stop_event = asyncio.Event()
        """Set last, once the channels are done: stops the outbox and job loops."""
        self.background: list[asyncio.Task[None]] = []
        self.http: _Uvicorn | None = None

    async def start(self) -> str:
        """Start everything; returns the address the HTTP server listens on."""
        await self.runtime.start()
        await self.runtime.knowledge.ready()  # a server takes no update before it can answer questions
        if Channel.TELEGRAM in self.channels:
            from bot.channels.telegram import TelegramChannel

            self.telegram = TelegramChannel(self.runtime, self.settings)
        if Channel.SLACK in self.channels:
            from bot.channels.slack import SlackChannel

            self.slack = SlackChannel(self.runtime, self.settings)
        config = edge.uvicorn_config(build_app(self.runtime, self.telegram, self.slack), self.settings)
        self.http = _Uvicorn(config)
        self.background.append(asyncio.create_task(self.http.serve()))
        while not self.http.started:
            if self.background[0].done():
                await self.background[0]  # a failed bind raises here
                where = f"{self.settings.host}:{self.settings.port}"
                raise SettingsError(f"CEDBOT_PORT: could not listen on {where}")
            await asyncio.sleep(0.02)
        for channel in (self.telegram, self.slack):
            if channel is not None:
                await channel.start()  # with its inbox worker and its outbox delivery
        self.background.append(asyncio.create_task(self.runtime.run_jobs_forever(self.stop_event)))
        host, port = self.http.servers[0].sockets[0].getsockname()[:2]
        return f"http://{host}:{port}"

    async def stop(self) -> None:
        """Stop taking updates, finish the ones in flight, close connections."""
        for channel in (self.telegram, self.slack):
            if channel is not None:
                await channel.stop_taking()  # no new updates: polling ends, HTTP answers 503
        if self.http is not None:
            self.http.should_exit = True  # uvicorn finishes the requests it has, then closes
        if self.background:
            await asyncio.wait({self.background[0]})
        for channel in (self.telegram, self.slack):
            if channel is not None:
                await channel.stop()  # handles what was already taken, sends its replies
        self.stop_event.set()
        await asyncio.gather(*self.background[1:], return_exceptions=True)
        await self.runtime.close()

    async def reload(self) -> list[str]:
        """SIGHUP: the same reload hooks as ``/reload``."""
        try:
            said = await self.runtime.reload()
        except Exception:
            log.exception("SIGHUP: reload failed; the previous state stays in use")
            return []
        for line in said or ["nothing to reload"]:
            log.warning("SIGHUP: %s", line)
        return said


async def serve(settings: Settings, channels: Sequence[Channel], routers: Sequence[Router]) -> None:
    service = Service(settings, channels, routers)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, service.signalled.set)
    reloads: set[asyncio.Task[list[str]]] = set()

    def _reload() -> None:
        task = asyncio.create_task(service.reload())
        reloads.add(task)
        task.add_done_callback(reloads.discard)

    loop.add_signal_handler(signal.SIGHUP, _reload)
    try:
        url = await service.start()
        names = ", ".join(c.value for c in channels)
        print(f"cedbot: serving {names} on {url} (Ctrl-C or SIGTERM stops)", file=sys.stderr, flush=True)
        await service.signalled.wait()
        print("cedbot: stopping: finishing messages in flight", file=sys.stderr, flush=True)
    finally:
        await service.stop()
    print("cedbot: stopped", file=sys.stderr, flush=True)


def run(settings: Settings, asked: Sequence[str], routers: Sequence[Router]) -> int:
    channels = choose_channels(settings, asked)
    from telegram.error import InvalidToken

    try:
        asyncio.run(serve(settings, channels, routers))
    except InvalidToken:
        raise SettingsError(
            "CEDBOT_TELEGRAM_TOKEN: Telegram rejected the token; copy it again from @BotFather"
        ) from None
    return 0
