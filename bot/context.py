"""The one typed object every handler and job receives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.capabilities import Capability
from bot.i18n import Texts
from bot.states import State, States
from bot.types import Address, Channel, Incoming, Lang, Reply
from storage import repos
from storage.models import Person

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from bot.settings import Settings

T = TypeVar("T")


@dataclass
class Notifier:
    """Writes messages for other people into the outbox, inside the current transaction."""

    runtime: Runtime
    session: AsyncSession
    now: datetime

    @property
    def settings(self) -> Settings:
        return self.runtime.settings

    def capability(self, capability: Capability[T]) -> T | None:
        """What an installed feature offers as ``capability``; None when none does."""
        return self.runtime.dispatcher.capability(capability)

    def notify(self, to: Address, reply: Reply, *, about: int | None = None) -> None:
        """Queue ``reply`` for ``to``; it is sent only if this transaction commits.

        ``about`` is the person the message concerns (erasing them deletes it); a handler's
        context defaults to the person it is answering.
        """
        about = self.subject() if about is None else about
        repos.add_outbox(
            self.session,
            to.channel.value,
            to.chat_id,
            to.thread_id,
            reply.to_json(),
            reply.ref,
            self.now,
            about,
            response_url=to.response_url,
        )
        self.runtime.outbox_written = True

    def subject(self) -> int | None:
        """Whom messages are about unless said otherwise: nobody, for a scheduled job."""
        return None

    async def notify_person(self, person_id: int, reply: Reply | Callable[[Lang], Reply]) -> bool:
        """Send to a person where they last talked to us; ``reply`` may depend on their language."""
        idents = await repos.identities_of(self.session, person_id)
        if not idents:
            return False
        person = await self.session.get_one(Person, person_id)
        lang = person_language(person, self.settings.default_language)
        body = reply(lang) if callable(reply) else reply
        ident = idents[0]
        self.notify(Address(Channel(ident.channel), ident.chat_id), body, about=person_id)
        return True

    def notify_advisers(self, reply: Reply, *, about: int | None = None) -> bool:
        """Post to the adviser channel, when one is configured."""
        if self.settings.adviser_channel is None:
            return False
        self.notify(self.settings.adviser_channel, reply, about=about)
        return True


def person_language(person: Person, default: Lang) -> Lang:
    return Lang(person.language or person.last_language or default)


@dataclass
class Flow:
    """The person's current step in a multi-step conversation in this chat (or none)."""

    ctx: Context
    state: str | None = None
    """The stored name of the current step; features ask :meth:`at` and :meth:`within`."""
    data: dict[str, Any] = field(default_factory=dict)

    async def start(self, state: State, **data: Any) -> None:
        """Enter ``state`` with fresh data."""
        self.state, self.data = _name(state), dict(data)
        await self._save()

    async def goto(self, state: State, **updates: Any) -> None:
        """Move to ``state``, keeping the data gathered so far."""
        self.state = _name(state)
        self.data.update(updates)
        await self._save()

    def at(self, *states: State) -> bool:
        """Whether the person is on one of these steps."""
        return self.state is not None and any(s.name == self.state for s in states)

    def within(self, group: type[States]) -> bool:
        """Whether the person is on any step of this flow."""
        return group.get(self.state) is not None

    async def clear(self) -> bool:
        """Leave the flow; True when there was one."""
        had = self.state is not None
        self.state, self.data = None, {}
        ident = self.ctx.incoming.identity
        await repos.clear_flow(self.ctx.session, self.ctx.person.id, ident.channel.value, ident.chat_id)
        return had

    async def _save(self) -> None:
        assert self.state is not None
        ident = self.ctx.incoming.identity
        expires = self.ctx.now + timedelta(minutes=self.ctx.settings.flow_idle_minutes)
        await repos.set_flow(
            self.ctx.session,
            self.ctx.person.id,
            ident.channel.value,
            ident.chat_id,
            self.state,
            self.data,
            expires,
            self.ctx.now,
        )


def _name(state: State) -> str:
    name = state.name
    if not name:
        raise ValueError("a State is used outside the States group that declares it")
    return name


@dataclass
class Context(Notifier):
    """What a handler knows about the message it answers, and what it may use."""

    incoming: Incoming = field(kw_only=True)
    person: Person = field(kw_only=True)
    lang: Lang = field(kw_only=True)
    command: str | None = field(default=None, kw_only=True)
    args: str = field(default="", kw_only=True)
    """Text after the command (``/label Foo`` -> ``Foo``), or the whole text for free text."""
    flow: Flow = field(init=False)
    person_deleted: bool = field(default=False, kw_only=True)
    """Set by a handler that erased the person: nothing more is logged for them."""

    def __post_init__(self) -> None:
        self.flow = Flow(self)

    def subject(self) -> int | None:
        return self.person.id

    @property
    def text(self) -> str:
        return self.incoming.text

    @property
    def is_adviser(self) -> bool:
        return self.incoming.identity.key in self.settings.advisers

    @property
    def is_admin(self) -> bool:
        return self.incoming.identity.key in self.settings.admins

    def t(self, texts: Texts, key: str, /, **fields: object) -> str:
        """A message from a feature's texts, in this person's language."""
        return texts(self.lang, key, **fields)
