"""The ``cedbot`` command line: chat in the terminal, manage the database, and each feature's tools."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from bot import __version__
from bot.app import Application

if TYPE_CHECKING:  # settings (pydantic) and the runtime are imported after parsing: --version needs neither
    from bot.runtime import Runtime
    from bot.settings import Settings

Command = Callable[[argparse.Namespace, "Settings"], int]
T = TypeVar("T")


def add_command(sub: Any, name: str, help_text: str, fn: Command) -> argparse.ArgumentParser:
    """Add ``cedbot ... NAME`` running ``fn(args, settings)``; for features' ``add_cli``."""
    return _add(sub, name, help_text, fn)


def _add(sub: Any, name: str, help_text: str, fn: Command) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    parser.set_defaults(func=fn)
    return parser


def build_parser(app: Application, argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The command line; a feature's commands are imported only when ``argv`` runs them."""
    parser = argparse.ArgumentParser(
        prog="cedbot",
        description="cedbot, the assistant for Danish cluster managers by Cluster Excellence Denmark. "
        "Settings come from CEDBOT_* environment variables or a .env file (see the README).",
    )
    parser.add_argument("--version", action="version", version=f"cedbot {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail to stderr")
    parser.set_defaults(app=app)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    chat = _add(sub, "chat", "Chat with the assistant in this terminal (reads lines from a pipe too).", cmd_chat)
    chat.add_argument("--user", default=_login(), help="your console user name (default: your login)")
    chat.add_argument("--lang", choices=["da", "en"], help="answer in this language (saved for the user)")
    chat.add_argument(
        "--listen",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="with a pipe: keep receiving messages for this long after the last line",
    )

    serve = _add(sub, "serve", "Run the Telegram and Slack channels configured, with /healthz and /metrics.", cmd_serve)
    serve.add_argument(
        "--channels",
        default="",
        metavar="LIST",
        help="comma-separated: telegram,slack (default: every channel whose token is set)",
    )

    db = command_group(sub, "db", "Database schema tools.")
    _add(db, "upgrade", "Apply pending schema migrations.", cmd_db_upgrade)
    _add(db, "check", "Exit 1 if migrations are pending.", cmd_db_check)

    jobs = command_group(sub, "jobs", "Scheduled jobs (reminders, clean-up).")
    _add(jobs, "run", "Run every job that is due now, once, and exit (for cron).", cmd_jobs_run)

    _feature_commands(sub, app, argv)
    return parser


def _feature_commands(sub: Any, app: Application, argv: Sequence[str]) -> None:
    """The group ``argv`` runs, loaded in full; the others only named, for ``--help``."""
    asked = next((word for word in argv if not word.startswith("-")), None)
    chosen = [group for group in app.commands if group.name == asked]
    if chosen:
        for add_cli in chosen[0].load():
            add_cli(sub)
        return
    for group in app.commands:
        sub.add_parser(group.name, help=group.help, description=group.help)


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "you"


def command_group(sub: Any, name: str, help_text: str) -> Any:
    """The subcommands of ``cedbot NAME``, created on first use, so two features can share a group."""
    parser = sub.choices.get(name)
    if parser is None:
        parser = _add(sub, name, help_text, lambda a, s: _usage(parser))
        parser.set_defaults(_group=parser.add_subparsers(metavar="ACTION"))
    return parser.get_default("_group")


@asynccontextmanager
async def open_database(settings: Settings) -> AsyncIterator[Runtime]:
    """The one way a command opens the database: the schema checked (SQLite: brought up to
    date), and no start-up hooks (an import must not be preceded by the sample data)."""
    from bot.runtime import Runtime

    runtime = Runtime(settings)  # no features: a tool works on the storage directly
    try:
        await runtime.start(hooks=False)
        yield runtime
    finally:
        await runtime.close()


def in_transaction(settings: Settings, work: Callable[[Any], Awaitable[T]]) -> T:
    """For features' commands: run ``work(session)`` in one transaction on an up-to-date schema."""

    async def _go() -> T:
        async with open_database(settings) as runtime, runtime.sessions() as session, session.begin():
            return await work(session)

    import asyncio  # here, not at the top: --version and --help start faster without it

    return asyncio.run(_go())


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def main(app: Application, argv: Sequence[str] | None = None) -> int:
    """Run ``cedbot`` for ``app``; the exit status."""
    try:
        return _main(app, sys.argv[1:] if argv is None else list(argv))
    except BrokenPipeError:  # the reader went away (`cedbot kb gaps | head`): stop quietly
        _drop_stdout()
        return 141


def _drop_stdout() -> None:
    # Python flushes stdout again on exit; pointing it at /dev/null keeps that flush quiet.
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        pass


def _main(app: Application, argv: Sequence[str]) -> int:
    parser = build_parser(app, argv)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from bot import formatting
    from bot.settings import SettingsError, load_settings

    settings: Settings | None = None
    try:
        settings = load_settings()
        formatting.use_timezone(settings.office_timezone)
        return int(args.func(args, settings))
    except SettingsError as exc:
        print(f"cedbot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        raise
    except Exception as exc:
        from storage.db import connection_problem

        line = connection_problem(exc, settings.database_url) if settings else None
        if line is None:
            raise
        print(f"cedbot: {line}", file=sys.stderr)
        return 2


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.channels.console import ConsoleChannel
    from bot.runtime import Runtime

    async def _chat() -> None:
        async with Runtime(settings, args.app.routers()) as runtime:
            console = ConsoleChannel(runtime, args.user)
            if args.lang:
                await set_language(runtime, args.user, args.lang)
            if sys.stdin.isatty():
                await console.run_interactive()
            else:
                sys.stdin.reconfigure(errors="surrogateescape")  # type: ignore[union-attr]
                await console.run_piped(sys.stdin, listen=args.listen)

    import asyncio

    asyncio.run(_chat())
    return 0


async def set_language(runtime: Any, user: str, lang: str) -> None:
    from storage import repos

    async with runtime.sessions() as session, session.begin():
        person = await repos.person_for(session, "console", user, user, runtime.clock(), user)
        person.language = lang


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.server import run as run_server
    from bot.settings import SettingsError

    asked = [name.strip().lower() for name in args.channels.split(",") if name.strip()]
    unknown = [name for name in asked if name not in {"telegram", "slack"}]
    if unknown:
        raise SettingsError(f"--channels: unknown channel {unknown[0]!r}; use telegram, slack or both")
    return run_server(settings, asked, args.app.routers())


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from storage.db import upgrade_sync

    applied = upgrade_sync(settings.database_url)
    if not applied:
        print("Nothing to apply: the database schema was already up to date.")
        return 0
    print(f"Applied {len(applied)} migration{'s' if len(applied) > 1 else ''}; the schema is now up to date:")
    for line in applied:
        print(f"  {line}")
    return 0


def cmd_db_check(args: argparse.Namespace, settings: Settings) -> int:
    from storage.db import create_engine, pending_migrations

    async def _check() -> bool:
        engine = create_engine(settings.database_url)
        try:
            return await pending_migrations(engine)
        finally:
            await engine.dispose()

    import asyncio

    if asyncio.run(_check()):
        print("Migrations are pending: run 'cedbot db upgrade'.")
        return 1
    print("Database schema is up to date.")
    return 0


def cmd_jobs_run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runtime import Runtime

    async def _run() -> list[str]:
        async with Runtime(settings, args.app.routers()) as runtime:
            return await runtime.run_due_jobs()

    import asyncio

    ran = asyncio.run(_run())
    print("Ran: " + (", ".join(ran) if ran else "nothing was due"))
    return 0
