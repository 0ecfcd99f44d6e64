"""Platform-neutral message types shared by channels, the core and the features."""

from __future__ import annotations

import base64
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


class Channel(enum.StrEnum):
    """Where a person talks to the assistant."""

    SLACK = "slack"
    """A Slack workspace: DMs, mentions, the /ced command and buttons."""
    TELEGRAM = "telegram"
    """A Telegram private chat or group."""
    CONSOLE = "console"
    """The terminal chat for local use and demos."""


class Lang(enum.StrEnum):
    """The languages the assistant speaks."""

    EN = "en"
    """English."""
    DA = "da"
    """Danish."""


@dataclass(frozen=True, slots=True)
class Identity:
    """Who sent a message, and where to answer: a user in a chat (and maybe a thread)."""

    channel: Channel
    user_id: str
    chat_id: str
    thread_id: str | None = None

    @property
    def key(self) -> str:
        """The form used in settings and logs, e.g. ``slack:U123``."""
        return f"{self.channel.value}:{self.user_id}"


@dataclass(frozen=True, slots=True)
class Address:
    """Where a message to someone other than the sender goes."""

    channel: Channel
    chat_id: str
    thread_id: str | None = None

    @classmethod
    def parse(cls, value: str) -> Address:
        """Parse ``channel:chat[:thread]``, as used by ``CEDBOT_ADVISER_CHANNEL``."""
        channel, sep, rest = value.strip().partition(":")
        if not sep or not rest:
            raise ValueError(f"expected CHANNEL:ID (e.g. slack:C0123), got {value!r}")
        try:
            ch = Channel(channel.lower())
        except ValueError:
            raise ValueError(f"unknown channel {channel!r}; use slack, telegram or console") from None
        chat, _, thread = rest.partition(":") if ch is not Channel.SLACK else (rest, "", "")
        return cls(ch, chat, thread or None)

    def __str__(self) -> str:
        return f"{self.channel.value}:{self.chat_id}"


@dataclass(frozen=True, slots=True)
class Incoming:
    """One message or button press, as every channel hands it to the core."""

    identity: Identity
    text: str = ""
    action: str | None = None
    event_id: str | None = None
    display_name: str | None = None
    message_ref: str | None = None
    """The platform id of the message a pressed button sits on (to edit the card)."""
    reply_to_ref: str | None = None
    """The platform id of the message this one answers (Telegram replies, Slack threads)."""
    addressed: bool = True
    """False for channel chatter not aimed at the assistant (a reply in a Slack thread, say):
    only interceptors see it, and nobody answers when none of them takes it."""
    raw: Any = field(default=None, repr=False, compare=False)

    @property
    def is_command(self) -> bool:
        return self.action is None and self.text.startswith("/")


@dataclass(frozen=True, slots=True)
class Button:
    """A button; ``action`` is a packed :class:`bot.payload.Payload` (which checks its length)."""

    label: str
    action: str
    url: str | None = None


class AttachmentKind(enum.StrEnum):
    """How a channel should present an attachment."""

    IMAGE = "image"
    """Shown inline as a picture (a chart)."""
    FILE = "file"
    """Sent as a document (a calendar invite)."""


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a reply."""

    filename: str
    content: bytes = field(repr=False)
    mime_type: str
    kind: AttachmentKind = AttachmentKind.FILE


@dataclass(frozen=True, slots=True)
class Reply:
    """What a handler answers: neutral markup text, button rows and attachments.

    The markup is small on purpose: ``**bold**``, ``[text](url)`` and lines starting with
    ``- `` as list items. Text a user typed must be passed through :func:`bot.markup.escape`
    before it is placed in a reply, so no channel renders it as markup.
    """

    text: str
    buttons: Sequence[Sequence[Button]] = ()
    attachments: Sequence[Attachment] = ()
    edit: bool = False
    """Replace the card the pressed button sat on, instead of sending a new message."""
    in_thread: bool = False
    """Answer in the thread of the message that caused it (Slack mentions)."""
    ref: str | None = None
    """A feature's reference for the sent message (e.g. ``ticket:12``), kept with its id."""

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "buttons": [[[b.label, b.action, b.url] for b in row] for row in self.buttons],
            "attachments": [
                [a.filename, base64.b64encode(a.content).decode(), a.mime_type, a.kind.value] for a in self.attachments
            ],
            "edit": self.edit,
            "in_thread": self.in_thread,
            "ref": self.ref,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reply:
        return cls(
            text=data["text"],
            buttons=tuple(tuple(Button(b[0], b[1], b[2]) for b in row) for row in data["buttons"]),
            attachments=tuple(
                Attachment(a[0], base64.b64decode(a[1]), a[2], AttachmentKind(a[3])) for a in data["attachments"]
            ),
            edit=data.get("edit", False),
            in_thread=data.get("in_thread", False),
            ref=data.get("ref"),
        )
