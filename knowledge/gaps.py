"""Group declined and not-helpful questions by similarity: what to write next."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from knowledge.normalise import STOPWORDS, tokens

SIMILAR = 60.0
"""token_set_ratio (0-100) at which two questions count as the same gap."""


@dataclass
class Gap:
    key: str
    questions: list[str] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.questions)


def _key(question: str) -> str:
    return " ".join(sorted({t for t in tokens(question) if t not in STOPWORDS})) or question.lower()


def group(items: Sequence[tuple[str, str]], similar: float = SIMILAR) -> list[Gap]:
    """(kind, question) pairs grouped greedily around the first question of each group."""
    gaps: list[Gap] = []
    for kind, question in items:
        key = _key(question)
        best = max(gaps, key=lambda g: fuzz.token_set_ratio(key, g.key), default=None)
        if best is None or fuzz.token_set_ratio(key, best.key) < similar:
            best = Gap(key)
            gaps.append(best)
        best.questions.append(question)
        best.kinds[kind] = best.kinds.get(kind, 0) + 1
    return sorted(gaps, key=lambda g: -g.size)
