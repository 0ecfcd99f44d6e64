"""Declared flow states: a feature's steps are members of a class, so a typo fails at once.

::

    class AdviceFlow(States, prefix="advice"):
        topic = State()
        describe = State()

    await ctx.flow.start(AdviceFlow.topic)     # stored as "advice.topic"
    ctx.flow.at(AdviceFlow.describe)           # is the person on that step?
    ctx.flow.within(AdviceFlow)                # on any step of the flow?

A group may extend another group without a prefix (shared steps, such as asking for
contact details): every group gets its own copy of the inherited steps under its prefix.
The stored names (``prefix.member``) are what the database holds, so they must not change
once released.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

_NAME = re.compile(r"[a-z][a-z0-9_]*")


class State:
    """One step of a flow; its ``name`` is set by the group that declares it."""

    __slots__ = ("group", "name")

    def __init__(self) -> None:
        self.name = ""
        self.group: type[States] | None = None

    def __repr__(self) -> str:
        return f"<State {self.name or '(unbound)'}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, State) and other.name == self.name and bool(self.name)

    def __hash__(self) -> int:
        return hash(self.name)


class States:
    """Base of a flow's declared steps; subclass with ``prefix=`` (or none for shared steps)."""

    prefix: ClassVar[str] = ""
    members: ClassVar[dict[str, State]] = {}

    def __init_subclass__(cls, *, prefix: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared: dict[str, State] = {}
        for klass in reversed(cls.__mro__):
            for attr, value in vars(klass).items():
                if isinstance(value, State):
                    declared[attr] = value
        if not prefix:  # shared steps, bound by the groups that extend them
            cls.members = {}
            return
        if not _NAME.fullmatch(prefix):
            raise TypeError(f"{cls.__name__}: flow prefix {prefix!r} is not a lower-case name")
        cls.prefix = prefix
        cls.members = {}
        for attr in declared:
            state = State()
            state.name, state.group = f"{prefix}.{attr}", cls
            setattr(cls, attr, state)
            cls.members[state.name] = state
        if not cls.members:
            raise TypeError(f"{cls.__name__} declares no State")

    @classmethod
    def get(cls, name: str | None) -> State | None:
        """The declared step stored as ``name``, or None (no flow, or a name nobody declares)."""
        return cls.members.get(name or "")
