"""Hand-off to CED advisers: tickets in a queue advisers work from their channel, relayed both ways."""

from __future__ import annotations

from handlers.handoff import adviser, callbacks, person
from handlers.handoff.cli import add_cli
from handlers.handoff.common import router

__all__ = ["add_cli", "adviser", "callbacks", "person", "router"]
