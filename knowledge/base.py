"""The loaded knowledge base: entries, their index, and the question API the chat uses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.importing import Problem as ImportProblem
from knowledge.check import Problem, check_folder
from knowledge.engine import Result, Thresholds, search
from knowledge.index import Index, build_index
from knowledge.loader import ENTRIES_DIR, Entry, KnowledgeError


@dataclass
class KnowledgeBase:
    """Immutable once built; a reload builds a new one and swaps it in."""

    entries: list[Entry]
    index: Index
    folder: Path
    warnings: list[Problem] = field(default_factory=list)
    by_id: Mapping[str, Entry] = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = {e.id: e for e in self.entries}

    def get(self, entry_id: str) -> Entry | None:
        return self.by_id.get(entry_id)

    def ask(self, query: str, thresholds: Thresholds | None = None) -> Result:
        return search(self.index, query, thresholds)

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
