"""Text normalisation that fits how people type here.

Every text (entries and questions alike) goes through the same steps, so they meet in the
middle: Unicode and case folding; Danish letters reduced to one ASCII skeleton, so ``mærke``,
``maerke`` and ``marke`` are one word (``æ``/``ae`` -> ``a``, ``ø``/``oe`` -> ``o``,
``å``/``aa`` -> ``a``); tokens; stopwords; synonyms and abbreviations (``synonyms.yaml``)
replaced by one shared term; Snowball stemming per language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

SYNONYMS_FILE = Path(__file__).with_name("synonyms.yaml")
SYN = "="
"""Prefix of a synonym group's shared term; such terms are never stemmed or fuzzed."""

_LETTER_PAIRS = (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"))
_LETTERS = str.maketrans(dict(_LETTER_PAIRS))
_SKELETON = re.compile(r"(a)[ae]|(o)e")
"""``aa``/``ae`` -> ``a``, ``oe`` -> ``o``: each pair keeps its first letter (a template, not
a Python callback per match: this runs on every text of the base)."""
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_TOKEN_OR_BREAK = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|\n")

_STOP_EN = """a about above after again all also am an and any are as at be been being below
between both but by can could did do does doing done during each either else etc ever few for
from further get got had has have having he her here hers him his how i if in into is it its
just let me mine more most much must my no nor not now of off on once only or other our ours
out over own please same shall she should so some such than that the their theirs them then
there these they this those through to too under until up upon us very via was we were what
when where which while who whom whose why will with within would yes you your yours tell
know want wants need needs like would could i'd i'm we're it's there's what's anything anymore"""
_STOP_DA = """ad af al alle alt altid andet anden at bare begge blev blive bliver da de dem den
denne der deres det dette dig din dine disse dit dog du efter eller en end er et for fik fra
faa faar gerne giver gor gore gaar han hans har have hende hendes her hos hun hvad hvem hvor
hvordan hvilke hvilken hvilket hvis hvorfor hvornaar i ikke ind jeg jer jeres jo kan kun kunne
lidt man mange med meget men mig min mine mit mod maa maatte ned noget nogen nogle nu naar og
ogsaa om op os paa saa sig sin sine sit skal skulle som saadan til ud under var vi vil ville
vor vores vaere vaeret fx feks osv vel lige sige fortael fortaelle gerne hej tak mere mest del
foregar foregaar"""


def fold(text: str) -> str:
    """Case, Unicode and Danish-letter folding to an ASCII skeleton (``Mærket`` -> ``market``)."""
    text = text.casefold()
    if not text.isascii():
        for letter, ascii_ in _LETTER_PAIRS:  # str.replace: far faster than translate's lookups
            if letter in text:
                text = text.replace(letter, ascii_)
        if not text.isascii():  # accents, ligatures, dashes, other scripts: per such character
            text = _NON_ASCII.sub(lambda m: _fold_char(m.group()), text)
    return _SKELETON.sub(r"\1\2", text)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    c = unicodedata.normalize("NFKC", c).casefold().translate(_LETTERS)
    return "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))


def tokens(text: str) -> list[str]:
    found: list[str] = _TOKEN.findall(fold(text))
    return [t.replace("'", "") for t in found] if "'" in text else found


STOPWORDS = frozenset(t for word in (_STOP_EN + " " + _STOP_DA).split() for t in tokens(word))


@lru_cache(maxsize=2)
def _stemmer(lang: str) -> Any:
    # Imported on first use: the package loads all of its languages, which a command never needs.
    import snowballstemmer

    return snowballstemmer.stemmer({"en": "english", "da": "danish"}[lang])


@lru_cache(maxsize=200_000)
def stem(token: str, lang: str) -> str:
    """The Snowball stem of a folded token; digits and synonym terms stay as they are."""
    if token.startswith(SYN) or not token.isalpha() or len(token) <= 3:
        return token
    return str(_stemmer(lang).stemWord(token))


@dataclass(frozen=True, slots=True)
class Synonyms:
    """Phrases (as token tuples) mapped to a shared term, longest phrase first."""

    phrases: Mapping[tuple[str, ...], str]
    longest: int
    starts: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    """First words of the phrases, with the lengths of their phrases, longest first: most
    words are no phrase's first word, and skip the lookup."""

    @classmethod
    def load(cls, path: Path = SYNONYMS_FILE) -> Synonyms:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return cls.from_groups({str(k): [str(v) for v in vs] for k, vs in data.items()})

    @classmethod
    def from_groups(cls, groups: Mapping[str, Iterable[str]]) -> Synonyms:
        phrases: dict[tuple[str, ...], str] = {}
        for name, variants in groups.items():
            for variant in [name, *variants]:
                key = tuple(t for t in tokens(variant) if t not in STOPWORDS)
                if key:
                    phrases[key] = SYN + fold(name)
        longest = max((len(k) for k in phrases), default=1)
        lengths: dict[str, set[int]] = {}
        for key in phrases:
            lengths.setdefault(key[0], set()).add(len(key))
        return cls(phrases, longest, {w: tuple(sorted(ns, reverse=True)) for w, ns in lengths.items()})

    def apply(self, toks: list[str]) -> list[str]:
        """Replace every known phrase by its group's term (greedy, longest match first)."""
        starts = [i for i, t in enumerate(toks) if t in self.starts]
        if not starts:  # most texts: nothing to replace
            return toks
        out: list[str] = []
        i = 0
        for at in starts:
            if at < i:  # inside a phrase already replaced
                continue
            out.extend(toks[i:at])
            i = at
            for n in self.starts[toks[at]]:
                term = self.phrases.get(tuple(toks[at : at + n]))
                if term is not None:
                    out.append(term)
                    i = at + n
                    break
        out.extend(toks[i:])
        return out


def content_token_lists(texts: list[str], synonyms: Synonyms) -> list[list[str]]:
    """Folded tokens without stopwords, synonyms replaced (not stemmed), of several one-line
    texts at once: one pass over them joined costs far less than a pass per text."""
    joined = fold("\n".join(t.replace("\n", " ") for t in texts))
    found: list[str] = _TOKEN_OR_BREAK.findall(joined)
    if "'" in joined:
        found = [t.replace("'", "") for t in found]
    # a line break is no phrase's word, so no synonym reaches across two texts
    words = synonyms.apply([t for t in found if t not in STOPWORDS])
    out: list[list[str]] = [[]]
    for word in words:
        if word == "\n":
            out.append([])
        else:
            out[-1].append(word)
    return out
