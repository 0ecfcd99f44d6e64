"""Declared capabilities: what one feature offers others, without them knowing its name.

A feature offers something with ``router.provide(CAPABILITY, value)``; another asks with
``ctx.capability(CAPABILITY)`` and gets None when no installed feature offers it, so it
shows no dead button. The keys themselves are declared where both sides can see them
(``handlers/capabilities.py`` for the features of this application).
"""

from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")


class Capability(Generic[T]):
    """A typed key: ``Capability[Callable[[str], Button]]("ask-adviser")``."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<Capability {self.name}>"
