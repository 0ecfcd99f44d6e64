"""Free-text questions. Until the knowledge base is in place the answer is honest: not yet."""

from __future__ import annotations

from bot.context import Context
from bot.i18n import Texts
from bot.router import Result, Router
from bot.types import Reply

router = Router("faq")

TEXTS = Texts(
    {
        "not_yet": {
            "en": "I can't answer questions yet: my knowledge base is still being written. "
            "Type /help to see what I can do.",
            "da": "Jeg kan ikke besvare spørgsmål endnu: min vidensbase er ved at blive skrevet. "
            "Skriv /help for at se, hvad jeg kan.",
        },
    }
)


@router.text()
async def answer(ctx: Context) -> Result:
    return Reply(ctx.t(TEXTS, "not_yet"))
