"""The advice feature's buttons and flow steps."""

from __future__ import annotations

from bot.payload import Payload
from bot.states import State
from handlers.bookings.contact import ContactSteps


class AdviceFlow(ContactSteps, prefix="advice"):
    topic = State()
    describe = State()
    pick = State()
    confirm = State()


class Start(Payload, feature="advice", verb="start"):
    """Start a request, on a topic when given (offered to other features as ``BOOK_MEETING``)."""

    topic: str | None = None


class Topic(Payload, feature="advice", verb="topic"):
    topic: str


class NoSlot(Payload, feature="advice", verb="none"):
    pass


class CallMe(Payload, feature="advice", verb="callback"):
    pass


class Change(Payload, feature="advice", verb="change"):
    pass


class Stop(Payload, feature="advice", verb="stop"):
    pass


class Keep(Payload, feature="advice", verb="keep"):
    pass


class PickSlot(Payload, feature="advice", verb="slot"):
    slot_id: int


class Confirm(Payload, feature="advice", verb="confirm"):
    slot_id: int


class CancelMeeting(Payload, feature="advice", verb="cancel"):
    meeting_id: int


class CancelYes(Payload, feature="advice", verb="cancelyes"):
    meeting_id: int


class Reschedule(Payload, feature="advice", verb="resched"):
    meeting_id: int


class Move(Payload, feature="advice", verb="move"):
    meeting_id: int
    slot_id: int
