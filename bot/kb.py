"""The typed handle on the knowledge base that features share."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the index (rapidfuzz, numpy) is imported by the feature that loads it
    from bot.types import Lang
    from knowledge.base import KnowledgeBase


class KnowledgeHandle:
    """The loaded knowledge base, swapped whole when a reload succeeds.

    The feature that owns the knowledge base loads it (at start-up and in its reload hook);
    others read it through this handle and see ``loaded`` False when no feature loads one.
    """

    def __init__(self) -> None:
        self._base: KnowledgeBase | None = None

    @property
    def loaded(self) -> bool:
        return self._base is not None

    @property
    def base(self) -> KnowledgeBase:
        """The knowledge base; only for the features that run after it was loaded."""
        if self._base is None:
            raise LookupError("no knowledge base is loaded")
        return self._base

    def use(self, base: KnowledgeBase) -> None:
        self._base = base

    def title(self, entry_id: str, lang: Lang) -> str | None:
        """An entry's title in ``lang``, or None (no knowledge base, or no such entry)."""
        entry = self._base.get(entry_id) if self._base is not None else None
        return entry.title.get(lang.value) if entry is not None else None
