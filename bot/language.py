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
_WORD = re.compile(r"[A-Za-zÆØÅæøåÉéÜü]+")
_SHARED = _DA & _EN
_WEAK = frozenset({"de", "den", "det", "en", "et", "om", "der", "som"})
"""Danish words that also turn up in English text ("de minimis", "en route"): half a vote."""


def votes(text: str) -> tuple[float, float]:
    """(Danish, English) evidence in a message. Names count for neither: a capitalised word
    after the first one ("Region Sjælland", "Interreg ØKS") is a proper noun or an acronym,
    whatever its letters."""
    da = en = 0.0
    words = [(i, w) for sentence in re.split(r"[.!?:\n]+", text) for i, w in enumerate(_WORD.findall(sentence))]
    for i, word in words:
        lowered = word.lower()
        if (i > 0 and word[0].isupper()) or (len(word) > 1 and word.isupper()):
            continue
        if lowered in _SHARED:
            continue
        if lowered in _DA:
            da += 0.5 if lowered in _WEAK else 1.0
        elif lowered in _EN:
            en += 1.0
        elif re.search(r"[æøå]", lowered):
            da += 1.0
    return da, en


def detect(text: str) -> Lang | None:
    """Danish, English, or ``None`` when the text gives no clear signal (``/help``, ``ok``,
    ``de minimis``): then the conversation keeps its language. It takes at least one whole
    word's lead to name a language, so a Danish particle or a place name does not switch it.
    """
    if text.lstrip().startswith("/"):
        return None
    da, en = votes(text)
    if da - en >= 1:
        return Lang.DA
    if en - da >= 1:
        return Lang.EN
    return None
