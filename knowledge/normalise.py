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
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import snowballstemmer
import yaml

SYNONYMS_FILE = Path(__file__).with_name("synonyms.yaml")
SYN = "="
"""Prefix of a synonym group's shared term; such terms are never stemmed or fuzzed."""

_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_SKELETON = re.compile(r"aa|ae|oe")
_SKELETON_MAP = {"aa": "a", "ae": "a", "oe": "o"}
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

_STOP_EN = """a about above after again all also am an and any are as at be been being below
between both but by can could did do does doing done during each either else etc ever few for
from further get got had has have having he her here hers him his how i if in into is it its
just let me mine more most much must my no nor not now of off on once only or other our ours
out over own please same shall she should so some such than that the their theirs them then
there these they this those through to too under until up upon us very via was we were what
when where which while who whom whose why will with within would yes you your yours tell
know want wants need needs like would could i'd i'm we're it's there's what's"""
_STOP_DA = """ad af al alle alt altid andet anden at bare begge blev blive bliver da de dem den
denne der deres det dette dig din dine disse dit dog du efter eller en end er et for fik fra
faa faar gerne giver gor gore gaar han hans har have hende hendes her hos hun hvad hvem hvor
hvordan hvilke hvilken hvilket hvis hvorfor hvornaar i ikke ind jeg jer jeres jo kan kun kunne
lidt man mange med meget men mig min mine mit mod maa maatte ned noget nogen nogle nu naar og
ogsaa om op os paa saa sig sin sine sit skal skulle som saadan til ud under var vi vil ville
vor vores vaere vaeret fx feks osv vel lige sige fortael fortaelle gerne hej tak mere mest"""


def fold(text: str) -> str:
    """Case, Unicode and Danish-letter folding to an ASCII skeleton (``Mærket`` -> ``market``)."""
    text = text.casefold().translate(_LETTERS)
    if not text.isascii():  # the slow path only for accents, ligatures and other scripts
        text = unicodedata.normalize("NFKC", text).translate(_LETTERS)
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _SKELETON.sub(lambda m: _SKELETON_MAP[m.group()], text)


def tokens(text: str) -> list[str]:
    return [t.replace("'", "") for t in _TOKEN.findall(fold(text))]


STOPWORDS = frozenset(t for word in (_STOP_EN + " " + _STOP_DA).split() for t in tokens(word))

_STEMMERS = {"en": snowballstemmer.stemmer("english"), "da": snowballstemmer.stemmer("danish")}


@lru_cache(maxsize=200_000)
def stem(token: str, lang: str) -> str:
    """The Snowball stem of a folded token; digits and synonym terms stay as they are."""
    if token.startswith(SYN) or not token.isalpha() or len(token) <= 3:
        return token
    return str(_STEMMERS[lang].stemWord(token))


@dataclass(frozen=True, slots=True)
class Synonyms:
    """Phrases (as token tuples) mapped to a shared term, longest phrase first."""

    phrases: Mapping[tuple[str, ...], str]
    longest: int
    starts: frozenset[str] = frozenset()
    """First words of the phrases: most words are not, and skip the phrase lookup."""

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
        return cls(phrases, longest, frozenset(k[0] for k in phrases))

    def apply(self, toks: list[str]) -> list[str]:
        """Replace every known phrase by its group's term (greedy, longest match first)."""
        out: list[str] = []
        i = 0
        while i < len(toks):
            if toks[i] not in self.starts:
                out.append(toks[i])
                i += 1
                continue
            for n in range(min(self.longest, len(toks) - i), 0, -1):
                term = self.phrases.get(tuple(toks[i : i + n]))
                if term is not None:
                    out.append(term)
                    i += n
                    break
            else:
                out.append(toks[i])
                i += 1
        return out


def content_tokens(text: str, synonyms: Synonyms) -> list[str]:
    """Folded tokens without stopwords, synonyms replaced (not stemmed)."""
    return synonyms.apply([t for t in tokens(text) if t not in STOPWORDS])
