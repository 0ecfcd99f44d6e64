"""A small feature used by the core tests: a two-step flow, a button, an error, a notification."""

from __future__ import annotations

from bot.context import Context
from bot.payload import Payload
from bot.router import Result, Router
from bot.states import State, States
from bot.types import Address, Channel, Reply
from storage import repos

demo = Router("demo")


class Ask(States, prefix="demo"):
    name = State()
    city = State()


class Cancel(Payload, feature="demo", verb="cancel"):
    pass


@demo.command("ask")
async def ask(ctx: Context) -> Result:
    await ctx.flow.start(Ask.name)
    return Reply("What is your name?", buttons=[[Cancel().button("Cancel")]])


@demo.state(Ask)
async def ask_step(ctx: Context) -> Result:
    if ctx.flow.at(Ask.name):
        if len(ctx.args) < 2:
            return Reply("A name has at least two letters. What is your name?")
        await ctx.flow.goto(Ask.city, name=ctx.args)
        return Reply("Which city?")
    name = ctx.flow.data["name"]
    await ctx.flow.clear()
    return Reply(f"Hello {name} from {ctx.args}")


@demo.button(Cancel)
async def cancel(ctx: Context, _: Cancel) -> Result:
    await ctx.flow.clear()
    return Reply("Stopped.")


@demo.command("boom")
async def boom(ctx: Context) -> Result:
    repos.log_message(ctx.session, ctx.person.id, "in", "console", "x", "written before the error", ctx.now)
    raise RuntimeError("kaput")


@demo.command("tell")
async def tell(ctx: Context) -> Result:
    ctx.notify(Address(Channel.CONSOLE, ctx.args.split()[0]), Reply("psst"))
    if "fail" in ctx.args:
        raise RuntimeError("rolled back")
    return Reply("sent")
