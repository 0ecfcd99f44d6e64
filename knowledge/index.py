"""The inverted index: terms -> postings of (entry, weight), plus a vocabulary for typos.

Query cost depends on the postings of the few terms in a question, not on the number of
entries: postings are numpy arrays, so scoring a term is one vectorised add, and only a
small candidate set is reranked with rapidfuzz.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from knowledge.loader import LANGS, Entry
from knowledge.normalise import SYN, Synonyms, content_tokens, stem

FIELD_WEIGHTS = {"title": 2.0, "questions": 1.0, "keywords": 1.5}
K1, B = 1.2, 0.5
"""BM25 constants; a low ``B`` because entries with more phrasings are not less specific."""


@dataclass
class Index:
    """Everything a query needs, built once per load of the knowledge base."""

    entries: list[Entry]
    synonyms: Synonyms
    terms: dict[str, int] = field(default_factory=dict)
    post_ids: list[npt.NDArray[np.int32]] = field(default_factory=list)
    post_weights: list[npt.NDArray[np.float32]] = field(default_factory=list)
    idf: npt.NDArray[np.float32] = field(default_factory=lambda: np.zeros(0, np.float32))
    surface: dict[str, list[int]] = field(default_factory=dict)
    """Folded word as written -> the term ids it became (to map a typo'd word to terms)."""
    buckets: dict[str, list[str]] = field(default_factory=dict)
    """Surface words by first letter: the only words a typo is compared with."""
    phrasings: list[list[tuple[str, str]]] = field(default_factory=list)
    """Per entry: (lang, stemmed text) of its title and questions, for the rapidfuzz rerank."""
    by_id: dict[str, int] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.entries)


def analyse(text: str, lang: str, synonyms: Synonyms) -> list[tuple[str, str]]:
    """(surface word, term) pairs of a text in a known language."""
    return [(tok, stem(tok, lang)) for tok in content_tokens(text, synonyms)]


def _entry_fields(entry: Entry) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for lang in LANGS:
        out.append(("title", lang, entry.title.get(lang, "")))
        out.extend(("questions", lang, q) for q in entry.questions.get(lang, ()))
        out.extend(("keywords", lang, k) for k in entry.keywords.get(lang, ()))
    return out


def build_index(entries: Sequence[Entry], synonyms: Synonyms | None = None) -> Index:
    synonyms = synonyms or Synonyms.load()
    index = Index(list(entries), synonyms)
    tfs: list[dict[int, float]] = []
    surface: defaultdict[str, set[int]] = defaultdict(set)
    for entry in index.entries:
        index.by_id.setdefault(entry.id, len(tfs))
        tf: defaultdict[int, float] = defaultdict(float)
        texts: list[tuple[str, str]] = []
        for kind, lang, text in _entry_fields(entry):
            pairs = analyse(text, lang, synonyms)
            for word, term in pairs:
                tid = index.terms.setdefault(term, len(index.terms))
                tf[tid] += FIELD_WEIGHTS[kind]
                surface[word].add(tid)
            if kind != "keywords" and pairs:
                texts.append((lang, " ".join(t for _, t in pairs)))
        tfs.append(tf)
        index.phrasings.append(texts)
    _postings(index, tfs)
    index.surface = {w: sorted(ids) for w, ids in surface.items()}
    buckets: defaultdict[str, list[str]] = defaultdict(list)
    for word in index.surface:
        if not word.startswith(SYN) and word.isalpha() and len(word) >= 4:
            buckets[word[0]].append(word)
    index.buckets = dict(buckets)
    return index


def _postings(index: Index, tfs: list[dict[int, float]]) -> None:
    n = max(len(tfs), 1)
    lengths = np.array([sum(tf.values()) for tf in tfs] or [1.0], np.float32)
    avg = float(lengths.mean()) or 1.0
    ids: list[list[int]] = [[] for _ in index.terms]
    raw: list[list[float]] = [[] for _ in index.terms]
    for doc, tf in enumerate(tfs):
        norm = K1 * (1 - B + B * lengths[doc] / avg)
        for tid, f in tf.items():
            ids[tid].append(doc)
            raw[tid].append(f * (K1 + 1) / (f + norm))
    index.idf = np.array([math.log(1 + (n - len(d) + 0.5) / (len(d) + 0.5)) for d in ids], np.float32)
    index.post_ids = [np.array(d, np.int32) for d in ids]
    index.post_weights = [np.array(w, np.float32) for w in raw]


def typo_terms(index: Index, word: str) -> tuple[list[tuple[int, float]], str]:
    """Terms of known words one or two edits from ``word`` (two only for long words), and
    the closest such word."""
    if len(word) < 4 or not word.isalpha():
        return [], word
    limit = 1 if len(word) < 8 else 2
    bucket = index.buckets.get(word[0], [])
    found = process.extract(word, bucket, scorer=Levenshtein.distance, score_cutoff=limit, limit=8)
    best: dict[int, float] = {}
    for known, dist, _ in found:
        weight = 0.85 if dist <= 1 else 0.7
        for tid in index.surface[known]:
            best[tid] = max(best.get(tid, 0.0), weight)
    return list(best.items()), (found[0][0] if found else word)


def split_compound(index: Index, word: str) -> list[str]:
    """A Danish compound typed as one word (``bronzemaerket``) as two known words, if it is."""
    if len(word) < 7 or not word.isalpha():
        return []
    for cut in range(len(word) - 3, 2, -1):
        head, tail = word[:cut], _known(index, word[cut:])
        for h in (head, head[:-1] if head.endswith(("s", "e")) else ""):
            known = _known(index, h) if h else None
            if known and tail:
                return [known, tail]
    return []


def _known(index: Index, word: str) -> str | None:
    """The index's name for a word: itself, or its synonym group's term."""
    term = index.synonyms.phrases.get((word,))
    if term is not None and term in index.surface:
        return term
    return word if word in index.surface else None
