"""Tell Danish from English in a short chat message."""

from __future__ import annotations

import re

from bot.types import Lang

# Words that are common in one language and rare in the other. Words that exist in both
# ("i", "to", "for", "under", "alle") are left out: they say nothing.
_DA = frozenset(
    """og er det jeg hvad hvordan hvor hvorfor hvornår hvilke hvilken hvem kan vi til af en et at
    på med ikke har om der skal må vores mit min mine du jer jeres de den som fra eller men også
    sig hvis mærke mærket mærker klynge klyngen klynger koster pris rådgiver rådgivning hjælp
    hej tak godt dag nej ja kursus kurser møde bestille booke ansøgning ansøge støtte finansiering
    guld sølv bronze status udløber krav kræver hvordan få gøre bliver blev være kunne skulle
    noget nogen mere meget hvilket hos hvad ved ud op ind""".split()
)
_EN = frozenset(
    """the is are what how where why when which who can we our my you your to of and with do does
    did not have has about there should must they them their from or but also if label labels
    cluster clusters cost costs price adviser advice help hello hi thanks thank good day no yes
    course courses meeting book booking application apply funding grant gold silver status
    expire expires expiry require requires requirements get make become be could would
    something someone more much which at by out up into this that it an""".split()
)
_WORD = re.compile(r"[a-zæøåéü]+")
_SHARED = _DA & _EN


def detect(text: str) -> Lang | None:
    """Danish, English, or ``None`` when the text gives no clear signal (``/help``, ``ok``)."""
    lowered = text.lower()
    if lowered.startswith("/"):
        return None
    if re.search(r"[æøå]", lowered):
        return Lang.DA
    words = _WORD.findall(lowered)
    da = sum(1 for w in words if w in _DA and w not in _SHARED)
    en = sum(1 for w in words if w in _EN and w not in _SHARED)
    if da > en:
        return Lang.DA
    if en > da:
        return Lang.EN
    return None
