"""What the features of this application offer one another.

A feature offers a capability with ``router.provide(KEY, factory)``; another asks with
``ctx.capability(KEY)`` and gets None when the offering feature is not installed, so it
never shows a button nobody answers. Each factory takes the label the asking feature
chose (its own words, in the person's language) and returns the offering feature's button.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.capabilities import Capability
from bot.types import Button

ASK_ADVISER: Capability[Callable[[str], Button]] = Capability("ask-adviser")
"""``factory(label)``: a button that starts a request to a CED adviser (the hand-off)."""

BOOK_MEETING: Capability[Callable[[str, str], Button]] = Capability("book-meeting")
"""``factory(label, topic)``: a button that starts booking an adviser meeting on ``topic``."""

READ_TOPIC: Capability[Callable[[str, str], Button | None]] = Capability("read-topic")
"""``factory(label, entry_id)``: a button that shows a knowledge entry; None when it cannot."""
