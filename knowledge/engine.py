"""Answer a question from the index: candidates, rerank, calibrated confidence, outcome.

1. The question is normalised like the entries; each word becomes a group of alternative
   terms (its English and Danish stems, its synonym group, known words it is a typo of,
   the parts of a compound).
2. BM25 over the postings of those terms picks the best ``CANDIDATES`` entries.
3. rapidfuzz compares the question with each candidate's own phrasings.
4. Confidence (0-100) blends how much of the question an entry covers (weighted by how
   rare each word is), how closely it matches a phrasing, and the lead over the runner-up;
   thresholds turn it into answer, ask-to-choose, or decline.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from knowledge.index import Index, split_compound, typo_terms
from knowledge.normalise import SYN, content_tokens, stem

CANDIDATES = 30


class Outcome(enum.StrEnum):
    """What the assistant does with a question."""

    ANSWER = "answer"
    """One entry fits well: answer with it."""
    CHOOSE = "choose"
    """A few entries fit about equally: ask which one was meant."""
    DECLINE = "decline"
    """Nothing fits: say so honestly."""


@dataclass(frozen=True)
class Thresholds:
    """Confidence needed to answer, to offer choices, and the lead needed to answer."""

    answer: float = 62.0
    choose: float = 55.0
    margin: float = 3.0


@dataclass(frozen=True)
class Candidate:
    id: str
    score: float


@dataclass(frozen=True)
class Result:
    query: str
    outcome: Outcome
    candidates: tuple[Candidate, ...]

    @property
    def answer_id(self) -> str | None:
        return self.candidates[0].id if self.outcome is Outcome.ANSWER else None

    @property
    def confident(self) -> bool:
        return self.outcome is Outcome.ANSWER

    @property
    def score(self) -> float:
        return self.candidates[0].score if self.candidates else 0.0

    def choices(self, limit: int = 3) -> list[Candidate]:
        """The entries worth offering as "did you mean" buttons."""
        if not self.candidates:
            return []
        floor = self.candidates[0].score - 15
        return [c for c in self.candidates[:limit] if c.score >= floor]


@dataclass
class _Group:
    """One word of the question: the terms it may stand for, with a weight each."""

    word: str
    terms: list[tuple[int, float]]
    rarity: float


def _groups(index: Index, query: str) -> list[_Group]:
    groups: list[_Group] = []
    unknown_rarity = float(index.idf.max()) if index.idf.size else 1.0
    for word in content_tokens(query, index.synonyms):
        terms = _exact_terms(index, word)
        if not terms:
            parts = split_compound(index, word)
            if parts:
                for part in parts:
                    terms = _exact_terms(index, part)
                    groups.append(_Group(part, terms, _rarity(index, terms)))
                continue
            if not word.startswith(SYN):
                terms, word = typo_terms(index, word)
        rarity = _rarity(index, terms) if terms else unknown_rarity * (0.5 if word.isdigit() else 1.0)
        groups.append(_Group(word, terms, rarity))
    return groups


def _exact_terms(index: Index, word: str) -> list[tuple[int, float]]:
    found = {index.terms[t] for t in {stem(word, "en"), stem(word, "da"), word} if t in index.terms}
    found.update(index.surface.get(word, ()))
    return [(tid, 1.0) for tid in sorted(found)]


def _rarity(index: Index, terms: list[tuple[int, float]]) -> float:
    return max(float(index.idf[tid]) for tid, _ in terms)


def _lexical(index: Index, groups: list[_Group]) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """BM25 per entry, and the share of the question's rarity each entry covers."""
    bm25 = np.zeros(index.size, np.float32)
    covered = np.zeros(index.size, np.float32)
    for group in groups:
        if not group.terms:
            continue
        if len(group.terms) == 1:  # the common case: no temporary arrays
            tid, weight = group.terms[0]
            ids = index.post_ids[tid]
            bm25[ids] += index.post_weights[tid] * (index.idf[tid] * weight)
            covered[ids] += _credit(index, tid, weight, group)
            continue
        best = np.zeros(index.size, np.float32)
        hit = np.zeros(index.size, np.float32)
        for tid, weight in group.terms:
            # a term's postings hold each entry once, so fancy indexing is a safe max-update
            ids = index.post_ids[tid]
            best[ids] = np.maximum(best[ids], index.post_weights[tid] * (index.idf[tid] * weight))
            hit[ids] = np.maximum(hit[ids], _credit(index, tid, weight, group))
        bm25 += best
        covered += hit
    total = sum(g.rarity for g in groups) or 1.0
    return bm25, covered / np.float32(total)


def _credit(index: Index, tid: int, weight: float, group: _Group) -> np.float32:
    """How much of a word's rarity a matching term covers (less for a commoner typo match)."""
    return np.float32(group.rarity * weight * min(1.0, float(index.idf[tid]) / group.rarity + 0.35))


def _fuzzy(index: Index, doc: int, query_by_lang: dict[str, str]) -> float:
    """How closely the question reads like one of the entry's own phrasings (0-100)."""
    best = 0.0
    for line in index.phrasings[doc].split("\n"):
        lang, _, text = line.partition(" ")
        q = query_by_lang[lang]
        best = max(best, 0.5 * fuzz.token_set_ratio(q, text) + 0.5 * fuzz.ratio(q, text))
    return best


def search(index: Index, query: str, thresholds: Thresholds | None = None, limit: int = 5) -> Result:
    """Rank entries for ``query`` and decide what to do with it."""
    thresholds = thresholds or Thresholds()
    groups = _groups(index, query)
    if index.size == 0 or not any(g.terms for g in groups):
        return Result(query, Outcome.DECLINE, ())
    bm25, coverage = _lexical(index, groups)
    k = min(CANDIDATES, index.size)
    pool = np.argpartition(-bm25, k - 1)[:k]
    pool = pool[bm25[pool] > 0]
    top = float(bm25[pool].max())
    words = [g.word for g in groups]
    by_lang = {lang: " ".join(stem(w, lang) for w in words) for lang in ("en", "da")}
    scored = []
    for doc in pool.tolist():
        cover, close = float(coverage[doc]), _fuzzy(index, doc, by_lang) / 100
        rank = 0.5 * cover + 0.3 * close + 0.2 * float(bm25[doc]) / top
        # Confidence leaves out the relative BM25 share: the best entry always has all of it.
        scored.append((rank, round(100 * (0.5 * cover + 0.5 * close), 1), doc))
    scored.sort(key=lambda x: (-x[0], x[2]))
    cands = tuple(Candidate(index.entries[d].id, c) for _, c, d in scored[:limit])
    return Result(query, _decide(cands, thresholds), cands)


def _decide(cands: tuple[Candidate, ...], t: Thresholds) -> Outcome:
    best = cands[0].score
    lead = best - cands[1].score if len(cands) > 1 else 100.0
    if best >= t.answer and lead >= t.margin:
        return Outcome.ANSWER
    if best >= t.choose:
        return Outcome.CHOOSE
    return Outcome.DECLINE
