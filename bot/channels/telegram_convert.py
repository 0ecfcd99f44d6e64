"""Telegram conversion, pure functions: Bot API updates to :class:`Incoming`, replies to HTML messages."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from telegram.constants import MessageLimit

from bot import markup
from bot.types import Attachment, AttachmentKind, Button, Channel, Identity, Incoming, Reply

LIMIT = MessageLimit.MAX_TEXT_LENGTH  # 4096
_GROUPS = {"group", "supergroup"}


def to_incoming(payload: Mapping[str, Any], *, bot_username: str = "", bot_id: int = 0) -> Incoming | None:
    """One Bot API update as the core sees it; None for what the assistant ignores.

    Private chats pass everything. In groups only commands, messages that mention the bot
    and replies to the bot's own messages pass; other chatter stays between the people.
    """
    event_id = f"tg:{payload['update_id']}" if "update_id" in payload else None
    if "callback_query" in payload:
        return _pressed(payload["callback_query"], event_id)
    message = payload.get("message")
    if not isinstance(message, Mapping) or "from" not in message or message["from"].get("is_bot"):
        return None
    text = str(message.get("text") or message.get("caption") or "")
    entities = message.get("entities") or message.get("caption_entities") or []
    group = message["chat"].get("type") in _GROUPS
    if group and not _addressed(message, text, entities, bot_username, bot_id):
        return None
    if text.startswith("/") and not _command_is_ours(text, bot_username):
        return None
    reply_to = message.get("reply_to_message")
    return Incoming(
        _identity(message["from"], message["chat"]),
        text=_strip_bot_name(text, bot_username),
        event_id=event_id,
        display_name=_name(message["from"]),
        reply_to_ref=str(reply_to["message_id"]) if isinstance(reply_to, Mapping) else None,
        raw=payload,
    )


def _pressed(query: Mapping[str, Any], event_id: str | None) -> Incoming | None:
    data = query.get("data")
    if not data:
        return None  # a game or an inline-mode button: nothing of ours
    message = query.get("message") or {}
    chat = message.get("chat") or {"id": query["from"]["id"]}
    return Incoming(
        _identity(query["from"], chat),
        text="",
        action=str(data),
        event_id=event_id,
        display_name=_name(query["from"]),
        message_ref=str(message["message_id"]) if "message_id" in message else None,
        raw=query,
    )


def _identity(user: Mapping[str, Any], chat: Mapping[str, Any]) -> Identity:
    return Identity(Channel.TELEGRAM, str(user["id"]), str(chat["id"]))


def _name(user: Mapping[str, Any]) -> str | None:
    name = " ".join(p for p in (user.get("first_name"), user.get("last_name")) if p)
    return name or user.get("username") or None


def _addressed(
    message: Mapping[str, Any], text: str, entities: Sequence[Mapping[str, Any]], username: str, bot_id: int
) -> bool:
    if text.startswith("/"):
        return True
    reply_to = message.get("reply_to_message")
    if isinstance(reply_to, Mapping) and (reply_to.get("from") or {}).get("id") == bot_id:
        return True  # e.g. an adviser answering a ticket card the bot posted
    for entity in entities:
        if entity.get("type") == "text_mention" and (entity.get("user") or {}).get("id") == bot_id:
            return True
        if entity.get("type") == "mention" and username:
            # Offsets count UTF-16 units; the text is re-encoded to cut at the same place.
            u16 = text.encode("utf-16-le")
            start, length = entity["offset"] * 2, entity["length"] * 2
            if u16[start : start + length].decode("utf-16-le").lower() == f"@{username.lower()}":
                return True
    return False


def _command_is_ours(text: str, username: str) -> bool:
    """``/help@OtherBot`` in a group is meant for another bot."""
    head = text.split(maxsplit=1)[0]
    _, at, target = head.partition("@")
    return not at or not username or target.lower() == username.lower()


def _strip_bot_name(text: str, username: str) -> str:
    if not username:
        return text.strip()
    text = re.sub(rf"^(/\w+)@{re.escape(username)}\b", r"\1", text, flags=re.I)
    text = re.sub(rf"(?<!\w)@{re.escape(username)}\b[,:]?", " ", text, flags=re.I)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One Bot API message: HTML text (or a file) and maybe an inline keyboard."""

    text: str = ""
    keyboard: list[list[dict[str, str]]] | None = None
    attachment: Attachment | None = None

    @property
    def method(self) -> str:
        if self.attachment is None:
            return "sendMessage"
        return "sendPhoto" if self.attachment.kind is AttachmentKind.IMAGE else "sendDocument"


def to_html(text: str) -> str:
    """Neutral markup as Telegram HTML; every piece of text is escaped."""
    return markup.render(
        text,
        plain=_esc,
        bold=lambda s: f"<b>{_esc(s)}</b>",
        link=lambda label, url: f'<a href="{html.escape(url, quote=True)}">{_esc(label)}</a>',
    )


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def render(reply: Reply, limit: int = LIMIT) -> list[Outgoing]:
    """A reply as messages: text split at the limit (buttons on the last part), then files."""
    chunks = split_html([to_html(line) for line in reply.text.split("\n")], limit)
    keyboard = keyboard_of(reply.buttons)
    out = [Outgoing(chunk) for chunk in chunks[:-1]]
    out.append(Outgoing(chunks[-1], keyboard))
    out.extend(Outgoing(attachment=a) for a in reply.attachments)
    return out


def keyboard_of(rows: Sequence[Sequence[Button]]) -> list[list[dict[str, str]]] | None:
    keyboard = [[_button(b) for b in row] for row in rows if row]
    return keyboard or None


def _button(button: Button) -> dict[str, str]:
    if button.url:
        return {"text": button.label, "url": button.url}
    return {"text": button.label, "callback_data": button.action}


def split_html(lines: Sequence[str], limit: int) -> list[str]:
    """Pack rendered lines into parts of at most ``limit`` characters, never inside a tag."""
    parts: list[str] = []
    current = ""
    for line in lines:
        for piece in _cut_line(line, limit):
            candidate = f"{current}\n{piece}" if current else piece
            if len(candidate) <= limit:
                current = candidate
                continue
            if current.strip():
                parts.append(current)
            current = piece
    if current.strip() or not parts:
        parts.append(current or " ")
    return parts


_TAG_OR_WORD = re.compile(r"<a [^>]*>.*?</a>|<b>.*?</b>|&\w+;|\s+|[^\s<&]+|.", re.S)


def _cut_line(line: str, limit: int) -> list[str]:
    """An over-long line, cut between words (a tag or an entity is never cut)."""
    if len(line) <= limit:
        return [line]
    pieces, current = [], ""
    for token in _TAG_OR_WORD.findall(line):
        while len(token) > limit:  # one enormous word: cut it hard (no markup inside)
            pieces.append(current + token[: limit - len(current)])
            token, current = token[limit - len(current) :], ""
        if len(current) + len(token) > limit:
            pieces.append(current)
            current = ""
        current += token
    if current:
        pieces.append(current)
    return pieces
