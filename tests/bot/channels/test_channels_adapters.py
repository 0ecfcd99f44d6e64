"""The channels' pure conversions, on payloads as Telegram and Slack send them."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from bot.channels import slack, telegram
from bot.markup import escape
from bot.types import Attachment, AttachmentKind, Button, Channel, Reply

PAYLOADS = Path(__file__).parent / "payloads"
BOT = {"bot_username": "ced_test_bot", "bot_id": 7000001}


def load(name: str) -> dict[str, Any]:
    return json.loads((PAYLOADS / f"{name}.json").read_text())


# Telegram in ---------------------------------------------------------------------------------


def test_telegram_private_message_passes_with_its_sender() -> None:
    incoming = telegram.to_incoming(load("telegram_private_command"), **BOT)
    assert incoming is not None
    assert (incoming.identity.channel, incoming.identity.user_id, incoming.identity.chat_id) == (
        Channel.TELEGRAM,
        "424242",
        "424242",
    )
    assert incoming.text == "/start"
    assert incoming.event_id == "tg:10000001"
    assert incoming.display_name == "Mette Holm"


def test_telegram_group_command_loses_the_bot_suffix() -> None:
    incoming = telegram.to_incoming(load("telegram_group_command"), **BOT)
    assert incoming is not None and incoming.text == "/label Food & Bio Cluster"
    assert incoming.identity.chat_id == "-1001234567890"


def test_telegram_group_mention_passes_without_the_mention() -> None:
    incoming = telegram.to_incoming(load("telegram_group_mention"), **BOT)
    assert incoming is not None and incoming.text == "Hej 🙂 hvad koster et guldmærke?"


def test_telegram_group_reply_to_a_bot_message_passes_with_its_reference() -> None:
    incoming = telegram.to_incoming(load("telegram_group_reply_to_bot"), **BOT)
    assert incoming is not None and incoming.reply_to_ref == "40"
    assert incoming.text == "I can take this one"


@pytest.mark.parametrize(
    "name", ["telegram_group_chatter", "telegram_group_command_other_bot", "telegram_edited_message"]
)
def test_telegram_ignores_what_is_not_for_the_bot(name: str) -> None:
    assert telegram.to_incoming(load(name), **BOT) is None


def test_telegram_button_press_carries_action_and_card() -> None:
    incoming = telegram.to_incoming(load("telegram_callback_query"), **BOT)
    assert incoming is not None
    assert incoming.action == "probe:yes" and incoming.message_ref == "77"
    assert incoming.identity.chat_id == "424242"


# Telegram out --------------------------------------------------------------------------------


def test_telegram_html_escapes_user_text_and_keeps_markup() -> None:
    reply = Reply(f"**Hi** {escape('<b>x</b> & <a href=evil>')} [CED](https://ced.dk/?a=1&b=2)")
    [message] = telegram.render(reply)
    assert message.text == (
        '<b>Hi</b> &lt;b&gt;x&lt;/b&gt; &amp; &lt;a href=evil&gt; <a href="https://ced.dk/?a=1&amp;b=2">CED</a>'
    )


def test_telegram_buttons_become_an_inline_keyboard() -> None:
    [message] = telegram.render(
        Reply("Pick", buttons=[[Button("Yes", "f:yes"), Button("Site", "", url="https://ced.dk")]])
    )
    assert message.keyboard == [[{"text": "Yes", "callback_data": "f:yes"}, {"text": "Site", "url": "https://ced.dk"}]]


def test_telegram_long_text_is_split_below_the_limit_with_buttons_last() -> None:
    text = "\n".join(f"- item {i} " + "ord & mere " * 20 for i in range(100))
    messages = telegram.render(Reply(text, buttons=[[Button("More", "f:more")]]))
    assert len(messages) > 1
    assert all(len(m.text) <= 4096 for m in messages)
    assert [m.keyboard is not None for m in messages] == [False] * (len(messages) - 1) + [True]
    assert sum(m.text.count("item") for m in messages) == 100


def test_telegram_an_enormous_line_is_cut_between_words() -> None:
    messages = telegram.render(Reply("word " * 3000))
    assert len(messages) == 4 and all(len(m.text) <= 4096 for m in messages)


def test_telegram_files_follow_as_photo_and_document() -> None:
    png = Attachment("c.png", b"x", "image/png", AttachmentKind.IMAGE)
    ics = Attachment("c.ics", b"y", "text/calendar")
    methods = [m.method for m in telegram.render(Reply("Files", attachments=[png, ics]))]
    assert methods == ["sendMessage", "sendPhoto", "sendDocument"]


# Slack in ------------------------------------------------------------------------------------


def test_slack_dm_is_decoded_to_what_was_typed() -> None:
    incoming = slack.to_incoming(load("slack_dm"), bot_user_id="UCEDBOT")
    assert incoming is not None
    assert incoming.text == "What does a <b>Gold</b> label cost? & see this @U0OTHER"
    assert incoming.identity.chat_id == "D0MANAGER" and incoming.identity.user_id == "U0MANAGER"
    assert incoming.event_id == "slack:Ev0DM00001" and incoming.addressed


def test_slack_mention_is_answered_in_its_thread() -> None:
    incoming = slack.to_incoming(load("slack_app_mention"), bot_user_id="UCEDBOT")
    assert incoming is not None and incoming.text == "hvad koster et guldmærke?"
    assert incoming.identity.thread_id == "1764237601.000200"


def test_slack_thread_reply_in_a_channel_is_passed_unaddressed() -> None:
    incoming = slack.to_incoming(load("slack_thread_reply"), bot_user_id="UCEDBOT")
    assert incoming is not None and not incoming.addressed
    assert incoming.reply_to_ref == "1764237650.000250" == incoming.identity.thread_id


@pytest.mark.parametrize("name", ["slack_channel_message", "slack_message_changed", "slack_bot_message"])
def test_slack_ignores_chatter_edits_and_bots(name: str) -> None:
    assert slack.to_incoming(load(name), bot_user_id="UCEDBOT") is None


@pytest.mark.parametrize(
    ("typed", "command"), [("label Food &amp; Bio", "/label Food & Bio"), ("", "/help"), ("help", "/help")]
)
def test_slack_ced_command_maps_to_commands(typed: str, command: str) -> None:
    body = {**load("slack_command"), "text": typed}
    incoming = slack.to_incoming(body)
    assert incoming is not None and incoming.text == command


def test_slack_button_carries_action_and_card() -> None:
    incoming = slack.to_incoming(load("slack_block_actions"))
    assert incoming is not None
    assert incoming.action == "probe:yes" and incoming.message_ref == "1764237600.000900"


# Slack out -----------------------------------------------------------------------------------


def test_slack_user_text_cannot_ping_or_break_formatting() -> None:
    typed = "<!channel> <@U0BOSS> *not bold* & <https://evil|click>"
    message = slack.render(Reply(f"**You said** {escape(typed)} [CED](https://ced.dk)"))
    mrkdwn = message.blocks[0]["text"]["text"]
    assert re.findall(r"<[^>]*>", mrkdwn) == ["<https://ced.dk|CED>"]
    assert "&lt;!channel&gt;" in mrkdwn and "&amp;" in mrkdwn
    assert "<" not in message.text.replace("&lt;", "")


def test_slack_buttons_become_an_actions_block() -> None:
    message = slack.render(Reply("Pick", buttons=[[Button("Yes", "f:yes"), Button("Site", "", url="https://ced.dk")]]))
    actions = message.blocks[-1]
    assert actions["type"] == "actions"
    assert [e.get("value") for e in actions["elements"]] == ["f:yes", None]
    assert actions["elements"][1]["url"] == "https://ced.dk"


def test_slack_long_text_is_split_into_sections() -> None:
    message = slack.render(Reply("\n".join("line " + "x" * 100 for _ in range(100))))
    assert len(message.blocks) > 1
    assert all(len(b["text"]["text"]) <= 3000 for b in message.blocks)
