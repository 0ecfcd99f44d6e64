"""The loaded knowledge base: entries, their index, and the question API the chat uses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from fileimport import Problem as ImportProblem
from knowledge.check import Problem, check_folder
from knowledge.engine import Outcome, Result, Thresholds, decide, search
from knowledge.index import Index, build_index, known_form
from knowledge.loader import ENTRIES_DIR, Entry, KnowledgeError
from knowledge.query import countries, countries_of, names, owners

SURE = 85.0
"""Confidence at which an answer stands even though the question names something unknown."""


@dataclass
class KnowledgeBase:
    """Immutable once built; a reload builds a new one and swaps it in."""

    entries: list[Entry]
    index: Index
    folder: Path
    warnings: list[Problem] = field(default_factory=list)
    by_id: Mapping[str, Entry] = field(init=False)
    _places: dict[str, frozenset[str]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {e.id: e for e in self.entries}

    def get(self, entry_id: str) -> Entry | None:
        return self.by_id.get(entry_id)

    def ask(self, query: str, thresholds: Thresholds | None = None) -> Result:
        result = self._named(search(self.index, query, thresholds))
        named = countries(result.query)
        if not named or not result.candidates:
            return result
        owned = owners(result.query)
        if result.outcome is Outcome.DECLINE:
            home = self._elsewhere(result.candidates[0].id, named, owned)
            return replace(result, abroad=named) if home else result
        return self._abroad(result, named, owned, thresholds or Thresholds())

    def _named(self, result: Result) -> Result:
        """A question that names something the knowledge base never mentions ("Vinnova",
        "Dansk Industri") is about something else, unless the rest of it fits one entry
        beyond doubt."""
        if result.outcome is Outcome.DECLINE or (result.outcome is Outcome.ANSWER and result.score >= SURE):
            return result
        unknown = [n for n in names(result.query) if known_form(self.index, n) is None and n not in self.index.terms]
        return replace(result, outcome=Outcome.DECLINE) if unknown else result

    def _abroad(self, result: Result, named: frozenset[str], owned: frozenset[str], thresholds: Thresholds) -> Result:
        """Leave out Danish-only entries that say nothing about the countries asked about:
        Finland's cluster programme is not Denmark's, however alike the words."""
        kept = tuple(c for c in result.candidates if not self._elsewhere(c.id, named, owned))
        if len(kept) == len(result.candidates):
            return result
        if not kept or (kept[0] != result.candidates[0] and result.outcome is Outcome.ANSWER):
            return replace(result, outcome=Outcome.DECLINE, candidates=kept, abroad=named)
        return replace(result, outcome=decide(kept, thresholds), candidates=kept, abroad=named)

    def _elsewhere(self, entry_id: str, named: frozenset[str], owned: frozenset[str]) -> bool:
        """The entry cannot answer for those countries: it is about Denmark only and does not
        name them, or the question asks about a country's own programme the entry never names."""
        entry = self.by_id[entry_id]
        if entry_id not in self._places:
            texts = [*entry.title.values(), *entry.answer.values()]
            texts += [q for qs in (*entry.questions.values(), *entry.keywords.values()) for q in qs]
            self._places[entry_id] = countries_of(texts)
        if entry.scope == "denmark" and not named <= self._places[entry_id]:
            return True
        return not owned <= self._places[entry_id]

    def categories(self) -> dict[str, list[Entry]]:
        out: dict[str, list[Entry]] = {}
        for entry in sorted(self.entries, key=lambda e: (e.category, e.id)):
            out.setdefault(entry.category, []).append(entry)
        return out


def load_base(folder: Path | None = None, today: date | None = None) -> KnowledgeBase:
    """Check and index every entry; any error raises :class:`KnowledgeError` listing them all."""
    folder = folder or ENTRIES_DIR
    entries, problems = check_folder(folder, today)
    errors = [p for p in problems if p.level == "error"]
    if errors:
        raise KnowledgeError([ImportProblem(p.file, None, p.message, p.field) for p in errors])
    return KnowledgeBase(entries, build_index(entries), folder, [p for p in problems if p.level != "error"])
