"""Slack conversion, pure functions: events, /ced and button presses to :class:`Incoming`; replies as Block Kit."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot import markup
from bot.types import Button, Channel, Identity, Incoming, Reply

COMMAND = "/ced"
SECTION_LIMIT = 3000  # characters of mrkdwn in one section block
# Chatter that is not a person writing a message: edits, joins, topic changes, bots...
_USER_SUBTYPES = {None, "file_share", "thread_broadcast"}


def to_incoming(body: Mapping[str, Any], *, bot_user_id: str = "") -> Incoming | None:
    """A Slack request body as the core sees it; None for what the assistant ignores.

    Direct messages and mentions are addressed to the assistant; a reply in a channel
    thread passes as ``addressed=False`` (only a live hand-off relays it).
    """
    if "command" in body:
        return _command(body)
    if body.get("type") == "block_actions":
        return _action(body)
    if body.get("type") == "event_callback":
        event = body.get("event") or {}
        if event.get("type") == "app_mention":
            return _mention(event, body.get("event_id"), bot_user_id)
        if event.get("type") == "message":
            return _message(event, body.get("event_id"), bot_user_id)
    return None


def _message(event: Mapping[str, Any], event_id: str | None, bot_user_id: str) -> Incoming | None:
    if event.get("subtype") not in _USER_SUBTYPES or event.get("bot_id") or not event.get("user"):
        return None
    if event["user"] == bot_user_id:
        return None
    thread_ts = event.get("thread_ts")
    if event.get("channel_type") == "im":
        return _incoming(event, event_id, text=plain_text(event.get("text", "")), thread=thread_ts)
    if event.get("channel_type") not in {"channel", "group"} or not thread_ts or thread_ts == event.get("ts"):
        return None  # channel chatter outside a thread is none of the assistant's business
    if bot_user_id and f"<@{bot_user_id}" in event.get("text", ""):
        return None  # the app_mention event for the same message answers it
    return _incoming(
        event,
        event_id,
        text=plain_text(event.get("text", "")),
        thread=thread_ts,
        reply_to_ref=thread_ts,
        addressed=False,
    )


def _mention(event: Mapping[str, Any], event_id: str | None, bot_user_id: str) -> Incoming | None:
    if event.get("bot_id") or not event.get("user") or event["user"] == bot_user_id:
        return None
    text = str(event.get("text", ""))
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(\|[^>]*)?>[,:]?", " ", text)
    # A mention is answered in its thread: a new one if it was said in the channel itself.
    thread = event.get("thread_ts") or event.get("ts")
    return _incoming(event, event_id, text=plain_text(text), thread=thread, reply_to_ref=event.get("thread_ts"))


def _incoming(
    event: Mapping[str, Any],
    event_id: str | None,
    *,
    text: str,
    thread: str | None,
    reply_to_ref: str | None = None,
    addressed: bool = True,
) -> Incoming:
    return Incoming(
        Identity(Channel.SLACK, str(event["user"]), str(event["channel"]), thread),
        text=text,
        event_id=f"slack:{event_id}" if event_id else None,
        reply_to_ref=reply_to_ref,
        addressed=addressed,
        raw=event,
    )


def _command(body: Mapping[str, Any]) -> Incoming | None:
    """``/ced label Foo`` is the command ``/label Foo``; a bare ``/ced`` asks for help."""
    if body.get("command") != COMMAND:
        return None
    words = str(body.get("text") or "").strip().lstrip("/")
    return Incoming(
        Identity(Channel.SLACK, str(body["user_id"]), str(body["channel_id"])),
        text="/" + plain_text(words or "help"),
        display_name=body.get("user_name") or None,
        raw=body,
    )


def _action(body: Mapping[str, Any]) -> Incoming | None:
    actions = body.get("actions") or []
    value = actions[0].get("value") if actions else None
    if not value:
        return None  # a link button: Slack opened the link, nothing to do
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    user = body["user"]
    return Incoming(
        Identity(Channel.SLACK, str(user["id"]), str(channel), message.get("thread_ts")),
        action=str(value),
        display_name=user.get("name") or user.get("username") or None,
        message_ref=container.get("message_ts") or message.get("ts"),
        raw=body,
    )


_SLACK_REF = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def plain_text(text: str) -> str:
    """Slack's message text as typed: ``<@U1>`` -> ``@U1``, links by their label, entities decoded."""

    def ref(m: re.Match[str]) -> str:
        target, label = m.group(1), m.group(2)
        if target[:1] in {"@", "#"}:
            return target[0] + (label or target[1:])
        if target.startswith("!"):
            return "@" + (label or target[1:].split("^")[0])
        return label or target

    text = _SLACK_REF.sub(ref, text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


def escape_mrkdwn(text: str) -> str:
    """The three characters Slack reads as control sequences; escaped, ``<!channel>`` pings no one."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(text: str) -> str:
    return markup.render(
        text,
        plain=escape_mrkdwn,
        # A '*' inside bold would end it early: a look-alike keeps the span whole.
        bold=lambda s: f"*{escape_mrkdwn(s).replace('*', '∗')}*",
        link=lambda label, url: f"<{escape_mrkdwn(url)}|{escape_mrkdwn(label).replace('|', '¦')}>",
    )


@dataclass(frozen=True, slots=True)
class Message:
    """One ``chat.postMessage`` body: fallback text (notifications) and Block Kit blocks."""

    text: str
    blocks: list[dict[str, Any]]


def render(reply: Reply) -> Message:
    """A reply as Block Kit: sections of mrkdwn, then one actions block per button row."""
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": part}} for part in _sections(to_mrkdwn(reply.text))
    ]
    for r, row in enumerate(reply.buttons):
        if row:
            elements = [_button(b, r, i) for i, b in enumerate(row)]
            blocks.append({"type": "actions", "block_id": f"row{r}", "elements": elements})
    fallback = escape_mrkdwn(markup.to_plain(reply.text))[:3000]
    return Message(fallback, blocks[:50])


def _button(button: Button, row: int, index: int) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": button.label[:75], "emoji": True},
        "action_id": f"cedbot-{row}-{index}",
    }
    if button.url:
        element["url"] = button.url
    else:
        element["value"] = button.action
    return element


def _sections(text: str) -> list[str]:
    """Lines packed into sections of at most SECTION_LIMIT characters."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        for piece in _cut(line):
            candidate = f"{current}\n{piece}" if current else piece
            if len(candidate) > SECTION_LIMIT:
                parts.append(current)
                candidate = piece
            current = candidate
    parts.append(current)
    return [p for p in parts if p.strip()] or ["\u200b"]


def _cut(line: str) -> list[str]:
    pieces: list[str] = []
    while len(line) > SECTION_LIMIT:
        cut = line.rfind(" ", 0, SECTION_LIMIT)
        cut = cut if cut > 0 else SECTION_LIMIT
        pieces.append(line[:cut])
        line = line[cut:].lstrip()
    return [*pieces, line]
