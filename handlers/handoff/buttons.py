"""The hand-off's buttons and flow steps."""

from __future__ import annotations

from bot.payload import Payload
from bot.states import State, States


class HandoffFlow(States, prefix="handoff"):
    summary = State()
    """Asked for the question in a line."""
    confirm = State()
    """Shown the question, choosing a topic to send it."""


class Start(Payload, feature="handoff", verb="start"):
    """Ask for an adviser (offered to other features as ``ASK_ADVISER``)."""


class Send(Payload, feature="handoff", verb="send"):
    topic: str | None = None


class Edit(Payload, feature="handoff", verb="edit"):
    pass


class Abort(Payload, feature="handoff", verb="abort"):
    pass


class CancelTicket(Payload, feature="handoff", verb="cancel"):
    ticket_id: int


class Rate(Payload, feature="handoff", verb="rate"):
    ticket_id: int
    score: int


class Claim(Payload, feature="handoff", verb="claim"):
    ticket_id: int


class Resolve(Payload, feature="handoff", verb="resolve"):
    ticket_id: int


class Draft(Payload, feature="handoff", verb="draft"):
    ticket_id: int
