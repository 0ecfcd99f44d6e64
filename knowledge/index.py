"""The inverted index: terms -> postings of (entry, weight), plus a vocabulary for typos.

Query cost depends on the postings of the few terms in a question, not on the number of
entries: postings are numpy arrays, so scoring a term is one vectorised add, and only a
small candidate set is reranked with rapidfuzz.
"""

from __future__ import annotations

from array import array
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
    phrasings: list[str] = field(default_factory=list)
    """Per entry: its title and questions, stemmed, one per line as ``lang text`` (one string
    per entry keeps a large base small), for the rapidfuzz rerank."""
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
    # (term, entry, weighted tf) triples in compact arrays: no Python object per posting
    p_term, p_doc, p_tf = array("i"), array("i"), array("f")
    lengths = array("f")
    surface: defaultdict[str, set[int]] = defaultdict(set)
    for doc, entry in enumerate(index.entries):
        index.by_id.setdefault(entry.id, doc)
        tf: defaultdict[int, float] = defaultdict(float)
        texts: list[str] = []
        for kind, lang, text in _entry_fields(entry):
            pairs = analyse(text, lang, synonyms)
            for word, term in pairs:
                tid = index.terms.setdefault(term, len(index.terms))
                tf[tid] += FIELD_WEIGHTS[kind]
                surface[word].add(tid)
            if kind != "keywords" and pairs:
                texts.append(lang + " " + " ".join(t for _, t in pairs))
        p_term.extend(tf.keys())
        p_doc.extend([doc] * len(tf))
        p_tf.extend(tf.values())
        lengths.append(sum(tf.values()))
        index.phrasings.append("\n".join(texts))
    _postings(
        index,
        np.frombuffer(p_term, np.int32),
        np.frombuffer(p_doc, np.int32),
        np.frombuffer(p_tf, np.float32),
        np.frombuffer(lengths, np.float32),
    )
    index.surface = {w: sorted(ids) for w, ids in surface.items()}
    buckets: defaultdict[str, list[str]] = defaultdict(list)
    for word in index.surface:
        if not word.startswith(SYN) and word.isalpha() and len(word) >= 4:
            buckets[word[0]].append(word)
    index.buckets = dict(buckets)
    return index


def _postings(
    index: Index,
    terms: npt.NDArray[np.int32],
    docs: npt.NDArray[np.int32],
    tfs: npt.NDArray[np.float32],
    lengths: npt.NDArray[np.float32],
) -> None:
    n = max(len(lengths), 1)
    avg = float(lengths.mean()) if len(lengths) else 1.0
    norm = K1 * (1 - B + B * lengths[docs] / (avg or 1.0))
    weights = (tfs * (K1 + 1) / (tfs + norm)).astype(np.float32)
    order = np.argsort(terms, kind="stable")
    counts = np.bincount(terms, minlength=len(index.terms))
    bounds = np.concatenate(([0], np.cumsum(counts)))
    sorted_docs, sorted_weights = docs[order], weights[order]
    index.idf = np.log(1 + (n - counts + 0.5) / (counts + 0.5)).astype(np.float32)
    index.post_ids = [sorted_docs[bounds[t] : bounds[t + 1]] for t in range(len(index.terms))]
    index.post_weights = [sorted_weights[bounds[t] : bounds[t + 1]] for t in range(len(index.terms))]


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
