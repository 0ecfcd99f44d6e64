"""Speed benchmark on synthetic knowledge bases derived from the real entries.

Entry ``i`` copies real entry ``i mod n`` and adds made-up words (deterministic, seeded), so
the vocabulary and postings grow with the size the way a larger real base would. Each size
is measured in a fresh process, so the resident memory is that size's own. The entries are
streamed into the index, so the figure is the index's memory; the chat keeps the entries'
texts besides (about 2 KB per entry).
"""

from __future__ import annotations

import multiprocessing
import os
import random
import resource
import statistics
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from knowledge.engine import search
from knowledge.index import build_index
from knowledge.loader import LANGS, Entry, load_entries
from knowledge.normalise import Synonyms

SYLLABLES = "ka lo mi ne ru sa te vo bi da fe gu ho ja ki le mo ny pe ro si tu va".split()
QUERIES = 500


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


class Synthetic:
    """A synthetic base of ``size`` entries. Entry ``i`` is made from its own seed, so the base
    can be streamed into the index without the harness holding all of it, and any entry can be
    made again to draw questions from."""

    def __init__(self, entries: list[Entry], size: int, seed: int = 7) -> None:
        self.entries, self.size, self.seed = entries, size, seed
        rng = random.Random(seed)
        self.vocab = [_word(rng) for _ in range(max(50, size // 2))]
        self.making_s = 0.0
        """Time spent making entries during the last pass: not the index's build time."""

    def entry(self, i: int) -> Entry:
        rng = random.Random(self.seed * 1_000_003 + i)
        base = self.entries[i % len(self.entries)]
        extra = [rng.choice(self.vocab) for _ in range(3)]
        questions = {
            lang: [f"{q} {rng.choice(extra)} {rng.choice(extra)}" for q in base.questions.get(lang, ())]
            for lang in LANGS
        }
        title = {lang: f"{t} {extra[0]}" for lang, t in base.title.items()}
        return replace(base, id=f"{base.id}-{i}", questions=questions, title=title)

    def __iter__(self) -> Iterator[Entry]:
        self.making_s = 0.0
        for i in range(self.size):
            started = time.perf_counter()
            entry = self.entry(i)
            self.making_s += time.perf_counter() - started
            yield entry


def _queries(synth: Synthetic, rng: random.Random) -> list[str]:
    out = []
    for _ in range(QUERIES):
        e = synth.entry(rng.randrange(synth.size))
        lang = rng.choice(LANGS)
        q = rng.choice(list(e.questions[lang]))
        words = q.split()
        if rng.random() < 0.3 and words:  # a typo: one letter dropped
            w = rng.randrange(len(words))
            if len(words[w]) > 4:
                words[w] = words[w][:2] + words[w][3:]
        out.append(" ".join(words[: rng.randint(2, len(words))] if len(words) > 2 else words))
    return out


def _rss_mb() -> float:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(size: int) -> dict[str, Any]:
    entries = load_entries()
    synonyms = Synonyms.load()
    synth = Synthetic(entries, size)
    started = time.perf_counter()
    # streamed: the resident memory is the index's, not the harness's copy of the entries
    index = build_index(synth, synonyms)
    build = time.perf_counter() - started - synth.making_s
    queries = _queries(synth, random.Random(size))
    for q in queries[:20]:  # warm caches, as a running server has
        search(index, q)
    times = []
    for q in queries:
        t = time.perf_counter()
        search(index, q)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {
        "entries": size,
        "build_s": round(build, 3),
        "p50_ms": round(statistics.median(times), 3),
        "p99_ms": round(times[int(len(times) * 0.99) - 1], 3),
        "qps": round(len(times) / (sum(times) / 1000), 1),
        "rss_mb": round(_rss_mb(), 1),
    }


def run(sizes: list[int]) -> list[dict[str, Any]]:
    ctx = multiprocessing.get_context("spawn")
    results = []
    for size in sizes:
        with ctx.Pool(1) as pool:
            results.append(pool.apply(measure, (size,)))
    return results
