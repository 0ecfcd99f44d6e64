"""What a question is before it is matched: cleaned of markup, and checked for what it is not.

- Markup and control characters (``<b>Gold</b>``, ``**Gold**``, a zero-width space) are the
  channel's or the keyboard's, not the person's words: they are removed before matching.
- A number alone ("2") is no question: it was meant for a button that is not on screen.
- A question about another country's programme must not get a Danish answer as if it were
  that country's. The places named in a question are compared with the places the chosen
  entry speaks about; a country the entry never mentions means the entry does not answer it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable

from knowledge.normalise import fold

_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,200}>")
_MARKS = re.compile(r"(\*\*|__|~~|`+|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w))")


def clean(text: str) -> str:
    """The words of a question without markup, entities or control characters."""
    text = html.unescape(_TAG.sub(" ", text))
    text = "".join(" " if unicodedata.category(c)[0] in "CZ" and c != " " else c for c in text)
    text = _MARKS.sub("", text)
    return " ".join(text.split())


def has_words(text: str) -> bool:
    """False for a number, a date or punctuation alone: nothing to look up."""
    return any(c.isalpha() for c in text)


# Country -> the ways people name it or its people, folded (see normalise.fold), in English
# and Danish. Denmark is home: entries speak about it without naming it.
COUNTRIES: dict[str, tuple[str, ...]] = {
    "finland": ("finland", "finlands", "finnish", "finsk", "finske", "finnland", "suomi"),
    "norway": ("norway", "norways", "norwegian", "norge", "norges", "norsk", "norske"),
    "sweden": ("sweden", "swedens", "swedish", "sverige", "sveriges", "svensk", "svenske"),
    "germany": ("germany", "germanys", "german", "tyskland", "tysklands", "tysk", "tyske"),
    "netherlands": ("netherlands", "dutch", "holland", "hollandsk", "hollandske", "nederlandene"),
    "france": ("france", "frances", "french", "frankrig", "frankrigs", "fransk", "franske"),
    "spain": ("spain", "spains", "spanish", "spanien", "spaniens", "spansk", "spanske", "basque"),
    "poland": ("poland", "polands", "polish", "polen", "polens", "polsk", "polske"),
    "iceland": ("iceland", "icelandic", "islandsk", "islandske"),
    "estonia": ("estonia", "estonian", "estland", "estisk", "estiske"),
    "austria": ("austria", "austrian", "ostrig", "ostrigsk", "ostrigske"),
    "uk": ("britain", "british", "england", "storbritannien", "britisk", "britiske"),
    "usa": ("usa", "american", "amerikansk", "amerikanske", "america", "amerika"),
    "switzerland": ("switzerland", "swiss", "schweiz", "schweizisk", "schweiziske"),
    "belgium": ("belgium", "belgian", "belgien", "belgisk", "belgiske"),
    "italy": ("italy", "italian", "italien", "italiensk", "italienske"),
}
_NAMES = {name: country for country, names in COUNTRIES.items() for name in names}
_WORD = re.compile(r"[a-z]+")


def countries(text: str) -> frozenset[str]:
    """The countries a text names (``Finland's``, ``finske``, ``Norwegian``)."""
    return frozenset(_NAMES[w] for w in _WORD.findall(fold(text).replace("'s", "s")) if w in _NAMES)


_PROGRAMME = re.compile(
    r"(programmes?|programs?|programmet|programmer|ordning(en)?|klyngeprogram(met)?|klyngeordning(en)?|"
    r"policy|politik|strateg[a-z]*|agency|agentur|scheme)"
)


def owners(text: str) -> frozenset[str]:
    """Countries whose own programme a question asks about: "Germany's go-cluster programme",
    "det tyske klyngeprogram", "the Norwegian Arena programme". No entry that never names the
    country can answer those, whatever else it shares with the question."""
    words = _WORD.findall(fold(text).replace("\u2019", "'").replace("'s", "s"))
    found = set()
    for i, word in enumerate(words):
        if word in _NAMES and any(_PROGRAMME.fullmatch(w) for w in words[i + 1 : i + 4]):
            found.add(_NAMES[word])
    return frozenset(found)


def countries_of(texts: Iterable[str]) -> frozenset[str]:
    found: set[str] = set()
    for text in texts:
        found |= countries(text)
    return frozenset(found)


_NAME = re.compile(r"[\w'’-]+")
_NOT_NAMES = frozenset({"i"})
"""Capitalised though not names: English "I", Danish "I" (you)."""


def names(text: str) -> list[str]:
    """Capitalised words inside a sentence (``Vinnova``, ``Dansk Industri``), folded: what a
    question names. The first word of each sentence is capitalised anyway and not counted."""
    found = []
    for sentence in re.split(r"[.!?:]\s+|\n", text):
        for i, word in enumerate(_NAME.findall(sentence)):
            if i == 0 or not word[0].isupper() or word.lower() in _NOT_NAMES:
                continue
            parts = re.split(r"['’-]", fold(word))
            found += [part for part in parts if part and part != "s" and part not in _NAMES]
    return found
