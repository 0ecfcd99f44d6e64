"""Hand-off to CED advisers: tickets in a queue advisers work from their channel, relayed both ways."""

from __future__ import annotations

from handlers.handoff import adviser, callbacks, person
from handlers.handoff.common import router

__all__ = ["adviser", "callbacks", "person", "router"]
