"""The middleware onion around every message, one concern per layer.

Order, outermost first: errors, input hygiene, size limit, dedupe, rate limit, unit of
work, identity, flow, language, empty-message check, message log; the dispatcher sits in the middle.
"""

from __future__ import annotations

import logging
import secrets
import time
import unicodedata
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot import language
from bot.durability import LeaseLost, database_unavailable
from bot.i18n import Texts
from bot.markup import to_plain
from bot.types import Incoming, Lang, Reply
from storage import repos
from storage.models import FlowState, Person

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger("cedbot")


@dataclass
class Turn:
    """One message on its way through the layers; each layer fills in what it owns."""

    incoming: Incoming
    runtime: Runtime
    now: datetime
    session: AsyncSession | None = None
    person: Person | None = None
    lang: Lang | None = None
    flow: FlowState | None = None
    """The person's live conversation flow in this chat (an expired one is already gone)."""
    finish: Finish | None = None
    """Runs in the message's transaction, after the handler, with its replies (the inbox's
    hook: queue the replies, mark the row done). Set for messages taken from the inbox."""
    finished: bool = False


Finish = Callable[[AsyncSession, list[Reply]], Awaitable[None]]
Next = Callable[[Turn], Awaitable[list[Reply]]]
Middleware = Callable[[Turn, Next], Awaitable[list[Reply]]]

TEXTS = Texts(
    {
        "error": {
            "en": "Sorry, something went wrong on our side. Please try again in a moment. "
            "If it keeps happening, tell CED this reference: {ref}",
            "da": "Beklager, der gik noget galt hos os. Prøv igen om lidt. "
            "Hvis det bliver ved, så giv CED denne reference: {ref}",
        },
        "too_long": {
            "en": "Your message is too long for me ({length} characters; the limit is {limit}). "
            "Please shorten it or split it into a few messages.",
            "da": "Din besked er for lang til mig ({length} tegn; grænsen er {limit}). "
            "Gør den kortere, eller del den op i flere beskeder.",
        },
        "empty": {
            "en": "I received an empty message. Write a question, or type /help to see what I can do.",
            "da": "Jeg modtog en tom besked. Skriv et spørgsmål, eller skriv /help for at se, hvad jeg kan.",
        },
        "slow_down": {
            "en": "You're sending messages faster than I can keep up with. Please wait a minute and try again.",
            "da": "Du sender beskeder hurtigere, end jeg kan følge med. Vent et minut, og prøv igen.",
        },
    }
)


def fallback_lang(turn: Turn) -> Lang:
    return turn.lang or language.detect(turn.incoming.text[:500]) or turn.runtime.settings.default_language


async def saved_lang(turn: Turn) -> Lang:
    """The person's chosen language, for refusals given before the identity layer has run.

    Costs a query, so only the rare refusals (too fast, too long) use it.
    """
    if turn.lang is None and not language.detect(turn.incoming.text[:500]):
        ident = turn.incoming.identity
        async with turn.runtime.sessions() as session:
            person = await repos.find_person(session, ident.channel.value, ident.user_id)
        if person is not None and person.language:
            return Lang(person.language)
    return fallback_lang(turn)


def clean_text(text: str) -> str:
    """Drop control characters and unpaired surrogates; keep newlines and tabs."""
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in {"Cc", "Cs", "Cf"}).strip()


async def errors(turn: Turn, call_next: Next) -> list[Reply]:
    try:
        return await call_next(turn)
    except Exception as exc:
        if turn.finish is not None and (isinstance(exc, LeaseLost) or database_unavailable(exc)):
            raise  # the inbox row stays and is handled again: no error message for a passing outage
        ref = secrets.token_hex(4)
        log.exception("error %s handling %s from %s", ref, _kind(turn.incoming), turn.incoming.identity.key)
        turn.runtime.metrics.error()
        return [Reply(TEXTS(fallback_lang(turn), "error", ref=ref))]


def _kind(incoming: Incoming) -> str:
    return "button" if incoming.action is not None else "message"


NAME_LIMIT = 200
"""The length of ``persons.display_name``."""
ID_LIMIT = 100
"""The length of the channel identity columns."""


def clean_name(name: str | None) -> str | None:
    """A display name as the database can hold it: no control characters or lone surrogates,
    whitespace collapsed, at most :data:`NAME_LIMIT` characters; ``None`` when nothing is left."""
    if name is None:
        return None
    cleaned = " ".join(clean_text(name).split())[:NAME_LIMIT].strip()
    return cleaned or None


async def hygiene(turn: Turn, call_next: Next) -> list[Reply]:
    incoming = turn.incoming
    ident = incoming.identity
    if len(ident.user_id) > ID_LIMIT or len(ident.chat_id) > ID_LIMIT or len(ident.thread_id or "") > ID_LIMIT:
        log.warning("dropped a message whose account or chat id is longer than %d characters", ID_LIMIT)
        return []
    text = clean_text(incoming.text)
    action = clean_text(incoming.action) if incoming.action is not None else None
    name = clean_name(incoming.display_name)
    turn.incoming = replace(incoming, text=text, action=action, display_name=name)
    return await call_next(turn)


async def not_empty(turn: Turn, call_next: Next) -> list[Reply]:
    """An empty message (after clean-up) gets a hint instead of reaching a feature."""
    if not turn.incoming.text and turn.incoming.action is None:
        return [Reply(TEXTS(fallback_lang(turn), "empty"))]
    return await call_next(turn)


async def size_limit(turn: Turn, call_next: Next) -> list[Reply]:
    limit = turn.runtime.settings.max_message_chars
    length = len(turn.incoming.text)
    if length <= limit:
        return await call_next(turn)
    # Nothing about the message is stored: only a counter goes up.
    async with turn.runtime.sessions() as session, session.begin():
        await repos.increment(session, "refused_oversized")
        ident = turn.incoming.identity
        person = await repos.find_person(session, ident.channel.value, ident.user_id)
    if person is not None and person.language:
        turn.lang = Lang(person.language)
    return [Reply(TEXTS(await saved_lang(turn), "too_long", length=length, limit=limit))]


async def dedupe(turn: Turn, call_next: Next) -> list[Reply]:
    event_id = turn.incoming.event_id
    if event_id is None or turn.finish is not None:  # the inbox is keyed by the event id already
        return await call_next(turn)
    async with turn.runtime.sessions() as session, session.begin():
        first = await repos.first_time_event(session, event_id, turn.now)
    if not first:
        log.info("dropped redelivered event %s", event_id)
        return []
    return await call_next(turn)


class RateLimit:
    """A sliding window per person, in memory: one person's flood never slows anyone else."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self._seen: defaultdict[str, deque[float]] = defaultdict(deque)
        self._warned: dict[str, float] = {}

    def allow(self, key: str, now: float) -> bool:
        seen = self._seen[key]
        while seen and seen[0] <= now - self.window:
            seen.popleft()
        if len(seen) >= self.limit:
            return False
        seen.append(now)
        return True

    async def __call__(self, turn: Turn, call_next: Next) -> list[Reply]:
        key = turn.incoming.identity.key
        now = time.monotonic()
        if self.allow(key, now):
            self._warned.pop(key, None)
            return await call_next(turn)
        if now - self._warned.get(key, -self.window) < self.window:
            return []  # warned already in this window: stay quiet
        self._warned[key] = now
        return [Reply(TEXTS(await saved_lang(turn), "slow_down"))]


async def unit_of_work(turn: Turn, call_next: Next) -> list[Reply]:
    """Commit on success, roll back on any error; the outbox wakes after a commit only."""
    async with turn.runtime.sessions() as session:
        turn.session = session
        async with session.begin():
            replies = await call_next(turn)
            if turn.finish is not None:
                await turn.finish(session, replies)
                turn.finished = True
    turn.runtime.wake_outbox()
    return replies


async def identity(turn: Turn, call_next: Next) -> list[Reply]:
    assert turn.session is not None
    ident = turn.incoming.identity
    turn.person = await repos.person_for(
        turn.session,
        ident.channel.value,
        ident.user_id,
        ident.chat_id,
        turn.now,
        turn.incoming.display_name,
    )
    return await call_next(turn)


async def load_flow(turn: Turn, call_next: Next) -> list[Reply]:
    assert turn.session is not None and turn.person is not None
    ident = turn.incoming.identity
    flow = await repos.get_flow(turn.session, turn.person.id, ident.channel.value, ident.chat_id)
    if flow is not None and flow.expires_at <= turn.now:
        await repos.clear_flow(turn.session, turn.person.id, ident.channel.value, ident.chat_id)
        flow = None
    turn.flow = flow
    return await call_next(turn)


async def choose_language(turn: Turn, call_next: Next) -> list[Reply]:
    assert turn.person is not None
    person = turn.person
    # Answers inside a flow (a name, an organisation, an e-mail) say little about the
    # language: the conversation keeps the one it started in.
    answering_a_flow = turn.flow is not None and not turn.incoming.is_command
    detected = None
    if turn.incoming.action is None and not answering_a_flow:
        detected = language.detect(turn.incoming.text)
    if detected is not None:
        person.last_language = detected.value
    default = turn.runtime.settings.default_language
    turn.lang = Lang(person.language or person.last_language or default)
    return await call_next(turn)


async def message_log(turn: Turn, call_next: Next) -> list[Reply]:
    assert turn.session is not None and turn.person is not None
    ident = turn.incoming.identity
    text = turn.incoming.text if turn.incoming.action is None else f"[button] {turn.incoming.action}"
    flow = turn.flow.state if turn.flow is not None and turn.incoming.action is None else None
    repos.log_message(turn.session, turn.person.id, "in", ident.channel.value, ident.chat_id, text, turn.now, flow)
    replies = await call_next(turn)
    if turn.person is None:  # erased on request: log nothing more about them
        return replies
    for reply in replies:
        repos.log_message(
            turn.session,
            turn.person.id,
            "out",
            ident.channel.value,
            ident.chat_id,
            to_plain(reply.text),
            turn.now,
        )
    return replies
