"""Greeting, help, language choice and leaving a flow."""

from __future__ import annotations

from bot.context import Context
from bot.i18n import Texts
from bot.router import UNHANDLED, Result, Role, Router
from bot.types import Lang, Reply

router = Router("start")

TEXTS = Texts(
    {
        "greeting": {
            "en": "Hello{name}! I'm **cedbot**, the assistant of Cluster Excellence Denmark (CED).\n"
            "I can help you with:\n"
            "- answers on cluster management, the cluster excellence labels and funding\n"
            "- your cluster's label status and reminders before it expires\n"
            "- booking a seat on a CED course or a meeting with an adviser\n"
            "- passing your question on to a CED adviser\n"
            "Just write your question, or type /help to see the commands. "
            "Skriv /lang da for dansk.",
            "da": "Hej{name}! Jeg er **cedbot**, assistenten fra Cluster Excellence Denmark (CED).\n"
            "Jeg kan hjælpe dig med:\n"
            "- svar om klyngeledelse, klyngemærkerne (labels) og finansiering\n"
            "- jeres klynges mærkestatus og en påmindelse, før det udløber\n"
            "- at booke en plads på et CED-kursus eller et møde med en rådgiver\n"
            "- at sende dit spørgsmål videre til en rådgiver hos CED\n"
            "Skriv bare dit spørgsmål, eller skriv /help for at se kommandoerne. "
            "Type /lang en for English.",
        },
        "help_title": {"en": "**What I can do**", "da": "**Det kan jeg**"},
        "help_free_text": {
            "en": "Or just ask a question in English or Danish, e.g. 'what does a Gold label require?'",
            "da": "Eller stil bare et spørgsmål på dansk eller engelsk, fx 'hvad koster et bronzemærke?'",
        },
        "help_adviser": {"en": "**For advisers**", "da": "**For rådgivere**"},
        "lang_set": {
            "en": "I'll speak English with you from now on.",
            "da": "Jeg taler dansk med dig fra nu af.",
        },
        "lang_auto": {
            "en": "I'll answer in the language you write in (Danish or English).",
            "da": "Jeg svarer på det sprog, du skriver på (dansk eller engelsk).",
        },
        "lang_now_da": {"en": "I speak Danish with you.", "da": "Jeg taler dansk med dig."},
        "lang_now_en": {"en": "I speak English with you.", "da": "Jeg taler engelsk med dig."},
        "lang_now_auto": {
            "en": "I answer in the language you write in.",
            "da": "Jeg svarer på det sprog, du skriver på.",
        },
        "lang_usage": {
            "en": "Use /lang da for Danish, /lang en for English, or /lang auto to follow your messages.",
            "da": "Brug /lang da for dansk, /lang en for engelsk eller /lang auto for at følge dine beskeder.",
        },
        "cancelled": {
            "en": "Cancelled. What else can I help you with?",
            "da": "Annulleret. Hvad kan jeg ellers hjælpe med?",
        },
        "nothing_to_cancel": {
            "en": "There is nothing to cancel. Type /help to see what I can do.",
            "da": "Der er ikke noget at annullere. Skriv /help for at se, hvad jeg kan.",
        },
    }
)


@router.command("start", help={"en": "greeting and what I can do", "da": "hilsen og hvad jeg kan"})
async def start(ctx: Context) -> Result:
    name = ctx.person.display_name
    return Reply(ctx.t(TEXTS, "greeting", name=f" {name}" if name else ""))


@router.command("help", help={"en": "this list", "da": "denne liste"})
async def help_(ctx: Context) -> Result:
    lines = [ctx.t(TEXTS, "help_title")]
    adviser_lines: list[str] = []
    for cmd in ctx.runtime.dispatcher.visible_commands(ctx):
        assert cmd.help is not None
        usage = f"/{cmd.name}" + (f" {cmd.usage}" if cmd.usage else "")
        line = f"- {usage}: {cmd.help[ctx.lang.value]}"
        (lines if cmd.role is Role.EVERYONE else adviser_lines).append(line)
    if adviser_lines:
        lines += ["", ctx.t(TEXTS, "help_adviser"), *adviser_lines]
    lines += ["", ctx.t(TEXTS, "help_free_text")]
    return Reply("\n".join(lines))


@router.command(
    "lang",
    usage="da|en|auto",
    help={"en": "choose Danish or English", "da": "vælg dansk eller engelsk"},
)
async def lang(ctx: Context) -> Result:
    choice = ctx.args.lower().strip()
    aliases = {"da": "da", "dansk": "da", "danish": "da", "en": "en", "english": "en", "engelsk": "en"}
    if choice in aliases:
        ctx.person.language = aliases[choice]
        ctx.lang = Lang(aliases[choice])
        return Reply(ctx.t(TEXTS, "lang_set"))
    if choice == "auto":
        ctx.person.language = None
        return Reply(ctx.t(TEXTS, "lang_auto"))
    now = ctx.t(TEXTS, f"lang_now_{ctx.person.language or 'auto'}")
    return Reply(f"{now} {ctx.t(TEXTS, 'lang_usage')}")


@router.command("cancel", help={"en": "leave what we are doing", "da": "afbryd det, vi er i gang med"})
async def cancel(ctx: Context) -> Result:
    if await ctx.flow.clear():
        return Reply(ctx.t(TEXTS, "cancelled"))
    offer = await ctx.runtime.dispatcher.offer_cancel(ctx)
    return offer if offer is not UNHANDLED else Reply(ctx.t(TEXTS, "nothing_to_cancel"))
