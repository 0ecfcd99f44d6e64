"""Questions that lean on the previous answer: "and for Silver?", "og sølv?", "what does it cost?".

A follow-up is short, starts like a continuation ("and", "what about", "og", "hvad med") or
points back ("it", "that", "det", "den"). It is asked twice: alone, and together with the
title of the entry answered just before. Pointing back prefers the pair; a continuation
prefers the question alone when that is clear, and the pair when only the pair is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from knowledge.normalise import fold

if TYPE_CHECKING:  # the engine (numpy) is loaded with the index, not with the chat
    from knowledge.engine import Result

_CONTINUES = re.compile(
    r"(and|also|plus|what about|how about|and what about|same for|what of|og|samt|hvad med|"
    r"hvad sa med|og hvad med|hvordan med|hvad angar|ogsa)\b"
)
_POINTS_BACK = re.compile(r"\b(it|that|this|they|them|those|these|its|det|den|dem|dette|disse|dens|deres)\b")
_WORDS = re.compile(r"[a-z0-9]+")
MAX_WORDS = 7


def shape(text: str) -> tuple[bool, bool]:
    """(continues, points back) for a short question; (False, False) for anything longer."""
    plain = " ".join(_WORDS.findall(fold(text)))
    if not plain or len(plain.split()) > MAX_WORDS:
        return False, False
    return bool(_CONTINUES.match(plain)), bool(_POINTS_BACK.search(plain))


def resolve(text: str, previous_title: str | None, ask: Callable[[str], Result]) -> Result:
    """The result for ``text`` read in the light of the previous answer's topic, if any."""
    from knowledge.engine import Outcome

    alone = ask(text)
    if previous_title is None:
        return alone
    continues, points_back = shape(text)
    if not (continues or points_back):
        return alone
    paired = ask(f"{text} {previous_title}")
    if paired.outcome is not Outcome.ANSWER:
        return alone
    if alone.outcome is not Outcome.ANSWER:
        return paired
    if points_back:  # both answer: "det"/"that" may be an article, so the surer reading wins
        return paired if paired.score >= alone.score else alone
    return alone
