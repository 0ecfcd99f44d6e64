"""The typed handle on the knowledge base that features share."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the index (rapidfuzz, numpy) is imported by the feature that loads it
    from bot.types import Lang
    from knowledge.base import KnowledgeBase

log = logging.getLogger("cedbot")


class KnowledgeHandle:
    """The loaded knowledge base, swapped whole when a reload succeeds.

    The feature that owns the knowledge base says how to load it; the first feature that
    needs it waits for :meth:`ready`, which loads it then (so a first ``/help`` does not wait
    for the index). A server preloads it before it takes updates, an interactive chat while
    the person types. Others read it through this handle; ``loaded`` is False until then.
    """

    def __init__(self) -> None:
        self._base: KnowledgeBase | None = None
        self._load: Callable[[], Awaitable[KnowledgeBase]] | None = None
        self._loading: asyncio.Task[None] | None = None

    @property
    def loaded(self) -> bool:
        return self._base is not None

    @property
    def base(self) -> KnowledgeBase:
        """The knowledge base; for code that awaited :meth:`ready` first."""
        if self._base is None:
            raise LookupError("no knowledge base is loaded")
        return self._base

    def use(self, base: KnowledgeBase) -> None:
        self._base = base

    def load_with(self, load: Callable[[], Awaitable[KnowledgeBase]]) -> None:
        """How to load it (the owning feature, at start-up); nothing is loaded yet."""
        self._load = load

    def preload(self) -> None:
        """Start loading in the background, if there is something to load and it has not started."""
        if self._load is not None and self._loading is None and self._base is None:
            self._loading = asyncio.create_task(self._run(self._load))

    async def ready(self) -> None:
        """Load it now if nobody has, and wait; raises what loading raised."""
        self.preload()
        if self._loading is not None:
            await asyncio.shield(self._loading)

    async def _run(self, load: Callable[[], Awaitable[KnowledgeBase]]) -> None:
        try:
            self.use(await load())
        except Exception:
            log.exception("the knowledge base did not load; questions fail until /reload succeeds")
            raise

    def close(self) -> None:
        if self._loading is not None and not self._loading.done():
            self._loading.cancel()

    def title(self, entry_id: str, lang: Lang) -> str | None:
        """An entry's title in ``lang``, or None (not loaded, none, or no such entry)."""
        entry = self._base.get(entry_id) if self._base is not None else None
        return entry.title.get(lang.value) if entry is not None else None
