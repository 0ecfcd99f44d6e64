"""The inverted index: terms -> postings of (entry, weight), plus every phrasing as term ids.

Two layers serve a question:

* entry-level BM25 postings pick a small candidate set; query cost grows with the postings of
  the few terms in a question, not with the number of entries;
* every title, question, keyword list and answer of an entry is kept as a run of term ids in
  one flat array, so the candidates can be scored phrasing by phrasing (how much of the
  question one phrasing explains, and how much of that phrasing the question explains).

Everything large is a numpy array (no Python object per posting or per token), and each
distinct word is folded, stemmed and looked up once per build, not once per occurrence.
"""

from __future__ import annotations

import bisect
from array import array
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import OSA

from knowledge.loader import LANGS, Entry
from knowledge.normalise import SYN, Synonyms, content_token_lists, stem

TITLE, QUESTION, KEYWORDS, ANSWER = 0, 1, 2, 3
"""Kinds of phrasing. Titles and questions are scored one by one; an entry's keywords (per
language) and answer (per language) each form one bag of words."""

FIELD_WEIGHTS = {TITLE: 2.0, QUESTION: 1.0, KEYWORDS: 1.5, ANSWER: 0.0}
"""Term frequency weights for the candidate BM25. The answer is left out there: it is long
and shared vocabulary would crowd out the entries whose phrasings fit; it counts as a weak
signal in the rerank only."""
K1, B = 1.2, 0.5
"""BM25 constants; a low ``B`` because entries with more phrasings are not less specific."""
PREFIX_MIN = 5
"""Words sharing at least this many leading letters, one the start of the other, are
related forms (``evaluering``/``evaluere``, ``tilskud``/``tilskudsmuligheder``)."""


def _empty_i32() -> npt.NDArray[np.int32]:
    return np.zeros(0, np.int32)


@dataclass
class Index:
    """Everything a query needs, built once per load of the knowledge base."""

    ids: list[str]
    synonyms: Synonyms
    terms: dict[str, int] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    """Term id -> term."""
    sorted_terms: list[str] = field(default_factory=list)
    """Terms in alphabetical order, to find the longer forms of a word by prefix."""
    post_bounds: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(1, np.int64))
    post_docs: npt.NDArray[np.int32] = field(default_factory=_empty_i32)
    post_weights: npt.NDArray[np.float32] = field(default_factory=lambda: np.zeros(0, np.float32))
    idf: npt.NDArray[np.float32] = field(default_factory=lambda: np.zeros(0, np.float32))
    seq: npt.NDArray[np.int32] = field(default_factory=_empty_i32)
    """All phrasings' term ids, back to back."""
    phrase_start: npt.NDArray[np.int32] = field(default_factory=_empty_i32)
    """Where each phrasing starts in ``seq`` (one extra item: the end)."""
    phrase_kind: npt.NDArray[np.int8] = field(default_factory=lambda: np.zeros(0, np.int8))
    phrase_lang: npt.NDArray[np.int8] = field(default_factory=lambda: np.zeros(0, np.int8))
    entry_phrases: npt.NDArray[np.int32] = field(default_factory=_empty_i32)
    """Where each entry's phrasings start in ``phrase_start`` (one extra item: the end)."""
    surface: dict[str, list[int]] = field(default_factory=dict)
    """Folded word as written -> the term ids it became (to map a typo'd word to terms)."""
    buckets: dict[str, list[str]] = field(default_factory=dict)
    """Surface words by first letter: the only words a typo is compared with."""
    by_id: dict[str, int] = field(default_factory=dict)
    phrase_words: list[str] = field(default_factory=list)
    """Words of the many-word synonyms ("cluster excellence denmark"), to mend a typo in
    one before the phrase is looked up."""

    @property
    def size(self) -> int:
        return len(self.ids)

    def postings(self, tid: int) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
        lo, hi = int(self.post_bounds[tid]), int(self.post_bounds[tid + 1])
        return self.post_docs[lo:hi], self.post_weights[lo:hi]


def _analysed(
    builder: _Builder, entry: Entry, cache: dict[tuple[str, int], list[int]]
) -> list[tuple[int, int, list[int]]]:
    """(kind, language number, term ids) of an entry's phrasings. Titles and questions are
    analysed together in one pass per entry; keyword lists and answers often recur (variants
    of one topic), so they are analysed once per distinct text."""
    texts: list[str] = []
    for name in LANGS:
        texts.append(entry.title.get(name, ""))
        texts.extend(entry.questions.get(name, ()))
    phrasings = iter(builder.term_ids(texts))
    out: list[tuple[int, int, list[int]]] = []
    for lang, name in enumerate(LANGS):
        out.append((TITLE, lang, builder.terms(next(phrasings), lang)))
        out.extend((QUESTION, lang, builder.terms(next(phrasings), lang)) for _ in entry.questions.get(name, ()))
        for kind, bag in ((KEYWORDS, list(entry.keywords.get(name, ()))), (ANSWER, [entry.answer.get(name, "")])):
            key = ("\n".join(bag), kind * 2 + lang)
            tids = cache.get(key)
            if tids is None:
                tids = [t for words in builder.term_ids(bag) for t in builder.terms(words, lang)]
                if kind == ANSWER:
                    tids = sorted(set(tids))  # a bag: order and repeats do not matter
                cache[key] = tids
            out.append((kind, lang, tids))
    return out


class _Builder:
    """Turns texts into term ids, analysing each distinct word once."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.word_terms: list[dict[str, int]] = [{} for _ in LANGS]
        self.surface: defaultdict[str, set[int]] = defaultdict(set)

    def term_ids(self, texts: list[str]) -> list[list[str]]:
        """The words of each text, before stemming (which depends on the language)."""
        return content_token_lists(texts, self.index.synonyms)

    def terms(self, words: list[str], lang: int) -> list[int]:
        known = self.word_terms[lang]
        tids = [known.get(word, -1) for word in words]
        if -1 in tids:
            tids = [tid if tid >= 0 else self._add(word, lang) for word, tid in zip(words, tids, strict=True)]
        return tids

    def _add(self, word: str, lang: int) -> int:
        term = stem(word, LANGS[lang])
        tid = self.index.terms.get(term)
        if tid is None:
            tid = self.index.terms[term] = len(self.index.names)
            self.index.names.append(term)
        self.word_terms[lang][word] = tid
        self.surface[word].add(tid)
        return tid


def build_index(entries: Iterable[Entry], synonyms: Synonyms | None = None) -> Index:
    """The index of ``entries``, read once (a stream will do)."""
    synonyms = synonyms or Synonyms.load()
    index = Index([], synonyms)
    builder = _Builder(index)
    # the phrasings as flat arrays; postings and rarity are then counted with numpy, not per word
    seq, starts, kinds, langs, entry_phrases = array("i"), array("i"), array("b"), array("b"), array("i")
    text_cache: dict[tuple[str, int], list[int]] = {}
    for doc, entry in enumerate(entries):
        index.ids.append(entry.id)
        index.by_id.setdefault(entry.id, doc)
        entry_phrases.append(len(starts))
        for kind, lang, tids in _analysed(builder, entry, text_cache):
            if tids:
                starts.append(len(seq))
                seq.extend(tids)
                kinds.append(kind)
                langs.append(lang)
    del text_cache
    entry_phrases.append(len(starts))
    starts.append(len(seq))
    index.seq = np.frombuffer(seq, np.int32).copy()
    del seq
    index.phrase_start = np.frombuffer(starts, np.int32).copy()
    index.phrase_kind = np.frombuffer(kinds, np.int8).copy()
    index.phrase_lang = np.frombuffer(langs, np.int8).copy()
    index.entry_phrases = np.frombuffer(entry_phrases, np.int32).copy()
    _postings(index)
    # a synonym's one-word variants are words people type too, and mistype: "silvr", "lable"
    for phrase, term in synonyms.phrases.items():
        syn_tid = index.terms.get(term)
        if syn_tid is not None and len(phrase) == 1:
            builder.surface[phrase[0]].add(syn_tid)
    index.surface = {w: sorted(ids) for w, ids in builder.surface.items()}
    index.phrase_words = sorted({w for phrase in synonyms.phrases if len(phrase) > 1 for w in phrase})
    buckets: defaultdict[str, list[str]] = defaultdict(list)
    for word in index.surface:
        if not word.startswith(SYN) and word.isalpha() and len(word) >= 4:
            buckets[word[0]].append(word)
    index.buckets = dict(buckets)
    index.sorted_terms = sorted(t for t in index.terms if not t.startswith(SYN))
    return index


def _postings(index: Index) -> None:
    """Entry-level BM25 postings and each term's rarity, from the flat phrasings."""
    n_terms, n_docs = len(index.names), max(index.size, 1)
    lengths = np.diff(index.phrase_start)
    per_entry = np.diff(index.entry_phrases)
    phrase_doc = np.repeat(np.arange(index.size, dtype=np.int64), per_entry)
    field_weight = np.array([FIELD_WEIGHTS[k] for k in range(len(FIELD_WEIGHTS))], np.float32)
    token_weight = np.repeat(field_weight[index.phrase_kind], lengths)
    keys = np.repeat(phrase_doc, lengths) * n_terms + index.seq
    del phrase_doc
    # rarity counts every field, answers too: a word in every answer is not specific
    df = np.bincount(_distinct(np.sort(keys)) % n_terms, minlength=n_terms)
    weighted = token_weight > 0
    keys, token_weight = keys[weighted], token_weight[weighted]
    order = np.argsort(keys)
    keys, token_weight = keys[order], token_weight[order]
    first = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    pairs = keys[first]
    tfs = np.add.reduceat(token_weight, first).astype(np.float32) if len(first) else np.zeros(0, np.float32)
    del keys, token_weight, weighted, order, first
    docs, terms = (pairs // n_terms).astype(np.int32), (pairs % n_terms).astype(np.int32)
    del pairs
    doc_len = np.bincount(docs, weights=tfs, minlength=index.size).astype(np.float32)
    avg = float(doc_len.mean()) if len(doc_len) else 1.0
    norm = K1 * (1 - B + B * doc_len[docs] / (avg or 1.0))
    weights = (tfs * (K1 + 1) / (tfs + norm)).astype(np.float32)
    order = np.argsort(terms, kind="stable")
    counts = np.bincount(terms, minlength=n_terms)
    index.post_bounds = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    index.post_docs = docs[order]
    index.post_weights = weights[order]
    index.idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)


def _distinct(sorted_keys: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    if not len(sorted_keys):
        return sorted_keys
    return sorted_keys[np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]]


def related_terms(index: Index, term: str) -> list[tuple[int, float]]:
    """Other forms of a stemmed word that Snowball leaves apart: known terms that start with
    it, or that it starts with (a compound's head), at least ``PREFIX_MIN`` letters long."""
    if len(term) < PREFIX_MIN or term.startswith(SYN) or not term.isalpha():
        return []
    found: dict[int, float] = {}
    at = bisect.bisect_left(index.sorted_terms, term)
    for other in index.sorted_terms[at : at + 8]:
        if not other.startswith(term):
            break
        if other != term:
            found[index.terms[other]] = 0.8 if len(term) >= 0.6 * len(other) else 0.6
    for cut in range(len(term) - 1, PREFIX_MIN - 1, -1):
        tid = index.terms.get(term[:cut])
        if tid is not None:
            found[tid] = max(found.get(tid, 0.0), 0.8 if cut >= 0.6 * len(term) else 0.6)
            break
    return list(found.items())


def typo_terms(index: Index, word: str) -> tuple[list[tuple[int, float]], str]:
    """Terms of known words one or two edits from ``word`` (two only for long words), and
    the closest such word."""
    if len(word) < 4 or not word.isalpha():
        return [], word
    limit = 1 if len(word) < 8 else 2
    bucket = index.buckets.get(word[0], [])
    found = process.extract(word, bucket, scorer=OSA.distance, score_cutoff=limit, limit=8)
    best: dict[int, float] = {}
    for known, dist, _ in found:
        weight = 0.85 if dist <= 1 else 0.7
        for tid in index.surface[known]:
            best[tid] = max(best.get(tid, 0.0), weight)
    return list(best.items()), (found[0][0] if found else word)


def mend(index: Index, word: str) -> str:
    """A word one edit from a word of a many-word synonym, and known nowhere else, as that word."""
    if len(word) < 5 or not word.isalpha() or word in index.surface:
        return word
    if index.synonyms.phrases.get((word,)) is not None:
        return word
    found = process.extractOne(word, index.phrase_words, scorer=OSA.distance, score_cutoff=1)
    return str(found[0]) if found else word


DANISH_ENDINGS = ("ernes", "erne", "ene", "ets", "ens", "et", "en", "er", "e", "s")
"""Definite, plural and genitive endings, longest first: ``labelet``, ``midlerne``, ``programmets``."""


def known_form(index: Index, word: str) -> str | None:
    """The index's name for a word or for the word without a Danish ending (``guldlabelet`` ->
    the Gold synonym, ``sammenlaegningen`` -> the merger synonym), if it knows one."""
    known = _known(index, word)
    if known is not None or not word.isalpha():
        return known
    for ending in DANISH_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            known = _known(index, word[: -len(ending)])
            if known is not None:
                return known
    return None


def split_compound(index: Index, word: str) -> list[str]:
    """A Danish compound typed as one word (``bronzemaerket``) as two known words, if it is."""
    if len(word) < 7 or not word.isalpha():
        return []
    for cut in range(len(word) - 3, 2, -1):
        head, tail = word[:cut], known_form(index, word[cut:])
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
