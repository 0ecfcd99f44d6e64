"""A test-only feature that exercises what the channels must carry: cards, edits, files, echo."""

from __future__ import annotations

from bot.context import Context
from bot.markup import escape
from bot.payload import Payload
from bot.router import Result, Router
from bot.types import Address, Attachment, AttachmentKind, Reply

probe = Router("probe")


class Yes(Payload, feature="probe", verb="yes"):
    pass


class No(Payload, feature="probe", verb="no"):
    """Answered by nobody: pressing it is refused as a stale button."""


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"


@probe.command("card")
async def card(ctx: Context) -> Result:
    return Reply(
        "**Gold label** requires a full assessment. [Read more](https://clusterexcellencedenmark.dk)",
        buttons=[[Yes().button("Helpful"), No().button("Not helpful")]],
    )


@probe.button(Yes)
async def pressed(ctx: Context, _: Yes) -> Result:
    return Reply("Thanks, noted: **helpful**.", edit=True)


@probe.command("echo")
async def echo(ctx: Context) -> Result:
    return Reply(f"You said: {escape(ctx.args)}")


@probe.command("files")
async def files(ctx: Context) -> Result:
    return Reply(
        "Your chart and invite",
        attachments=[
            Attachment("chart.png", PNG, "image/png", AttachmentKind.IMAGE),
            Attachment("course.ics", ICS, "text/calendar"),
        ],
    )


@probe.command("long")
async def long(ctx: Context) -> Result:
    return Reply("\n".join(f"Line {i}: " + "word " * 30 for i in range(200)))


@probe.command("tell")
async def tell(ctx: Context) -> Result:
    """``/tell CHAT text``: a message to someone else, through the outbox."""
    chat, _, text = ctx.args.partition(" ")
    ctx.notify(Address(ctx.incoming.identity.channel, chat), Reply(escape(text)))
    return Reply("queued")
