"""The terminal channel: interactive with a prompt and history, or scripted through a pipe."""

from __future__ import annotations

import asyncio
import re
import secrets
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from bot import language
from bot.i18n import Texts
from bot.markup import to_plain
from bot.outbox import OutboxDelivery
from bot.runtime import Runtime
from bot.types import Address, Button, Channel, Identity, Incoming, Lang, Reply
from storage import repos

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")

TEXTS = Texts(
    {
        "greeting": {
            "en": "cedbot, the assistant of Cluster Excellence Denmark. Write a question, or type /help "
            "for what I can do (numbers press the choices shown; /quit leaves). Skriv /lang da for dansk.",
            "da": "cedbot, assistenten fra Cluster Excellence Denmark. Skriv et spørgsmål, eller skriv /help "
            "for at se, hvad jeg kan (tal vælger de viste valg; /quit afslutter). Type /lang en for English.",
        },
        "file_saved": {"en": "(file saved: {path})", "da": "(fil gemt: {path})"},
    }
)


class ConsoleChannel:
    """One console user; numbered choices stand in for buttons."""

    def __init__(self, runtime: Runtime, user: str, out: TextIO = sys.stdout) -> None:
        self.runtime, self.user, self.out = runtime, user, out
        self.identity = Identity(Channel.CONSOLE, user, user)
        self.choices: dict[int, Button] = {}
        self.lang: Lang | None = None
        """The person's saved language (``None``: they write in either), for the console's own words."""
        self._counter = 0
        self.delivery = OutboxDelivery(runtime, Channel.CONSOLE, self._deliver, chat_id=user)

    def to_incoming(self, line: str) -> Incoming:
        """A typed line; a number that matches a shown choice presses that button."""
        stripped = line.strip()
        if stripped.isdigit() and int(stripped) in self.choices:
            return Incoming(
                self.identity,
                text=stripped,
                action=self.choices[int(stripped)].action,
                display_name=self.user,
            )
        self._counter += 1
        return Incoming(self.identity, text=line, display_name=self.user, event_id=None, message_ref=str(self._counter))

    def render(self, replies: Iterable[Reply], *, fresh: bool = True) -> str:
        """Replies as terminal text; buttons become ``[1] Label`` choices, files are saved.

        ``fresh`` starts the numbering again. Numbers press the choices printed last: a message
        from someone else that brings buttons (a rating, a card) numbers them from 1 too, so
        typing the "5" one reads presses the button labelled 5.
        """
        if fresh or any(row for reply in replies for row in reply.buttons):
            self.choices = {}
        blocks: list[str] = []
        for reply in replies:
            lines = [to_plain(reply.text)]
            lang = self.lang or language.detect(lines[0]) or self.runtime.settings.default_language
            for row in reply.buttons:
                for button in row:
                    if button.url:
                        lines.append(f"  {button.label}: {button.url}")
                    else:
                        number = len(self.choices) + 1
                        self.choices[number] = button
                        lines.append(f"  [{number}] {button.label}")
            for attachment in reply.attachments:
                path = self._save(attachment.filename, attachment.content)
                lines.append("  " + TEXTS(lang, "file_saved", path=path))
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks)

    def _save(self, filename: str, content: bytes) -> Path:
        folder = self.runtime.settings.files_dir
        folder.mkdir(parents=True, exist_ok=True)
        stem, dot, ext = _SAFE_NAME.sub("_", filename).rpartition(".")
        path = folder / filename
        n = 1
        while path.exists():
            path = folder / f"{stem}-{n}{dot}{ext}"
            n += 1
        path.write_bytes(content)
        return path.resolve()

    def _print(self, text: str) -> None:
        if text:
            print(text + "\n", file=self.out, flush=True)

    async def _deliver(self, address: Address, reply: Reply) -> str | None:
        if reply.edit:
            # A terminal cannot change what it printed: a short line says what changed instead
            # (a card that was claimed or resolved elsewhere), with its new choices.
            first, _, _ = reply.text.partition("\n")
            self._print(self.render([Reply(first, buttons=reply.buttons)], fresh=False))
            return address.thread_id
        self._print(self.render([reply], fresh=False))
        return secrets.token_hex(8)  # an id, so a card printed here can be followed up

    async def saved_language(self) -> Lang | None:
        async with self.runtime.sessions() as session:
            person = await repos.find_person(session, Channel.CONSOLE.value, self.user)
        return Lang(person.language) if person is not None and person.language else None

    async def greet(self) -> None:
        """One line on start, so the prompt is never bare."""
        self.lang = await self.saved_language()
        self._print(TEXTS(self.lang or self.runtime.settings.default_language, "greeting"))

    async def say(self, line: str) -> None:
        """Handle one typed line and print the answers (and anything queued for this user)."""
        replies = await self.runtime.handle(self.to_incoming(line))
        self.lang = await self.saved_language()
        self._print(self.render(replies))
        await self.delivery.run_once()

    async def run_piped(self, lines: Iterable[str], listen: float = 0.0) -> None:
        for line in lines:
            await self.say(line.rstrip("\r\n"))
        await self.runtime.run_due_jobs()
        await self.delivery.run_once()
        if listen > 0:
            stop = asyncio.Event()
            task = asyncio.create_task(self.delivery.run_forever(stop))
            await asyncio.sleep(listen)
            stop.set()
            await task

    async def run_interactive(self) -> None:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.history import FileHistory, InMemoryHistory
        from prompt_toolkit.patch_stdout import patch_stdout

        history_file = Path.home() / ".cedbot_history"
        try:
            history: FileHistory | InMemoryHistory = FileHistory(str(history_file))
        except OSError:
            history = InMemoryHistory()
        session: PromptSession[str] = PromptSession(history=history)
        self.runtime.knowledge.preload()  # while the person types
        stop = asyncio.Event()
        background = [
            asyncio.create_task(self.delivery.run_forever(stop)),
            asyncio.create_task(self.runtime.run_jobs_forever(stop)),
        ]
        try:
            await self.greet()
            with patch_stdout():
                while True:
                    try:
                        line = await session.prompt_async(f"{self.user}> ")
                    except (EOFError, KeyboardInterrupt):
                        break
                    if line.strip() in {"/quit", "/exit"}:
                        break
                    await self.say(line)
        finally:
            stop.set()
            await asyncio.gather(*background, return_exceptions=True)
