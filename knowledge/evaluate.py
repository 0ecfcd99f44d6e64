"""Measure retrieval on a question set: the engine, or a plain baseline for comparison."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from knowledge.engine import Candidate, Outcome, Result
from knowledge.loader import KnowledgeError

Searcher = Callable[[str], Result]


@dataclass(frozen=True)
class Case:
    q: str
    expect: str | None
    lang: str | None = None


def load_cases(path: Path) -> list[Case]:
    """A YAML list of ``{q, expect: id or null, lang?}``."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{path}: cannot be read as YAML: {exc}") from None
    if not isinstance(data, list):
        raise KnowledgeError(f"{path}: expected a list of {{q, expect, lang}} items")
    cases = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("q"), str) or "expect" not in item:
            raise KnowledgeError(f"{path}: item {i + 1} needs 'q' (text) and 'expect' (an id or null)")
        cases.append(Case(item["q"], item["expect"], item.get("lang")))
    return cases


def summarise(cases: Sequence[Case], results: Sequence[Result]) -> dict[str, Any]:
    """In-scope accuracy, top-3 recall, confidently-wrong rate (over all) and OOS decline rate."""
    inscope = [(c, r) for c, r in zip(cases, results, strict=True) if c.expect is not None]
    oos = [r for c, r in zip(cases, results, strict=True) if c.expect is None]
    right = sum(1 for c, r in inscope if r.confident and r.answer_id == c.expect)
    top3 = sum(1 for c, r in inscope if c.expect in [x.id for x in r.candidates[:3]])
    wrong = sum(1 for c, r in zip(cases, results, strict=True) if r.confident and r.answer_id != c.expect)
    declined = sum(1 for r in oos if r.outcome is Outcome.DECLINE)

    def rate(n: int, d: int) -> float:
        return round(n / d, 4) if d else 0.0

    return {
        "cases": len(cases),
        "in_scope": len(inscope),
        "out_of_scope": len(oos),
        "in_scope_accuracy": rate(right, len(inscope)),
        "top3_recall": rate(top3, len(inscope)),
        "confidently_wrong": rate(wrong, len(cases)),
        "out_of_scope_declined": rate(declined, len(oos)),
        "asked_to_choose": rate(sum(1 for r in results if r.outcome is Outcome.CHOOSE), len(cases)),
    }


def by_language(cases: Sequence[Case], results: Sequence[Result]) -> dict[str, dict[str, Any]]:
    """The summary per language of the questions (``lang`` of each case), where given."""
    out = {}
    for lang in sorted({c.lang for c in cases if c.lang}):
        mine = [(c, r) for c, r in zip(cases, results, strict=True) if c.lang == lang]
        out[lang] = summarise([c for c, _ in mine], [r for _, r in mine])
    return out


def run(cases: Sequence[Case], searcher: Searcher) -> tuple[list[Result], dict[str, Any]]:
    results = [searcher(c.q) for c in cases]
    return results, summarise(cases, results)


def case_json(case: Case, result: Result) -> dict[str, Any]:
    return {
        "q": case.q,
        "expect": case.expect,
        "answer_id": result.answer_id,
        "confident": result.confident,
        "outcome": result.outcome.value,
        "candidates": [{"id": c.id, "score": c.score} for c in result.candidates],
    }


def is_miss(case: Case, result: Result) -> bool:
    if case.expect is None:
        return result.outcome is not Outcome.DECLINE
    return not (result.confident and result.answer_id == case.expect)


def describe_miss(case: Case, result: Result) -> str:
    got = ", ".join(f"{c.id} {c.score:g}" for c in result.candidates[:3]) or "nothing"
    return f"MISS [{result.outcome.value}] {case.q!r}: expected {case.expect}; got {got}"


def _ranked(query: str, scores: Sequence[tuple[str, float]], answer_at: float, choose_at: float) -> Result:
    """A baseline's scores (0-100, best per entry) turned into a result with fixed cut-offs."""
    best: dict[str, float] = {}
    for entry_id, score in scores:
        best[entry_id] = max(best.get(entry_id, 0.0), score)
    ranked = sorted(best.items(), key=lambda x: -x[1])[:5]
    cands = tuple(Candidate(i, round(s, 1)) for i, s in ranked)
    top = cands[0].score if cands else 0.0
    outcome = Outcome.ANSWER if top >= answer_at else Outcome.CHOOSE if top >= choose_at else Outcome.DECLINE
    return Result(query, outcome, cands)
