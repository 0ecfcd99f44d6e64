"""A conversation driver for tests: ``await chat.send("/help")``, then assert on the replies."""

from __future__ import annotations

from bot.markup import to_plain
from bot.runtime import Runtime
from bot.types import Button, Channel, Identity, Incoming, Reply


class Chat:
    """One person talking to the runtime on a channel, as a channel adapter would."""

    def __init__(
        self, runtime: Runtime, user: str, channel: Channel = Channel.CONSOLE, chat_id: str | None = None
    ) -> None:
        self.runtime = runtime
        self.identity = Identity(channel, user, chat_id or user)
        self.replies: list[Reply] = []
        self.history: list[Reply] = []

    async def send(self, text: str, *, event_id: str | None = None) -> list[Reply]:
        return await self._handle(Incoming(self.identity, text=text, event_id=event_id, display_name=None))

    async def press(self, label_or_action: str) -> list[Reply]:
        """Press a button shown in the last replies, by (part of) its label or its exact action."""
        button = self.button(label_or_action)
        return await self._handle(Incoming(self.identity, action=button.action))

    async def press_action(self, action: str) -> list[Reply]:
        """Send a button payload directly (as a forged or stale button would)."""
        return await self._handle(Incoming(self.identity, action=action))

    async def _handle(self, incoming: Incoming) -> list[Reply]:
        self.replies = await self.runtime.handle(incoming)
        self.history.extend(self.replies)
        return self.replies

    def buttons(self) -> list[Button]:
        return [b for r in self.replies for row in r.buttons for b in row]

    def button(self, label_or_action: str) -> Button:
        for b in self.buttons():
            if b.action == label_or_action or label_or_action.lower() in b.label.lower():
                return b
        raise AssertionError(f"no button {label_or_action!r} in {[b.label for b in self.buttons()]}")

    def text(self) -> str:
        """All replies of the last message, as plain text."""
        return "\n\n".join(to_plain(r.text) for r in self.replies)

    def last_text(self) -> str:
        return to_plain(self.replies[-1].text) if self.replies else ""
