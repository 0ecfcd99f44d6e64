"""The terminal channel: interactive with a prompt and history, or scripted through a pipe."""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from bot.markup import to_plain
from bot.outbox import OutboxDelivery
from bot.runtime import Runtime
from bot.types import Address, Button, Channel, Identity, Incoming, Reply

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class ConsoleChannel:
    """One console user; numbered choices stand in for buttons."""

    def __init__(self, runtime: Runtime, user: str, out: TextIO = sys.stdout) -> None:
        self.runtime, self.user, self.out = runtime, user, out
        self.identity = Identity(Channel.CONSOLE, user, user)
        self.choices: dict[int, Button] = {}
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

        ``fresh`` starts the numbering again (an answer to what the user typed); a message that
        arrives from someone else adds its buttons after the ones already on screen, so the
        numbers the user is looking at keep working.
        """
        if fresh:
            self.choices = {}
        blocks: list[str] = []
        for reply in replies:
            lines = [to_plain(reply.text)]
            for row in reply.buttons:
                for button in row:
                    if button.url:
                        lines.append(f"  {button.label}: {button.url}")
                    else:
                        number = len(self.choices) + 1
                        self.choices[number] = button
                        lines.append(f"  [{number}] {button.label}")
            for attachment in reply.attachments:
                lines.append(f"  (file saved: {self._save(attachment.filename, attachment.content)})")
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
        self._print(self.render([reply], fresh=False))
        return None

    async def say(self, line: str) -> None:
        """Handle one typed line and print the answers (and anything queued for this user)."""
        replies = await self.runtime.handle(self.to_incoming(line))
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
