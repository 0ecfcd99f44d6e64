"""Helpers for the adviser desk tests: a browser-like HTTP client and sign-in through a link."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx

from bot.runtime import Runtime
from bot.server import build_app
from tests.chat import Chat

PUBLIC = "http://desk.test"
ADVISERS = "console:ada,console:bo,slack:UADA"


def client(runtime: Runtime, base: str = PUBLIC) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=build_app(runtime)), base_url=base)


def link_in(text: str) -> str:
    match = re.search(r"https?://\S+/desk/signin/[\w\-]+\?lang=\w\w", text)
    assert match, text
    return match.group(0)


async def ask_link(runtime: Runtime, user: str = "ada") -> str:
    chat = Chat(runtime, user)
    await chat.send("/desk")
    return link_in(chat.text())


async def sign_in(http: httpx.AsyncClient, link: str) -> httpx.Response:
    """Open the link, press Sign in: what an adviser's browser does."""
    page = await http.get(link)
    assert page.status_code == 200, page.text
    nonce = re.search(r'name="nonce" value="([^"]+)"', page.text)
    assert nonce
    return await http.post(link, data={"nonce": nonce.group(1)})


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, html
    return match.group(1)


@contextlib.asynccontextmanager
async def desk_for(runtime: Runtime, user: str = "ada") -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    """A signed-in client and its CSRF token."""
    async with client(runtime) as http:
        signed = await sign_in(http, await ask_link(runtime, user))
        assert signed.status_code == 303, signed.text
        page = await http.get("/desk/")
        yield http, csrf_of(page.text)


def settings_for_desk(**extra: Any) -> dict[str, Any]:
    return {"advisers": ADVISERS, "admins": "console:boss", "public_url": PUBLIC, **extra}
