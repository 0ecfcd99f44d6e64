"""Engines, sessions and schema migrations for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import ast
import asyncio
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

if TYPE_CHECKING:  # alembic is imported only when there is something to migrate
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")


def create_engine(url: str, *, schema: str | None = None, **kwargs: Any) -> AsyncEngine:
    """An engine set up for safe concurrent writes on either database.

    SQLite: WAL, foreign keys, a busy timeout, and ``BEGIN IMMEDIATE`` so two writers queue
    instead of failing on a lock upgrade. PostgreSQL: an optional schema (tests use one each).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)
        _sqlite_pragmas(engine)
        return engine
    connect_args: dict[str, Any] = {}
    if schema:
        connect_args["server_settings"] = {"search_path": schema}
    return create_async_engine(url, connect_args=connect_args, pool_pre_ping=True, **kwargs)


def _sqlite_pragmas(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def is_postgres(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "postgresql"


def _alembic_config(connection: Connection) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


@cache
def shipped_heads() -> frozenset[str]:
    """The head revisions of the migrations this version ships, read from the scripts' source.

    Starting on an up-to-date database then needs no alembic at all (a third of a start-up);
    a test holds this to alembic's own answer.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found: dict[str, Any] = {}
        for node in ast.parse(path.read_text("utf-8")).body:
            target, value = (
                (node.targets[0], node.value)
                if isinstance(node, ast.Assign) and len(node.targets) == 1
                else (node.target, node.value)
                if isinstance(node, ast.AnnAssign)
                else (None, None)
            )
            if isinstance(target, ast.Name) and target.id in ("revision", "down_revision") and value is not None:
                found[target.id] = ast.literal_eval(value)
        revisions.add(found["revision"])
        down = found.get("down_revision")
        parents.update([down] if isinstance(down, str) else down or ())
    return frozenset(revisions - parents)


async def current_revisions(engine: AsyncEngine) -> set[str]:
    """The revisions the database is at (none for an empty database)."""
    async with engine.connect() as conn:
        try:
            return set((await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars())
        except DBAPIError:  # no version table yet
            return set()


async def pending_migrations(engine: AsyncEngine) -> bool:
    """True when the database is behind the migrations this version ships."""
    return await current_revisions(engine) != shipped_heads()


async def upgrade(engine: AsyncEngine, revision: str = "heads") -> list[str]:
    """Apply pending migrations (every feature's branch); ``revision: what it does`` for each applied."""
    applied: list[str] = []

    def _run(conn: Connection) -> None:
        from alembic import command

        cfg = _alembic_config(conn)
        cfg.attributes["applied"] = applied
        command.upgrade(cfg, revision)

    async with engine.begin() as conn:
        await conn.run_sync(_run)
    return applied


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    def _run(conn: Connection) -> None:
        from alembic import command

        command.downgrade(_alembic_config(conn), revision)

    async with engine.begin() as conn:
        await conn.run_sync(_run)


def upgrade_sync(url: str) -> list[str]:
    """For scripts: apply migrations and dispose of the engine; what was applied."""

    async def _go() -> list[str]:
        engine = create_engine(url)
        try:
            return await upgrade(engine)
        finally:
            await engine.dispose()

    return asyncio.run(_go())


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and what it wraps (SQLAlchemy's ``orig``, ``__cause__``, ``__context__``)."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        item = todo.pop()
        if item is None or any(item is s for s in seen):
            continue
        seen.append(item)
        todo += [getattr(item, "orig", None), item.__cause__, item.__context__]
    return seen


def connection_problem(exc: BaseException, url: str) -> str | None:
    """One line naming the variable and the fix when ``exc`` means the database cannot be used.

    ``None`` for anything else (a bug keeps its traceback).
    """
    parsed = make_url(url)
    where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
    for cause in _causes(exc):
        name = type(cause).__name__
        if isinstance(cause, ModuleNotFoundError) and cause.name in {"asyncpg", "aiosqlite"}:
            return (
                f"CEDBOT_DATABASE_URL: the {cause.name} driver is not installed; "
                f'install it with: pip install -e ".[postgres]" (or pip install {cause.name})'
            )
        if name == "InvalidCatalogNameError":
            return (
                f"CEDBOT_DATABASE_URL: the database {parsed.database!r} does not exist on {where}; "
                f"create it (createdb -h {parsed.host or 'localhost'} {parsed.database}) or fix the URL"
            )
        if name in {"InvalidPasswordError", "InvalidAuthorizationSpecificationError"}:
            return f"CEDBOT_DATABASE_URL: {where} refused user {parsed.username!r} ({cause}); fix the user or password"
        if isinstance(cause, ConnectionRefusedError | TimeoutError) or name == "gaierror":
            reason = (
                "unknown host"
                if name == "gaierror"
                else "connection refused"
                if isinstance(cause, ConnectionRefusedError)
                else "timed out"
            )
            return f"CEDBOT_DATABASE_URL: cannot reach the database at {where} ({reason}); start it or fix the URL"
        sqlite = parsed.get_backend_name() == "sqlite"
        if sqlite and (
            isinstance(cause, FileNotFoundError | PermissionError | NotADirectoryError)
            or "unable to open database file" in str(cause)
        ):
            return (
                f"CEDBOT_DATABASE_URL: cannot open the SQLite file {parsed.database!r}; "
                "check that its folder exists and is writable"
            )
    return None
