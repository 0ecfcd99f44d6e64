"""A small feature used by the core tests: a two-step flow, a button, an error, a notification."""

from __future__ import annotations

from bot.context import Context
from bot.router import UNHANDLED, Result, Router
from bot.types import Address, Button, Channel, Reply
from storage import repos

demo = Router("demo")


@demo.command("ask")
async def ask(ctx: Context) -> Result:
    await ctx.flow.start("demo.name")
    return Reply("What is your name?", buttons=[[Button("Cancel", "demo:cancel")]])


@demo.state("demo")
async def ask_step(ctx: Context) -> Result:
    if ctx.flow.state == "demo.name":
        if len(ctx.args) < 2:
            return Reply("A name has at least two letters. What is your name?")
        await ctx.flow.goto("demo.city", name=ctx.args)
        return Reply("Which city?")
    name = ctx.flow.data["name"]
    await ctx.flow.clear()
    return Reply(f"Hello {name} from {ctx.args}")


@demo.action("demo")
async def demo_action(ctx: Context) -> Result:
    if ctx.action_args == ["cancel"]:
        await ctx.flow.clear()
        return Reply("Stopped.")
    return UNHANDLED


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
