"""Greetings, thanks and "what can you do": a friendly word back, not a knowledge-base miss."""

from __future__ import annotations

import enum
import re

from knowledge.normalise import fold


class Talk(enum.StrEnum):
    """Kinds of small talk the FAQ answers itself."""

    GREETING = "greeting"
    """Hello, hi, hej, goddag."""
    THANKS = "thanks"
    """Thanks, thank you, tak, mange tak."""
    ABILITIES = "abilities"
    """What can you do, hvad kan du."""


_PATTERNS = {
    Talk.GREETING: r"(hello|hi|hey|hiya|howdy|good (morning|afternoon|evening|day)|greetings|"
    r"hej|hejsa|hejhej|hallo|halloj|goddag|godmorgen|god morgen|godaften|dav|davs)( there| (cedbot|bot|ced))?",
    Talk.THANKS: r"(thanks?( you)?|thx|ty|many thanks|thanks a lot|thank you (very|so) much|cheers|"
    r"tak|mange tak|tusind tak|tak for (hjalpen|det|svaret)|tak skal du have|thanks for (the|your) (help|answer))"
    r"( (so much|a lot|again|igen))?",
    Talk.ABILITIES: r"(what can (you|i) do|what do you do|what can you help (me )?with|what are you|who are you|"
    r"what can you (do|help with) for (me|us)|hvad kan du( hjalpe (mig|os) med)?|hvad kan du gore|hvem er du|"
    r"hvad er du|hvad laver du)",
}
_COMPILED = {kind: re.compile(rf"{p}") for kind, p in _PATTERNS.items()}
_STRIP = re.compile(r"[^a-z ]+")


def small_talk(text: str) -> Talk | None:
    """The kind of small talk ``text`` is, when it is nothing more than that."""
    plain = " ".join(_STRIP.sub(" ", fold(text)).split())
    if not plain or len(plain) > 60:
        return None
    for kind, pattern in _COMPILED.items():
        if pattern.fullmatch(plain):
            return kind
    return None
