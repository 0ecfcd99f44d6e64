"""Find a cluster by a name typed in a hurry: typos, aliases, æøå spelled out, "cluster" left out."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from rapidfuzz import fuzz

T = TypeVar("T")

# Words that say "a cluster" in either language; people add or drop them at will.
NOISE = frozenset(
    "cluster clusters klynge klyngen klynger klyngerne network networks netvaerk netvaerket netvaerkerne the".split()
)
_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue"})
# After spelling æøå out, fold the spellings people use for them (ae/oe/aa, or a bare a/o)
# into one form, so "Søkrog", "Soekrog" and "Sokrog" become the same word.
_FOLD = ((r"aa", "a"), (r"ae", "a"), (r"oe", "o"))
_NON_WORD = re.compile(r"[^a-z0-9]+")

EXACT = 100.0
SURE = 88.0
"""A best score at least this high, clearly ahead of the next, is the match."""
CLOSE = 75.0
"""Candidates at least this good are offered as choices."""
MARGIN = 6.0
SUGGEST = 45.0
"""Below CLOSE but above this, the best candidate is suggested ("did you mean")."""


def fold(text: str) -> str:
    """Lower case, ASCII, æøå spelled the same way whichever way they were typed."""
    text = text.lower()
    if not text.isascii():  # for ASCII (most names, a whole register at import) these change nothing
        text = unicodedata.normalize("NFC", text).translate(_DANISH)
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    for pattern, repl in _FOLD:
        text = text.replace(pattern, repl)
    return text


def skeleton(name: str) -> str:
    """The comparable core of a name: folded words without "cluster"/"klynge"/"network"."""
    words = _NON_WORD.sub(" ", fold(name)).split()
    kept = [w for w in words if w not in {fold(n) for n in NOISE}]
    return " ".join(kept or words)


@dataclass(frozen=True)
class Scored(Generic[T]):
    item: T
    score: float
    matched: str
    """The name or alias that scored best."""


def _score(query: str, candidate: str) -> float:
    if not query or not candidate:
        return 0.0
    if query == candidate:
        return EXACT
    scores = [fuzz.ratio(query, candidate), fuzz.token_sort_ratio(query, candidate)]
    if 4 <= len(query) <= len(candidate):
        # "fjordlys" for "Fjordlys Energi": part of a name is a strong hint, not proof. Only
        # when the query is the shorter one: extra words typed must count against a name.
        scores.append(fuzz.partial_ratio(query, candidate) * 0.95)
    return max(scores)


def rank(query: str, items: Iterable[tuple[T, Iterable[str]]]) -> list[Scored[T]]:
    """Every item with its best score over its names, best first."""
    q = skeleton(query)
    ranked: list[Scored[T]] = []
    for item, names in items:
        best = max(((_score(q, skeleton(n)), n) for n in names), default=(0.0, ""))
        ranked.append(Scored(item, best[0], best[1]))
    ranked.sort(key=lambda s: -s.score)
    return ranked


@dataclass(frozen=True)
class Lookup(Generic[T]):
    """The outcome: one match, several close ones to choose from, or none (maybe a suggestion)."""

    match: T | None = None
    choices: tuple[T, ...] = ()
    suggestion: T | None = None


def lookup(query: str, items: Iterable[tuple[T, Iterable[str]]], max_choices: int = 5) -> Lookup[T]:
    ranked = rank(query, items)
    if not ranked or ranked[0].score < CLOSE:
        best = ranked[0] if ranked and ranked[0].score >= SUGGEST else None
        return Lookup(suggestion=best.item if best else None)
    top = ranked[0]
    exact = [s for s in ranked if s.score >= EXACT]
    if len(exact) == 1:
        return Lookup(match=exact[0].item)
    runner_up = ranked[1].score if len(ranked) > 1 else 0.0
    if not exact and top.score >= SURE and top.score - runner_up >= MARGIN:
        return Lookup(match=top.item)
    close = [s.item for s in ranked if s.score >= max(CLOSE, top.score - 15)]
    if len(close) == 1:
        return Lookup(match=close[0])
    return Lookup(choices=tuple(close[:max_choices]))
