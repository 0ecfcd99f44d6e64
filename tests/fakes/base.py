"""What both fakes share: an aiohttp server on port 0, a call log, waiting for calls."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Call:
    """One API call as the fake received it."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    failed: bool = False
    """The fake answered this call with an injected error."""


@dataclass
class Failure:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class FakeServer:
    """Start with ``await fake.start()``, stop with ``await fake.stop()``; ``url`` is the base."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.failures: dict[str, list[Failure]] = {}
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.url = ""

    def routes(self, app: web.Application) -> None:
        raise NotImplementedError

    async def start(self) -> None:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        self.routes(app)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def fail_next(self, method: str, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        """Answer the next call of ``method`` with this error (then behave normally again)."""
        self.failures.setdefault(method, []).append(Failure(status, body, headers or {}))

    def take_failure(self, method: str) -> Failure | None:
        pending = self.failures.get(method)
        return pending.pop(0) if pending else None

    async def record(self, call: Call) -> None:
        self.calls.append(call)
        async with self._changed:
            self._changed.notify_all()

    def called(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, within: float = 10.0) -> list[Call]:
        """Wait until ``method`` was called ``count`` times; returns those calls."""

        async def _enough() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.called(method)) >= count)

        try:
            await asyncio.wait_for(_enough(), within)
        except TimeoutError:
            seen = [c.method for c in self.calls]
            raise AssertionError(
                f"{method} called {len(self.called(method))}x, wanted {count}; calls: {seen}"
            ) from None
        return self.called(method)


async def read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
    """A request body as a dict, whatever the encoding: JSON, a form, or multipart with files."""
    files: dict[str, tuple[str, bytes]] = {}
    ctype = request.content_type
    if ctype == "application/json":
        raw = await request.read()
        return {**request.query, **(json.loads(raw) if raw else {})}, files
    if ctype in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        params: dict[str, Any] = dict(request.query)
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                files[key] = (value.filename, value.file.read())
            else:
                params[key] = value
        return params, files
    params = dict(request.query)
    return params, files


def maybe_json(value: Any) -> Any:
    """Form values that carry JSON (reply_markup, blocks) decoded; others unchanged."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
