"""Hand-off to CED advisers: tickets in a queue advisers work from their channel, relayed both ways."""

from __future__ import annotations

from bot.context import Context
from bot.router import Result
from bot.types import Reply
from handlers.handoff import adviser, person
from handlers.handoff.cli import add_cli
from handlers.handoff.common import router
from handlers.handoff.texts import TEXTS

__all__ = ["add_cli", "router"]

_VERBS = {
    "start": lambda ctx: person.begin(ctx, ""),
    "send": person.send,
    "edit": person.edit,
    "abort": person.abort,
    "cancel": person.cancel,
    "rate": person.rate,
    "claim": adviser.claim,
    "resolve": adviser.resolve,
    "draft": adviser.save_draft,
}


@router.action("handoff")
async def on_button(ctx: Context) -> Result:
    verb = ctx.action_args[0] if ctx.action_args else ""
    handler = _VERBS.get(verb)
    if handler is None:
        return Reply(ctx.t(TEXTS, "stale"))
    return await handler(ctx)
