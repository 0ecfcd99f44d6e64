"""The FAQ's buttons."""

from __future__ import annotations

from bot.payload import Payload


class ShowEntry(Payload, feature="faq", verb="show"):
    entry_id: str


class Feedback(Payload, feature="faq", verb="fb"):
    answer_id: int
    helpful: bool


class Topics(Payload, feature="faq", verb="topics"):
    pass


class Category(Payload, feature="faq", verb="cat"):
    category: str


class Pick(Payload, feature="faq", verb="pick"):
    """A "did you mean" choice: the answer it opens asks for feedback like any other."""

    entry_id: str
