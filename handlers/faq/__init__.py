"""Free-text questions answered from the curated knowledge base, /topics and /reload.

The FAQ is the last router: whatever no other feature took is a question for it.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from functools import partial

from bot.context import Context
from bot.markup import escape
from bot.router import UNHANDLED, Result, Role, Router
from bot.runtime import Runtime
from bot.types import Button, Reply
from handlers.faq import followup
from handlers.faq.cli import add_cli
from handlers.faq.smalltalk import Talk, small_talk
from handlers.faq.texts import CATEGORIES, TEXTS
from knowledge.base import KnowledgeBase, load_base
from knowledge.engine import Outcome, Thresholds
from knowledge.engine import Result as Match
from knowledge.loader import Entry, KnowledgeError
from knowledge.query import clean, has_words
from storage import faq as repo
from storage.repos import recent_messages

__all__ = ["add_cli", "reload", "router"]

router = Router("faq")
log = logging.getLogger("cedbot.faq")
HANDOFF = "handoff"
CONTACT_ID = "ced-contact"
FOLLOW_UP_WINDOW = timedelta(minutes=30)
"""How long after an answer a short question may lean on it ("and for Silver?")."""


def thresholds(runtime: Runtime) -> Thresholds:
    s = runtime.settings
    return Thresholds(s.faq_answer_threshold, s.faq_choose_threshold, s.faq_margin)


@router.on_startup
async def load_knowledge(runtime: Runtime) -> None:
    runtime.knowledge = await asyncio.to_thread(load_base, runtime.settings.knowledge_dir)
    runtime.state["reload"] = partial(reload, runtime)  # SIGHUP: the same path as /reload


async def rebuild(runtime: Runtime) -> KnowledgeBase | KnowledgeError:
    """Rebuild the index from disk and swap it in; a broken file keeps the old index."""
    try:
        base = await asyncio.to_thread(load_base, runtime.settings.knowledge_dir)
    except KnowledgeError as exc:
        log.warning("knowledge base reload failed, keeping the old index: %s", exc)
        return exc
    runtime.knowledge = base
    log.warning("knowledge base reloaded: %s entries", len(base.entries))
    return base


async def reload(runtime: Runtime) -> str:
    """``/reload`` and SIGHUP: rebuild, and say what happened (for logs and tests)."""
    done = await rebuild(runtime)
    if isinstance(done, KnowledgeError):
        return f"Reload failed; the previous knowledge base stays in use.\n{done}"
    return f"Reloaded {len(done.entries)} entries."


def _base(ctx: Context) -> KnowledgeBase:
    base = ctx.runtime.knowledge
    assert isinstance(base, KnowledgeBase), "the FAQ start-up hook loads the knowledge base"
    return base


def _handoff_button(ctx: Context) -> list[list[Button]]:
    if HANDOFF in ctx.runtime.dispatcher.actions:
        return [[Button(ctx.t(TEXTS, "ask_adviser"), "handoff:start")]]
    return []


def _show_button(label: str, entry_id: str) -> Button | None:
    action = f"faq:show:{entry_id}"
    return Button(label, action) if len(action.encode()) <= 64 else None


def _pick_button(label: str, entry_id: str) -> Button | None:
    """A "did you mean" choice: the answer it opens asks for feedback like any other."""
    action = f"faq:pick:{entry_id}"
    return Button(label, action) if len(action.encode()) <= 64 else None


@router.text()
async def answer(ctx: Context) -> Result:
    query = clean(ctx.args)
    talk = small_talk(query)
    if talk is not None:
        return Reply(ctx.t(TEXTS, f"talk_{talk.value}"), buttons=_talk_buttons(ctx, talk))
    if not has_words(query):  # a number meant for a button that is not on screen
        return Reply(ctx.t(TEXTS, "not_a_question"), buttons=[[Button(ctx.t(TEXTS, "browse_topics"), "faq:topics")]])
    match = await _ask_in_context(ctx, query)
    ctx.runtime.metrics.faq.labels(match.outcome.value).inc()
    if match.outcome is Outcome.ANSWER:
        entry = _base(ctx).get(match.candidates[0].id)
        if entry is not None:
            return await _answer(ctx, entry, query, match.score)
    if match.outcome is Outcome.CHOOSE:
        return _choose(ctx, match)
    repo.record_declined(ctx.session, ctx.person.id, query, ctx.lang.value, match.score, ctx.now)
    return _decline(ctx, abroad=bool(match.abroad))


async def _ask_in_context(ctx: Context, query: str) -> Match:
    """The question, read as a follow-up of the answer given just before when it is one."""
    previous = await repo.last_answer(ctx.session, ctx.person.id, ctx.now - FOLLOW_UP_WINDOW)
    entry = _base(ctx).get(previous.entry_id) if previous is not None else None
    title = entry.title[ctx.lang.value] if entry is not None else None
    return followup.resolve(query, title, lambda q: _base(ctx).ask(q, thresholds(ctx.runtime)))


def _talk_buttons(ctx: Context, talk: Talk) -> list[list[Button]]:
    if talk is Talk.THANKS:
        return []
    return [[Button(ctx.t(TEXTS, "browse_topics"), "faq:topics")]]


async def _answer(ctx: Context, entry: Entry, query: str, score: float) -> Reply:
    row = await repo.record_answer(ctx.session, ctx.person.id, entry.id, query, ctx.lang.value, score, ctx.now)
    reply = render_entry(ctx, entry)
    feedback = [
        Button(ctx.t(TEXTS, "helpful"), f"faq:fb:{row.id}:y"),
        Button(ctx.t(TEXTS, "not_helpful"), f"faq:fb:{row.id}:n"),
    ]
    return Reply(reply.text, buttons=[*reply.buttons, feedback])


def render_entry(ctx: Context, entry: Entry) -> Reply:
    """Title, answer, sources and up to three related topics, in the person's language."""
    lang = ctx.lang.value
    lines = [f"**{escape(entry.title[lang])}**", "", entry.answer[lang]]
    if entry.sources:
        lines += ["", ctx.t(TEXTS, "sources")]
        lines += [f"- [{escape(s.title)}]({s.url})" for s in entry.sources]
    related = []
    for rel_id in entry.related[:3]:
        rel = _base(ctx).get(rel_id)
        button = _show_button(rel.title[lang], rel.id) if rel else None
        if button:
            related.append([button])
    return Reply("\n".join(lines), buttons=related)


def _choose(ctx: Context, match: Match) -> Reply:
    rows = []
    for cand in match.choices(3):
        entry = _base(ctx).get(cand.id)
        button = _pick_button(entry.title[ctx.lang.value], entry.id) if entry else None
        if button:
            rows.append([button])
    return Reply(ctx.t(TEXTS, "did_you_mean"), buttons=rows)


def _decline(ctx: Context, abroad: bool = False) -> Reply:
    text = ctx.t(TEXTS, "decline")
    if abroad:  # say why: the words matched, the country did not
        text = ctx.t(TEXTS, "abroad") + "\n\n" + text
    return Reply(text, buttons=_next_steps(ctx))


def _next_steps(ctx: Context) -> list[list[Button]]:
    """Topics, the contact entry, and a hand-off to an adviser when that feature is present."""
    buttons = [[Button(ctx.t(TEXTS, "browse_topics"), "faq:topics")]]
    contact = _base(ctx).get(CONTACT_ID)
    if contact is not None:
        buttons.append([Button(contact.title[ctx.lang.value], f"faq:show:{CONTACT_ID}")])
    return [*buttons, *_handoff_button(ctx)]


@router.action("faq")
async def on_button(ctx: Context) -> Result:
    args = ctx.action_args
    base = _base(ctx)
    if len(args) == 2 and args[0] == "show" and (entry := base.get(args[1])) is not None:
        return render_entry(ctx, entry)
    if len(args) == 2 and args[0] == "pick" and (entry := base.get(args[1])) is not None:
        return await _answer(ctx, entry, await _asked(ctx), 0.0)
    if len(args) == 3 and args[0] == "fb" and args[1].isdigit() and args[2] in {"y", "n"}:
        return await _feedback(ctx, int(args[1]), args[2] == "y")
    if args == ["topics"]:
        return _categories(ctx)
    if len(args) == 2 and args[0] == "cat" and args[1] in base.categories():
        return _category(ctx, args[1])
    return UNHANDLED


async def _asked(ctx: Context) -> str:
    """The question a "did you mean" choice answers: the person's last typed message."""
    for row in reversed(await recent_messages(ctx.session, ctx.person.id, limit=10)):
        if row.direction == "in" and not row.text.startswith("[button]"):
            return row.text
    return ""


async def _feedback(ctx: Context, answer_id: int, helpful: bool) -> Result:
    row = await repo.vote(ctx.session, answer_id, ctx.person.id, helpful, ctx.now)
    if row is None:  # not this person's answer: a forged or foreign button
        return UNHANDLED
    if helpful:
        return Reply(ctx.t(TEXTS, "thanks"))
    return Reply(ctx.t(TEXTS, "sorry"), buttons=_next_steps(ctx))


@router.command("topics", help={"en": "browse the knowledge base by topic", "da": "se vidensbasen efter emne"})
async def topics(ctx: Context) -> Result:
    return _categories(ctx)


def _categories(ctx: Context) -> Reply:
    rows = []
    for category, entries in _base(ctx).categories().items():
        label = CATEGORIES.get(category, {}).get(ctx.lang.value, category)
        rows.append([Button(f"{label} ({len(entries)})", f"faq:cat:{category}")])
    return Reply(ctx.t(TEXTS, "topics"), buttons=rows)


def _category(ctx: Context, category: str) -> Reply:
    rows = []
    for entry in _base(ctx).categories()[category]:
        button = _show_button(entry.title[ctx.lang.value], entry.id)
        if button:
            rows.append([button])
    rows.append([Button(ctx.t(TEXTS, "all_topics"), "faq:topics")])
    return Reply(ctx.t(TEXTS, "pick_topic"), buttons=rows)


@router.command(
    "reload",
    help={"en": "reload the knowledge base from disk", "da": "indlæs vidensbasen igen"},
    role=Role.ADMIN,
)
async def reload_command(ctx: Context) -> Result:
    done = await rebuild(ctx.runtime)
    if isinstance(done, KnowledgeError):
        return Reply(ctx.t(TEXTS, "reload_failed", errors=escape(str(done))))
    return Reply(ctx.t(TEXTS, "reloaded", count=len(done.entries)))
