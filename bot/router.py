"""Feature routers and the dispatcher: first match wins, and "not handled" is explicit."""

from __future__ import annotations

import enum
import logging
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Final, TypeVar

from bot.capabilities import Capability
from bot.context import Context, Notifier
from bot.i18n import Texts
from bot.payload import Payload, PayloadError, split_key
from bot.states import States
from bot.types import Lang, Reply

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

    from bot.runtime import Runtime


T = TypeVar("T")
P = TypeVar("P", bound=Payload)
log = logging.getLogger("cedbot")


class _Unhandled(enum.Enum):
    UNHANDLED = "unhandled"


UNHANDLED: Final = _Unhandled.UNHANDLED
"""Returned by a handler that looked and decided the message is not for it."""

Result = Reply | Sequence[Reply] | _Unhandled
Handler = Callable[[Context], Awaitable[Result]]
ButtonHandler = Callable[[Context, P], Awaitable[Result]]
Predicate = Callable[[Context], bool]
JobFn = Callable[[Notifier], Awaitable[None]]
StartupFn = Callable[["Runtime"], Awaitable[None]]
ReloadFn = Callable[["Runtime", Lang], Awaitable[str]]
"""Re-read what a feature loads from disk; returns what happened, in the language given."""
WebFn = Callable[["Runtime"], Sequence["BaseRoute"]]
"""The HTTP routes a feature serves in ``cedbot serve`` (the adviser desk's pages)."""
HealthFn = Callable[["Runtime"], tuple[bool, str]]
"""Whether a feature's part is healthy, and a word on its state for ``/healthz``."""


class Role(enum.StrEnum):
    """Who may use a command."""

    EVERYONE = "everyone"
    """Any person."""
    ADVISER = "adviser"
    """Identities listed in ``CEDBOT_ADVISERS``."""
    ADMIN = "admin"
    """Identities listed in ``CEDBOT_ADMINS``."""


@dataclass(frozen=True)
class Command:
    name: str
    handler: Handler
    help: Mapping[str, str] | None
    usage: str
    role: Role


@dataclass(frozen=True)
class Job:
    """A scheduled job: run every ``every``, by one worker at a time."""

    name: str
    every: timedelta
    run: JobFn


@dataclass
class Router:
    """What one feature answers: commands, button prefixes, flow states, free text, jobs."""

    name: str
    commands: dict[str, Command] = field(default_factory=dict)
    buttons: dict[tuple[str, str], tuple[type[Payload], ButtonHandler[Any]]] = field(default_factory=dict)
    states: dict[str, Handler] = field(default_factory=dict)
    provides: dict[Capability[Any], Any] = field(default_factory=dict)
    interceptors: list[Handler] = field(default_factory=list)
    cancel_hooks: list[Handler] = field(default_factory=list)
    texts: list[tuple[Predicate, Handler]] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    startup: list[StartupFn] = field(default_factory=list)
    reload_hooks: list[ReloadFn] = field(default_factory=list)
    health_checks: dict[str, HealthFn] = field(default_factory=dict)
    web: list[WebFn] = field(default_factory=list)

    def command(
        self,
        *names: str,
        help: Mapping[str, str] | None = None,
        usage: str = "",
        role: Role = Role.EVERYONE,
    ) -> Callable[[Handler], Handler]:
        """Answer ``/name``; ``help`` (en/da) lists it in /help, ``role`` restricts it."""

        def deco(fn: Handler) -> Handler:
            for i, name in enumerate(names):
                self.commands[name] = Command(name, fn, help if i == 0 else None, usage, role)
            return fn

        return deco

    def button(self, kind: type[P]) -> Callable[[ButtonHandler[P]], ButtonHandler[P]]:
        """Answer pressed buttons carrying a ``kind`` payload; the handler gets it unpacked."""

        def deco(fn: ButtonHandler[P]) -> ButtonHandler[P]:
            if kind.key() in self.buttons:
                raise ValueError(f"router {self.name!r} answers {kind.key()} twice")
            self.buttons[kind.key()] = (kind, fn)
            return fn

        return deco

    def provide(self, capability: Capability[T], value: T) -> None:
        """Offer ``value`` to other features, which ask for it with ``ctx.capability(...)``."""
        self.provides[capability] = value

    def state(self, group: type[States]) -> Callable[[Handler], Handler]:
        """Answer messages while the person is on a step of ``group`` (a declared flow)."""

        def deco(fn: Handler) -> Handler:
            for name in group.members:
                self.states[name] = fn
            return fn

        return deco

    def intercept(self, fn: Handler) -> Handler:
        """See every non-command message before flows and free text (e.g. a live hand-off)."""
        self.interceptors.append(fn)
        return fn

    def on_cancel(self, fn: Handler) -> Handler:
        """Offer what /cancel can stop when no flow is active (e.g. an open request)."""
        self.cancel_hooks.append(fn)
        return fn

    def text(self, predicate: Predicate | None = None) -> Callable[[Handler], Handler]:
        """Answer free text (when ``predicate`` holds); routers are tried in include order."""

        def deco(fn: Handler) -> Handler:
            self.texts.append((predicate or (lambda _ctx: True), fn))
            return fn

        return deco

    def job(self, name: str, every: timedelta) -> Callable[[JobFn], JobFn]:
        def deco(fn: JobFn) -> JobFn:
            self.jobs.append(Job(name, every, fn))
            return fn

        return deco

    def on_startup(self, fn: StartupFn) -> StartupFn:
        self.startup.append(fn)
        return fn

    def on_reload(self, fn: ReloadFn) -> ReloadFn:
        """Run by ``/reload`` and by SIGHUP alike (see :meth:`bot.runtime.Runtime.reload`)."""
        self.reload_hooks.append(fn)
        return fn

    def web_routes(self, fn: WebFn) -> WebFn:
        """Serve the routes ``fn(runtime)`` returns beside ``/healthz`` in ``cedbot serve``."""
        self.web.append(fn)
        return fn

    def health(self, name: str) -> Callable[[HealthFn], HealthFn]:
        """Report ``name`` in ``/healthz``; an unhealthy report makes it answer 503."""

        def deco(fn: HealthFn) -> HealthFn:
            self.health_checks[name] = fn
            return fn

        return deco


_COMMAND = re.compile(r"^/([A-Za-z][\w-]*)(?:@\w+)?(?:\s+(.*))?$", re.S)

TEXTS = Texts(
    {
        "unknown_command": {
            "en": "I don't know the command /{name}. Type /help to see what I can do.",
            "da": "Jeg kender ikke kommandoen /{name}. Skriv /help for at se, hvad jeg kan.",
        },
        "stale_button": {
            "en": "That button is no longer valid. Type /help to start again.",
            "da": "Den knap virker ikke længere. Skriv /help for at starte forfra.",
        },
        "not_allowed": {
            "en": "Sorry, /{name} is only for CED advisers and administrators.",
            "da": "Beklager, /{name} er kun for CED's rådgivere og administratorer.",
        },
        "not_understood": {
            "en": "I'm not sure what you mean. Type /help to see what I can do.",
            "da": "Jeg er ikke sikker på, hvad du mener. Skriv /help for at se, hvad jeg kan.",
        },
    }
)


def parse_command(text: str) -> tuple[str, str] | None:
    """``/label Foo bar`` -> ``("label", "Foo bar")``; None when it is not a command."""
    m = _COMMAND.match(text.strip())
    if not m:
        return None
    return m.group(1).lower(), (m.group(2) or "").strip()


def as_replies(result: Reply | Sequence[Reply]) -> list[Reply]:
    return [result] if isinstance(result, Reply) else list(result)


class Dispatcher:
    """Routes one message: button, command, interceptor, flow state, free text; first wins."""

    def __init__(self, routers: Sequence[Router]) -> None:
        self.routers = list(routers)
        self.commands: dict[str, Command] = {}
        self.buttons: dict[tuple[str, str], tuple[type[Payload], ButtonHandler[Any]]] = {}
        self.states: dict[str, Handler] = {}
        self.capabilities: dict[Capability[Any], Any] = {}
        for router in self.routers:
            for name, cmd in router.commands.items():
                self._unique(self.commands, name, cmd, router)
            for key, button in router.buttons.items():
                self._unique(self.buttons, key, button, router)
            for prefix, state in router.states.items():
                self._unique(self.states, prefix, state, router)
            for capability, value in router.provides.items():
                self._unique(self.capabilities, capability, value, router)

    @staticmethod
    def _unique(table: dict[Any, T], key: Any, value: T, router: Router) -> None:
        if key in table:
            raise ValueError(f"router {router.name!r} registers {key!r}, which another router has")
        table[key] = value

    @property
    def jobs(self) -> list[Job]:
        return [job for r in self.routers for job in r.jobs]

    def capability(self, capability: Capability[T]) -> T | None:
        """What an installed feature offers as ``capability``, or None."""
        value: T | None = self.capabilities.get(capability)
        return value

    def visible_commands(self, ctx: Context) -> list[Command]:
        """The commands /help lists for this person, in include order."""
        return [cmd for cmd in self.commands.values() if cmd.help is not None and self.allowed(ctx, cmd)]

    async def offer_cancel(self, ctx: Context) -> Result:
        """What /cancel can stop when no flow is active: the first feature's offer, or UNHANDLED."""
        for router in self.routers:
            for hook in router.cancel_hooks:
                result = await hook(ctx)
                if result is not UNHANDLED:
                    return result
        return UNHANDLED

    def allowed(self, ctx: Context, cmd: Command) -> bool:
        if cmd.role is Role.ADVISER:
            return ctx.is_adviser or ctx.is_admin
        if cmd.role is Role.ADMIN:
            return ctx.is_admin
        return True

    async def dispatch(self, ctx: Context) -> list[Reply]:
        if ctx.incoming.action is not None:
            return await self._action(ctx)
        parsed = parse_command(ctx.text) if ctx.text.startswith("/") else None
        if parsed is not None:
            return await self._command(ctx, *parsed)
        for router in self.routers:
            for interceptor in router.interceptors:
                result = await interceptor(ctx)
                if result is not UNHANDLED:
                    return as_replies(result)
        if not ctx.incoming.addressed:
            return []
        if ctx.flow.state is not None:
            result = await self._flow(ctx, ctx.flow.state)
            if result is not UNHANDLED:
                return as_replies(result)
        ctx.args = ctx.text.strip()
        for router in self.routers:
            for predicate, handler in router.texts:
                if predicate(ctx):
                    result = await handler(ctx)
                    if result is not UNHANDLED:
                        return as_replies(result)
        return [Reply(ctx.t(TEXTS, "not_understood"))]

    async def _action(self, ctx: Context) -> list[Reply]:
        action = ctx.incoming.action or ""
        typed = self.buttons.get(split_key(action))
        if typed is None:
            return [Reply(ctx.t(TEXTS, "stale_button"))]
        kind, handler = typed
        try:
            payload = kind.unpack(action)
        except PayloadError as exc:  # forged, or from an older release: refused here, once
            log.info("refused a button: %s", exc)
            return [Reply(ctx.t(TEXTS, "stale_button"))]
        result = await handler(ctx, payload)
        if result is UNHANDLED:
            return [Reply(ctx.t(TEXTS, "stale_button"))]
        return as_replies(result)

    async def _command(self, ctx: Context, name: str, args: str) -> list[Reply]:
        cmd = self.commands.get(name)
        if cmd is None:
            return [Reply(ctx.t(TEXTS, "unknown_command", name=name))]
        if not self.allowed(ctx, cmd):
            return [Reply(ctx.t(TEXTS, "not_allowed", name=name))]
        ctx.command, ctx.args = name, args
        result = await cmd.handler(ctx)
        if result is UNHANDLED:
            return [Reply(ctx.t(TEXTS, "unknown_command", name=name))]
        return as_replies(result)

    async def _flow(self, ctx: Context, state: str) -> Result:
        handler = self.states.get(state)
        if handler is not None:
            ctx.args = ctx.text.strip()
            return await handler(ctx)
        await ctx.flow.clear()  # a state no feature knows any more (e.g. after an upgrade)
        return UNHANDLED
