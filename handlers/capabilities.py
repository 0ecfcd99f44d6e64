"""What the features of this application offer one another.

A feature offers a capability with ``router.provide(KEY, factory)``; another asks with
``ctx.capability(KEY)`` and gets None when the offering feature is not installed, so it
never shows a button nobody answers. Each factory takes the label the asking feature
chose (its own words, in the person's language) and returns the offering feature's button.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from bot.capabilities import Capability
from bot.context import Context, Notifier
from bot.types import Button
from storage.bookings import Contact

ASK_ADVISER: Capability[Callable[[str], Button]] = Capability("ask-adviser")
"""``factory(label)``: a button that starts a request to a CED adviser (the hand-off)."""

BOOK_MEETING: Capability[Callable[[str, str], Button]] = Capability("book-meeting")
"""``factory(label, topic)``: a button that starts booking an adviser meeting on ``topic``."""

READ_TOPIC: Capability[Callable[[str, str], Button | None]] = Capability("read-topic")
"""``factory(label, entry_id)``: a button that shows a knowledge entry; None when it cannot."""

QUEUE_CALLBACK: Capability[Callable[[Context, str, str, Contact], Awaitable[tuple[int, bool]]]] = Capability(
    "queue-callback"
)
"""``queue(ctx, topic, description, contact)``: a "contact me" request in the one adviser queue;
its number, and whether the advisers' channel was told (so nothing is promised that is not set up)."""

REFRESH_CARDS: Capability[Callable[[Notifier, Sequence[int]], Awaitable[None]]] = Capability("refresh-cards")
"""``refresh(n, ticket_ids)``: bring the advisers' delivered cards of these tickets up to date (after
an erasure redacted them, the cards in Slack or Telegram lose the person's details too)."""

MY_BOOKINGS: Capability[Callable[[Context], Awaitable[tuple[list[str], list[list[Button]]]]]] = Capability(
    "my-bookings"
)
"""``section(ctx)``: another feature's lines and buttons for ``/mybookings`` (the adviser meetings)."""
