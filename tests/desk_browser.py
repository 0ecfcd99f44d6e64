"""A real desk in a real browser: the app on uvicorn (port 0) and Debian's headless Chromium.

Playwright cannot download browsers here, so it drives the system's Chromium; tests that
need it skip with the reason where it is missing (CI installs it).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from bot.runtime import Runtime
from bot.server import _Uvicorn, build_app

CHROMIUM = os.environ.get("CEDBOT_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "desk"
"""Screenshots of every page in both languages (git-ignored; CI keeps them as artefacts)."""


def need_chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium (CI does)")
    pytest.importorskip("playwright.async_api", reason="the playwright package is in the test extras")


@contextlib.asynccontextmanager
async def served(runtime: Runtime) -> AsyncIterator[str]:
    """The runtime's app on a free port; its address becomes the public URL for sign-in links."""
    server = _Uvicorn(uvicorn.Config(build_app(runtime), host="127.0.0.1", port=0, lifespan="off", log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            await task
        await asyncio.sleep(0.01)
    host, port = server.servers[0].sockets[0].getsockname()[:2]
    url = f"http://{host}:{port}"
    runtime.settings = runtime.settings.model_copy(update={"public_url": url})
    try:
        yield url
    finally:
        server.should_exit = True
        await task


@contextlib.asynccontextmanager
async def browser() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield chromium
        finally:
            await chromium.close()


async def shot(page: Any, name: str) -> None:
    """A full-page screenshot once the page's images (the server-drawn charts) have loaded."""
    await page.wait_for_function("() => Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
