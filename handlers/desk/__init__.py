"""The adviser desk: server-rendered pages under ``/desk`` in ``cedbot serve``.

Advisers sign in with a one-time link the assistant sends to their own chat (``/desk``, or
``cedbot desk link IDENTITY``). The pages work the same repositories and the same outbox as
the chat: a claim, reply or resolve on the desk is the adviser's own chat action, run through
the runtime, so the person, the card and the log see exactly what a Slack reply would cause.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.context import Context, Notifier
from bot.router import Result, Role, Router
from bot.runtime import Runtime
from bot.types import Reply
from handlers.desk.signin import make_link, own_address, send_link
from handlers.desk.texts import CHAT
from storage import desk as db

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

__all__ = ["router"]

router = Router("desk")


@router.command(
    "desk",
    role=Role.ADVISER,
    help={"en": "a sign-in link to the adviser desk in the browser", "da": "et login-link til rådgiverskrivebordet"},
)
async def desk_command(ctx: Context) -> Result:
    if ctx.settings.public_url is None:
        return Reply(ctx.t(CHAT, "off"))
    ident = ctx.incoming.identity
    if own_address(ident.key).chat_id == ident.chat_id:
        return Reply(ctx.t(CHAT, "link", url=await make_link(ctx, ident.key, ctx.lang)))
    # Asked in a shared channel: the link goes to the private chat, never to the group.
    await send_link(ctx, ident.key, ctx.lang)
    return Reply(ctx.t(CHAT, "link_sent"))


@router.job("desk-purge", every=timedelta(hours=6))
async def purge(n: Notifier) -> None:
    """Drop sign-in links and sessions nobody can use any more (the audit log stays)."""
    await db.purge(n.session, n.now - timedelta(days=1))


@router.web_routes
def mount(runtime: Runtime) -> Sequence[BaseRoute]:
    from handlers.desk.web import routes

    return routes(runtime)
