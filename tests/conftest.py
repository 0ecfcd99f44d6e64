"""Shared fixtures: a database per test (SQLite file, or a PostgreSQL schema), and a chat driver."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.router import Dispatcher
from bot.runtime import Runtime
from bot.settings import Settings, load_settings
from cedbot import routers
from tests.chat import Chat
from tests.fakes.fixtures import fake_slack, fake_telegram

__all__ = ["fake_slack", "fake_telegram"]  # fixtures for the channel fakes, shared by all tests

PG_URL = os.environ.get("CEDBOT_TEST_POSTGRES_URL")


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        from datetime import timedelta

        self.now += timedelta(**delta)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key in list(os.environ):
        if key.startswith("CEDBOT_") and key != "CEDBOT_TEST_POSTGRES_URL":
            monkeypatch.delenv(key)
    for key in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 27, 9, 0, tzinfo=UTC))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str | None]]:
    """(url, schema): a fresh SQLite file, or a fresh PostgreSQL schema dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}", None
        return
    if not PG_URL:
        pytest.skip("CEDBOT_TEST_POSTGRES_URL is not set")
    schema = f"t_{secrets.token_hex(6)}"
    _pg_exec(f'CREATE SCHEMA "{schema}"')
    try:
        yield PG_URL, schema
    finally:
        _pg_exec(f'DROP SCHEMA "{schema}" CASCADE')


def _pg_exec(sql: str) -> None:
    """Run one statement on the test server, from a thread of its own (no loop is shared)."""
    import asyncio
    import threading

    import asyncpg

    assert PG_URL is not None

    async def _run() -> None:
        conn = await asyncpg.connect(PG_URL.replace("postgresql+asyncpg", "postgresql"))
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    errors: list[BaseException] = []

    def _thread() -> None:
        try:
            asyncio.run(_run())
        except BaseException as exc:
            errors.append(exc)

    t = threading.Thread(target=_thread)
    t.start()
    t.join()
    if errors:
        raise errors[0]


@pytest.fixture
def make_settings(db_url: tuple[str, str | None], tmp_path: Path) -> Callable[..., Settings]:
    def _make(**overrides: Any) -> Settings:
        # The sample data on both databases, so a test sees the same world on either.
        values: dict[str, Any] = {
            "database_url": db_url[0],
            "files_dir": tmp_path / "files",
            "sample_data": True,
        }
        values.update(overrides)
        return load_settings(**values)

    return _make


@pytest.fixture
async def make_runtime(
    db_url: tuple[str, str | None], make_settings: Callable[..., Settings], clock: Clock
) -> AsyncIterator[Callable[..., Any]]:
    """Start runtimes on the test database; all are closed at the end of the test."""
    started: list[Runtime] = []

    async def _make(settings: Settings | None = None, **overrides: Any) -> Runtime:
        runtime = Runtime(settings or make_settings(**overrides), routers(), clock=clock, schema=db_url[1])
        await runtime.start(migrate=True)
        await runtime.knowledge.ready()  # loaded in the background; tests expect it in place
        started.append(runtime)
        return runtime

    yield _make
    for runtime in started:
        await runtime.close()


@pytest.fixture
async def runtime(make_runtime: Callable[..., Any]) -> Runtime:
    return await make_runtime()


@pytest.fixture
async def demo_runtime(make_runtime: Callable[..., Any]) -> Runtime:
    """A runtime with the test-only demo feature in front of the real ones."""
    from cedbot import routers as build_routers
    from tests.demo import demo

    rt: Runtime = await make_runtime()
    rt.dispatcher = Dispatcher([demo, *build_routers()])
    return rt


@pytest.fixture
def chat(runtime: Runtime) -> Chat:
    return Chat(runtime, "anna")
