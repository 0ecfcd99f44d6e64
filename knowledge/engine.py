"""Answer a question from the index: candidates, rerank per phrasing, confidence, outcome.

1. The question is normalised like the entries; each word becomes a group of alternative
   terms (its English and Danish stems, its synonym group, longer or shorter forms that
   Snowball leaves apart, known words it is a typo of, the parts of a compound).
2. BM25 over the postings of those terms picks the best ``CANDIDATES`` entries.
3. Each candidate is scored phrasing by phrasing: how much of the question (weighted by how
   rare each word is) one title or question explains, how much of that phrasing the question
   explains, words in the same order, and rapidfuzz closeness; then per entry: the best
   phrasing, the runner-up phrasing, the keywords, all fields together and (weakly) the answer.
4. Confidence (0-100) is a calibrated probability that the best entry is right, from its
   rank score, its lead over the runner-up and how much of the question it explains;
   thresholds turn it into answer, ask-to-choose, or decline.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from knowledge.index import (
    ANSWER,
    KEYWORDS,
    QUESTION,
    TITLE,
    Index,
    known_form,
    mend,
    related_terms,
    split_compound,
    typo_terms,
)
from knowledge.loader import LANGS
from knowledge.normalise import STOPWORDS, SYN, stem, tokens
from knowledge.query import clean, has_words

CANDIDATES = 30


class F(enum.IntEnum):
    """The ranking features: the columns of a candidate's row, in this order."""

    BEST = 0
    """Best title/question: coverage of the question x share of the phrasing explained."""
    REACH = 1
    """The most of the question one title or question covers."""
    SECOND = 2
    """The entry's second-best phrasing (several phrasings agreeing)."""
    COVER = 3
    """Coverage of the question by the entry's titles, questions and keywords together."""
    KEYWORDS = 4
    """Coverage by the keyword lists."""
    ANSWER = 5
    """Coverage by everything, the answer included."""
    ORDER = 6
    """Share of the question's word pairs found next to each other in a phrasing."""
    FUZZY = 7
    """Rapidfuzz closeness to the best phrasings (0-1)."""
    BM25 = 8
    """BM25 relative to the best candidate."""


FEATURES = tuple(f.name.lower() for f in F)
WEIGHTS = np.array([-0.125, -0.119, 0.682, 0.126, 0.07, 0.442, 0.106, 0.955, 0.275], np.float32)
"""Rank = WEIGHTS . features; fitted on the dev set (see README), few and smooth on purpose."""

CONFIDENCE = (-9.096, 3.687, 2.438, 1.418, 1.789)
"""Logistic calibration: intercept, weights of the top rank score, its lead over the runner-up,
the share of the question the top entry explains, and how much the question says (the log of
its known words' summed rarity: one common word is not enough to be sure). Fitted on the dev
set to the chance that the top entry is right, then shifted so that the default answer
threshold (62) sits where that chance is 70%: a wrong answer costs more than a question back."""


KEYWORDS_COL = F.KEYWORDS

MIN_LEAD = 0.15
"""The least rank-score lead over the runner-up to answer outright. Below it the top entries
fit the question about equally ("interreg", "labels"): asking which one is meant beats guessing."""


EXACT = 0.999
"""A phrasing fit (question coverage x phrasing precision) this high is an exact match."""


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
    abroad: frozenset[str] = frozenset()
    """Countries the question names that the entries found speak nothing about."""

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
        # a runner-up's confidence counts its deficit against it, so the spread is wide
        floor = self.candidates[0].score - 30
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
    words = [mend(index, t) for t in tokens(query) if t not in STOPWORDS]
    for word in index.synonyms.apply(words):
        terms = _exact_terms(index, word)
        if not terms and (form := known_form(index, word)) is not None:
            word, terms = form, _exact_terms(index, form)
        if not terms:
            parts = split_compound(index, word)
            if parts:
                for part in parts:
                    terms = _exact_terms(index, part)
                    groups.append(_Group(part, _with_related(index, part, terms), _rarity(index, terms)))
                continue
        if terms:
            rarity = _rarity(index, terms)
            terms = _with_related(index, word, terms)
        elif word.startswith(SYN):
            rarity = unknown_rarity
        elif _mistyped_stopword(word):
            continue  # "dose" for "does", "hvda" for "hvad": no content, like the word meant
        else:
            typos, closest = typo_terms(index, word)
            terms = _merge(typos, _with_related(index, word, []))
            rarity = _rarity(index, terms) if terms else unknown_rarity * (0.5 if word.isdigit() else 1.0)
            word = closest
        groups.append(_Group(word, terms, rarity))
    return groups


_STOPWORD_LIST = sorted(w for w in STOPWORDS if len(w) >= 3)


@lru_cache(maxsize=20_000)
def _mistyped_stopword(word: str) -> bool:
    """A short unknown word one slip (a swap, a missing, extra or wrong letter) from a stopword."""
    if not 3 <= len(word) <= 6 or not word.isalpha():
        return False
    return process.extractOne(word, _STOPWORD_LIST, scorer=OSA.distance, score_cutoff=1) is not None


def _exact_terms(index: Index, word: str) -> list[tuple[int, float]]:
    found = {index.terms[t] for t in {stem(word, "en"), stem(word, "da"), word} if t in index.terms}
    found.update(index.surface.get(word, ()))
    return [(tid, 1.0) for tid in sorted(found)]


def _with_related(index: Index, word: str, terms: list[tuple[int, float]]) -> list[tuple[int, float]]:
    forms = {stem(word, lang) for lang in LANGS} | {word}
    related: list[tuple[int, float]] = []
    for form in forms:
        related.extend(related_terms(index, form))
    return _merge(terms, related)


def _merge(*lists: list[tuple[int, float]]) -> list[tuple[int, float]]:
    best: dict[int, float] = {}
    for items in lists:
        for tid, weight in items:
            best[tid] = max(best.get(tid, 0.0), weight)
    return sorted(best.items())


def _rarity(index: Index, terms: list[tuple[int, float]]) -> float:
    return max(float(index.idf[tid]) for tid, _ in terms)


def _bm25(index: Index, groups: list[_Group]) -> npt.NDArray[np.float32]:
    """BM25 per entry; a word's alternatives count once (the best of them)."""
    bm25 = np.zeros(index.size, np.float32)
    for group in groups:
        if not group.terms:
            continue
        if len(group.terms) == 1:  # the common case: no temporary arrays
            tid, weight = group.terms[0]
            ids, weights = index.postings(tid)
            bm25[ids] += weights * (index.idf[tid] * weight)
            continue
        best = np.zeros(index.size, np.float32)
        for tid, weight in group.terms:
            # a term's postings hold each entry once, so fancy indexing is a safe max-update
            ids, weights = index.postings(tid)
            best[ids] = np.maximum(best[ids], weights * (index.idf[tid] * weight))
        bm25 += best
    return bm25


@dataclass
class _Query:
    groups: list[_Group]
    term_ids: npt.NDArray[np.int32]
    """Every alternative term, sorted; with the group and weight of each."""
    term_group: npt.NDArray[np.int32]
    term_weight: npt.NDArray[np.float32]
    rarity: npt.NDArray[np.float32]
    by_lang: list[str]
    """The question as stems, per language, for rapidfuzz."""


def _query(groups: list[_Group]) -> _Query:
    best: dict[int, tuple[float, int]] = {}
    for g, group in enumerate(groups):
        for tid, weight in group.terms:
            if weight > best.get(tid, (0.0, 0))[0]:
                best[tid] = (weight, g)
    tids = sorted(best)
    words = [g.word for g in groups]
    return _Query(
        groups,
        np.array(tids, np.int32),
        np.array([best[t][1] for t in tids], np.int32),
        np.array([best[t][0] for t in tids], np.float32),
        np.array([g.rarity for g in groups], np.float32),
        [" ".join(stem(w, lang) for w in words) for lang in LANGS],
    )


def features(index: Index, q: _Query, docs: list[int], bm25: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """One row of :data:`FEATURES` per candidate entry."""
    first, last = index.entry_phrases[docs], index.entry_phrases[np.array(docs) + 1]
    phrase_ids = np.concatenate([np.arange(a, b) for a, b in zip(first.tolist(), last.tolist(), strict=True)])
    owner = np.repeat(np.arange(len(docs)), last - first)
    starts, ends = index.phrase_start[phrase_ids], index.phrase_start[phrase_ids + 1]
    lengths = ends - starts
    toks = np.concatenate([index.seq[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)])
    tok_phrase = np.repeat(np.arange(len(phrase_ids)), lengths)

    at = np.minimum(np.searchsorted(q.term_ids, toks), len(q.term_ids) - 1)
    hit = q.term_ids[at] == toks
    group = np.where(hit, q.term_group[at], -1)
    weight = np.where(hit, q.term_weight[at], 0.0).astype(np.float32)

    n_phr, n_groups = len(phrase_ids), len(q.groups)
    matched = np.zeros((n_phr, n_groups), np.float32)
    np.maximum.at(matched, (tok_phrase[hit], group[hit]), weight[hit])
    total = float(q.rarity.sum()) or 1.0
    coverage = matched @ q.rarity / total

    idf = index.idf[toks]
    explained = np.bincount(tok_phrase, weights=idf * weight, minlength=n_phr)
    precision = explained / np.maximum(np.bincount(tok_phrase, weights=idf, minlength=n_phr), 1e-6)

    pairs = hit[:-1] & (group[1:] == group[:-1] + 1) & (tok_phrase[1:] == tok_phrase[:-1])
    in_order = np.bincount(tok_phrase[:-1][pairs], minlength=n_phr) / max(n_groups - 1, 1)

    kind = index.phrase_kind[phrase_ids]
    phrasing = (kind == TITLE) | (kind == QUESTION)
    fit = np.where(phrasing, coverage * precision, 0.0)
    reach = np.where(phrasing, coverage, 0.0)

    # each candidate's phrasings are contiguous: per-candidate figures are segment reductions
    bounds = np.concatenate(([0], np.cumsum(last - first)[:-1]))
    n_own = last - first
    out = np.zeros((len(docs), len(FEATURES)), np.float32)
    by_fit = np.lexsort((-fit, owner))
    out[:, F.BEST] = fit[by_fit[bounds]]
    out[:, F.REACH] = np.maximum.reduceat(reach, bounds)
    has_second = n_own > 1
    out[has_second, F.SECOND] = fit[by_fit[bounds[has_second] + 1]]
    for col, mask in ((F.COVER, kind != ANSWER), (F.KEYWORDS, kind == KEYWORDS), (F.ANSWER, None)):
        rows = matched if mask is None else matched * mask[:, None]
        out[:, col] = np.maximum.reduceat(rows, bounds, axis=0) @ q.rarity / total
    out[:, F.ORDER] = np.maximum.reduceat(in_order, bounds)
    by_close = np.lexsort((-(fit + reach), owner))
    for c, (at, n) in enumerate(zip(bounds.tolist(), n_own.tolist(), strict=True)):
        out[c, F.FUZZY] = _fuzzy(index, q, phrase_ids[by_close[at : at + min(n, 3)]])
    out[:, F.BM25] = bm25[docs] / (float(bm25[docs].max()) or 1.0)
    return out


def _fuzzy(index: Index, q: _Query, phrases: npt.NDArray[np.int64]) -> float:
    """How closely the question reads like one of the given phrasings (0-1)."""
    best = 0.0
    for p in phrases.tolist():
        text = " ".join(index.names[t] for t in index.seq[index.phrase_start[p] : index.phrase_start[p + 1]])
        mine = q.by_lang[int(index.phrase_lang[p])]
        best = max(best, 0.5 * fuzz.token_set_ratio(mine, text) + 0.5 * fuzz.ratio(mine, text))
    return best / 100


def confidence(rank: float, lead: float, cover: float, info: float) -> float:
    """How sure (0-100) we are that an entry ranked so is the right answer."""
    b0, b_rank, b_lead, b_cover, b_info = CONFIDENCE
    z = b0 + b_rank * rank + b_lead * lead + b_cover * cover + b_info * info
    return 100.0 / (1.0 + math.exp(-z))


@dataclass
class Ranking:
    """Candidate entries with their feature rows and rank scores, best first."""

    docs: list[int]
    rows: npt.NDArray[np.float32]
    scores: npt.NDArray[np.float32]
    info: float
    """How much the question says: log(1 + summed rarity of its known words)."""
    words: int
    """How many content words of the question the index knows."""


def rank(index: Index, query: str) -> Ranking | None:
    """Rank the candidate entries for ``query``; ``None`` when no word of it is known."""
    groups = _groups(index, query)
    if index.size == 0 or not any(g.terms for g in groups):
        return None
    bm25 = _bm25(index, groups)
    k = min(CANDIDATES, index.size)
    pool = np.argpartition(-bm25, k - 1)[:k]
    pool = pool[bm25[pool] > 0]
    if pool.size == 0:
        return None
    docs = sorted(pool.tolist())
    rows = features(index, _query(groups), docs, bm25)
    scores = rows @ WEIGHTS
    order = np.lexsort((np.array(docs), -scores))
    info = math.log1p(sum(g.rarity for g in groups if g.terms))
    words = sum(1 for g in groups if g.terms)
    return Ranking([docs[i] for i in order], rows[order], scores[order], info, words)


def search(index: Index, query: str, thresholds: Thresholds | None = None, limit: int = 5) -> Result:
    """Rank entries for ``query`` and decide what to do with it."""
    thresholds = thresholds or Thresholds()
    query = clean(query)
    if not has_words(query):  # "2" meant for a button that is not there: not a question
        return Result(query, Outcome.DECLINE, ())
    ranked = rank(index, query)
    if ranked is None:
        return Result(query, Outcome.DECLINE, ())
    docs, rows, scores = ranked.docs, ranked.rows, ranked.scores
    top = float(scores[0])
    lead = top - float(scores[1]) if len(scores) > 1 else top
    cands = [Candidate(index.ids[docs[0]], round(confidence(top, lead, float(rows[0, F.COVER]), ranked.info), 1))]
    # the others: the same calibration, with the lead they would need (what they trail by)
    for i in range(1, min(limit, len(docs))):
        score, behind = float(scores[i]), float(scores[i]) - top
        conf = confidence(score, behind, float(rows[i, F.COVER]), ranked.info)
        cands.append(Candidate(index.ids[docs[i]], round(conf, 1)))
    outcome = _decide(tuple(cands), thresholds)
    if outcome is Outcome.ANSWER and lead < MIN_LEAD:  # near-equal entries: let the person choose
        outcome = Outcome.CHOOSE
    if outcome is Outcome.ANSWER and ranked.words == 1 and rows[0, KEYWORDS_COL] == 0:
        # One word that the entry only mentions in passing ("what time is it" -> a question
        # about surveys "over time") is no topic: a lone word must be one of the entry's own.
        outcome = Outcome.DECLINE
    exact = _typed_as_phrased(rows)
    if exact is not None:
        # the question is one of an entry's own phrasings, and only that entry's: answer it
        mine = cands.pop(exact) if exact < len(cands) else Candidate(index.ids[docs[exact]], 0.0)
        cands.insert(0, Candidate(mine.id, max(mine.score, thresholds.answer)))
        del cands[limit:]
        outcome = Outcome.ANSWER
    return Result(query, outcome, tuple(cands))


def _typed_as_phrased(rows: npt.NDArray[np.float32]) -> int | None:
    """The one candidate (its place) with a title or question that says exactly what the
    question says (every word of each explains the other), if only one has such a phrasing:
    the clearest match there is, even for a question too short for the calibration alone."""
    exact = np.flatnonzero(rows[:, F.BEST] >= EXACT)
    return int(exact[0]) if len(exact) == 1 else None


def decide(cands: tuple[Candidate, ...], t: Thresholds) -> Outcome:
    """Answer, choose or decline from candidates' confidences alone."""
    return _decide(cands, t) if cands else Outcome.DECLINE


def _decide(cands: tuple[Candidate, ...], t: Thresholds) -> Outcome:
    best = cands[0].score
    lead = best - cands[1].score if len(cands) > 1 else 100.0
    if best >= t.answer and lead >= t.margin:
        return Outcome.ANSWER
    if best >= t.choose:
        return Outcome.CHOOSE
    return Outcome.DECLINE
