"""Sign-in links and who may sign in; shared by the chat command, the command line and the pages."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from bot.context import Notifier
from bot.settings import Settings
from bot.types import Address, Channel, Lang, Reply
from handlers.desk.texts import CHAT
from storage import desk as db

LINK_VALID = timedelta(minutes=10)


def may_sign_in(settings: Settings, identity: str) -> bool:
    return identity in settings.advisers or identity in settings.admins


def own_address(identity: str) -> Address:
    """The adviser's private chat: a Slack user id opens the app's DM; a Telegram user id is
    the private chat; a console user is their own console."""
    channel, _, user = identity.partition(":")
    return Address(Channel(channel), user)


async def make_link(n: Notifier, identity: str, lang: Lang) -> str:
    """A fresh one-time sign-in URL for ``identity`` (the desk must be on)."""
    assert n.settings.public_url is not None
    token = await db.new_link(n.session, identity, n.now, LINK_VALID)
    return f"{n.settings.public_url}/desk/signin/{token}?{urlencode({'lang': lang.value})}"


async def send_link(n: Notifier, identity: str, lang: Lang) -> None:
    """Queue the link for the adviser's private chat, in the same transaction that made it."""
    url = await make_link(n, identity, lang)
    n.notify(own_address(identity), Reply(CHAT(lang, "link", url=url)))
