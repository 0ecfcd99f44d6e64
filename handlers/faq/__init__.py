"""Free-text questions answered from the curated knowledge base, /topics and /reload.

The FAQ is the last router: whatever no other feature took is a question for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.context import Context
from bot.markup import escape
from bot.payload import PayloadError
from bot.router import UNHANDLED, Result, Role, Router
from bot.runtime import Runtime
from bot.types import Button, Lang, Reply
from handlers.capabilities import ASK_ADVISER, READ_TOPIC
from handlers.faq import followup
from handlers.faq.buttons import Category, Feedback, Pick, ShowEntry, Topics
from handlers.faq.smalltalk import Talk, small_talk
from handlers.faq.texts import CATEGORIES, TEXTS
from knowledge.loader import Entry, KnowledgeError
from knowledge.query import clean, has_words
from storage import faq as repo
from storage.repos import recent_messages

if TYPE_CHECKING:  # the engine (numpy, rapidfuzz) is imported where the index is built
    from knowledge.base import KnowledgeBase
    from knowledge.engine import Result as Match
    from knowledge.engine import Thresholds

__all__ = ["reload", "router"]

router = Router("faq")
log = logging.getLogger("cedbot.faq")
CONTACT_ID = "ced-contact"
FOLLOW_UP_WINDOW = timedelta(minutes=30)
"""How long after an answer a short question may lean on it ("and for Silver?")."""


def thresholds(runtime: Runtime) -> Thresholds:
    from knowledge.engine import Thresholds

    s = runtime.settings
    return Thresholds(s.faq_answer_threshold, s.faq_choose_threshold, s.faq_margin)


def load_base(folder: Path | None) -> KnowledgeBase:
    from knowledge.base import load_base

    return load_base(folder)


@router.on_startup
async def load_knowledge(runtime: Runtime) -> None:
    """Loaded when first needed (or preloaded): commands answer at once, a question waits for it."""
    runtime.knowledge.load_with(lambda: asyncio.to_thread(load_base, runtime.settings.knowledge_dir))


@router.on_reload
async def reload(runtime: Runtime, lang: Lang | None = None) -> str:
    """Rebuild the index from disk (``/reload``, SIGHUP); a broken file keeps the old index."""
    lang = lang or runtime.settings.default_language
    with contextlib.suppress(KnowledgeError):  # a failed first load: this one may succeed
        await runtime.knowledge.ready()
    try:
        base = await asyncio.to_thread(load_base, runtime.settings.knowledge_dir)
    except KnowledgeError as exc:
        log.warning("knowledge base reload failed, keeping the old index: %s", exc)
        return TEXTS(lang, "reload_failed", errors=escape(str(exc)))
    runtime.knowledge.use(base)
    log.warning("knowledge base reloaded: %s entries", len(base.entries))
    return TEXTS(lang, "reloaded", count=len(base.entries))


@router.health("knowledge")
def knowledge_health(runtime: Runtime) -> tuple[bool, str]:
    return (True, "loaded") if runtime.knowledge.loaded else (False, "not loaded")


def _base(ctx: Context) -> KnowledgeBase:
    return ctx.runtime.knowledge.base


def _handoff_button(ctx: Context) -> list[list[Button]]:
    ask_adviser = ctx.capability(ASK_ADVISER)
    return [[ask_adviser(ctx.t(TEXTS, "ask_adviser"))]] if ask_adviser else []


def _show_button(label: str, entry_id: str) -> Button | None:
    try:
        return ShowEntry(entry_id).button(label)
    except PayloadError:  # an id too long for a button: the entry is still found by asking
        return None


def _pick_button(label: str, entry_id: str) -> Button | None:
    try:
        return Pick(entry_id).button(label)
    except PayloadError:
        return None


router.provide(READ_TOPIC, _show_button)


@router.text()
async def answer(ctx: Context) -> Result:
    from knowledge.engine import Outcome

    await ctx.runtime.knowledge.ready()
    query = clean(ctx.args)
    talk = small_talk(query)
    if talk is not None:
        return Reply(ctx.t(TEXTS, f"talk_{talk.value}"), buttons=_talk_buttons(ctx, talk))
    if not has_words(query):  # a number meant for a button that is not on screen
        return Reply(ctx.t(TEXTS, "not_a_question"), buttons=[[Topics().button(ctx.t(TEXTS, "browse_topics"))]])
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
    return [[Topics().button(ctx.t(TEXTS, "browse_topics"))]]


async def _answer(ctx: Context, entry: Entry, query: str, score: float) -> Reply:
    row = await repo.record_answer(ctx.session, ctx.person.id, entry.id, query, ctx.lang.value, score, ctx.now)
    reply = render_entry(ctx, entry)
    feedback = [
        Feedback(row.id, helpful=True).button(ctx.t(TEXTS, "helpful")),
        Feedback(row.id, helpful=False).button(ctx.t(TEXTS, "not_helpful")),
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
    buttons = [[Topics().button(ctx.t(TEXTS, "browse_topics"))]]
    contact = _base(ctx).get(CONTACT_ID)
    if contact is not None:
        buttons.append([ShowEntry(CONTACT_ID).button(contact.title[ctx.lang.value])])
    return [*buttons, *_handoff_button(ctx)]


@router.button(ShowEntry)
async def show(ctx: Context, pressed: ShowEntry) -> Result:
    await ctx.runtime.knowledge.ready()
    entry = _base(ctx).get(pressed.entry_id)
    return UNHANDLED if entry is None else render_entry(ctx, entry)


@router.button(Pick)
async def pick(ctx: Context, pressed: Pick) -> Result:
    await ctx.runtime.knowledge.ready()
    entry = _base(ctx).get(pressed.entry_id)
    return UNHANDLED if entry is None else await _answer(ctx, entry, await _asked(ctx), 0.0)


async def _asked(ctx: Context) -> str:
    """The question a "did you mean" choice answers: the person's last typed message."""
    for row in reversed(await recent_messages(ctx.session, ctx.person.id, limit=10)):
        if row.direction == "in" and not row.text.startswith("[button]"):
            return row.text
    return ""


@router.button(Feedback)
async def feedback(ctx: Context, pressed: Feedback) -> Result:
    await ctx.runtime.knowledge.ready()
    row = await repo.vote(ctx.session, pressed.answer_id, ctx.person.id, pressed.helpful, ctx.now)
    if row is None:  # not this person's answer: a forged or foreign button
        return UNHANDLED
    if pressed.helpful:
        return Reply(ctx.t(TEXTS, "thanks"))
    return Reply(ctx.t(TEXTS, "sorry"), buttons=_next_steps(ctx))


@router.button(Topics)
async def all_topics(ctx: Context, _: Topics) -> Result:
    await ctx.runtime.knowledge.ready()
    return _categories(ctx)


@router.button(Category)
async def category(ctx: Context, pressed: Category) -> Result:
    await ctx.runtime.knowledge.ready()
    if pressed.category not in _base(ctx).categories():
        return UNHANDLED
    return _category(ctx, pressed.category)


@router.command("topics", help={"en": "browse the knowledge base by topic", "da": "se vidensbasen efter emne"})
async def topics(ctx: Context) -> Result:
    await ctx.runtime.knowledge.ready()
    return _categories(ctx)


def _categories(ctx: Context) -> Reply:
    rows = []
    for category, entries in _base(ctx).categories().items():
        label = CATEGORIES.get(category, {}).get(ctx.lang.value, category)
        rows.append([Category(category).button(f"{label} ({len(entries)})")])
    return Reply(ctx.t(TEXTS, "topics"), buttons=rows)


def _category(ctx: Context, category: str) -> Reply:
    rows = []
    for entry in _base(ctx).categories()[category]:
        button = _show_button(entry.title[ctx.lang.value], entry.id)
        if button:
            rows.append([button])
    rows.append([Topics().button(ctx.t(TEXTS, "all_topics"))])
    return Reply(ctx.t(TEXTS, "pick_topic"), buttons=rows)


@router.command(
    "reload",
    help={"en": "reload the knowledge base from disk", "da": "indlæs vidensbasen igen"},
    role=Role.ADMIN,
)
async def reload_command(ctx: Context) -> Result:
    """The same hooks SIGHUP runs: every feature that reloads something from disk."""
    return Reply("\n".join(await ctx.runtime.reload(ctx.lang)))
