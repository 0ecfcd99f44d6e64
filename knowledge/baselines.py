"""Plain baselines the engine is compared with: BM25 and rapidfuzz WRatio over the questions.

Both see only the entries' own question phrasings, lower-cased and split on non-letters,
with no stemming, folding, synonyms or typo handling; that is the point of comparison.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence

from rapidfuzz import fuzz, process

from knowledge.engine import Result
from knowledge.evaluate import _ranked
from knowledge.loader import LANGS, Entry

_WORD = re.compile(r"\w+")


def _questions(entries: Sequence[Entry]) -> list[tuple[str, str]]:
    return [(e.id, q) for e in entries for lang in LANGS for q in e.questions.get(lang, ())]


def bm25(entries: Sequence[Entry], k1: float = 1.5, b: float = 0.75) -> Callable[[str], Result]:
    """Okapi BM25, one document per question; the score is the share of the best possible."""
    docs = _questions(entries)
    toks = [_WORD.findall(q.lower()) for _, q in docs]
    avg = sum(map(len, toks)) / len(toks)
    df = Counter(t for d in toks for t in set(d))
    idf = {t: math.log(1 + (len(toks) - n + 0.5) / (n + 0.5)) for t, n in df.items()}
    tfs = [Counter(d) for d in toks]

    def search(query: str) -> Result:
        q = _WORD.findall(query.lower())
        ideal = sum(idf.get(t, 0.0) for t in q) * (k1 + 1) or 1.0
        scores = []
        for (entry_id, _), tf, d in zip(docs, tfs, toks, strict=True):
            s = sum(idf[t] * tf[t] * (k1 + 1) / (tf[t] + k1 * (1 - b + b * len(d) / avg)) for t in q if t in tf)
            if s > 0:
                scores.append((entry_id, 100 * s / ideal))
        return _ranked(query, scores, answer_at=25, choose_at=15)

    return search


def wratio(entries: Sequence[Entry]) -> Callable[[str], Result]:
    """rapidfuzz WRatio of the question against every phrasing, best per entry."""
    docs = _questions(entries)
    texts = [q.lower() for _, q in docs]

    def search(query: str) -> Result:
        found = process.extract(query.lower(), texts, scorer=fuzz.WRatio, limit=50)
        return _ranked(query, [(docs[i][0], s) for _, s, i in found], answer_at=90, choose_at=80)

    return search
