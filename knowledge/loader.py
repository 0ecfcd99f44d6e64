"""Read the curated entries (one YAML file each) into typed objects.

Loading is strict about shape only; :mod:`knowledge.check` reports content problems
(missing language, duplicates, unknown related ids, dates) with file and field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from fileimport import FileProblem, Line, Para, Problem, field_name, line_of, load_yaml, read_text, validate

ENTRIES_DIR = Path(__file__).with_name("entries")
LANGS = ("en", "da")


class KnowledgeError(FileProblem):
    """A file cannot be read as an entry; each problem names the file, the line and the field.

    Also raised with one ready message (``"PATH: what is wrong"``) by the evaluation tools.
    """

    def __init__(self, problems: Sequence[Problem] | str) -> None:
        if isinstance(problems, str):
            file, _, message = problems.partition(": ")
            problems = [Problem(file, None, message)]
        super().__init__(problems)


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class Entry:
    """One curated topic, in English and Danish."""

    id: str
    category: str
    title: Mapping[str, str]
    questions: Mapping[str, Sequence[str]]
    keywords: Mapping[str, Sequence[str]]
    answer: Mapping[str, str]
    related: Sequence[str] = ()
    sources: Sequence[Source] = ()
    reviewed: date | None = None
    valid_until: date | None = None
    figures_note: str | None = None
    scope: str | None = None
    """``denmark`` for an entry about Danish arrangements only (a national programme): it does
    not answer a question about another country's, however alike the words."""
    path: str = field(default="", compare=False)


def _text(value: object) -> object:
    # Curators write numbers and dates where text is meant (a year as a keyword): keep them as text.
    return str(value) if isinstance(value, int | float | date) and not isinstance(value, bool) else value


def _iso_date(value: object) -> object:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None


Text = Annotated[Para, BeforeValidator(_text), Field(max_length=20_000)]
Texts = Annotated[list[Text], Field(max_length=500)]
Day = Annotated[date | None, BeforeValidator(_iso_date)]


class _SourceIn(BaseModel):
    title: Text | None = None
    url: Annotated[Line, Field(min_length=1, max_length=2000)]


class _EntryIn(BaseModel):
    """The shape of an entry file; :mod:`knowledge.check` judges the content."""

    model_config = ConfigDict(str_strip_whitespace=True)
    id: Annotated[Line, Field(min_length=1, max_length=200)]
    category: Annotated[Line, BeforeValidator(_text), Field(max_length=200)] = ""
    title: dict[str, Text] | None = None
    questions: dict[str, Texts | None] | None = None
    keywords: dict[str, Texts | None] | None = None
    answer: dict[str, Text] | None = None
    related: Texts | None = None
    sources: Annotated[list[_SourceIn], Field(max_length=100)] | None = None
    reviewed: Day = None
    valid_until: Day = None
    figures_note: Text | None = None
    scope: Literal["denmark"] | None = None


def _typed(data: Any, path: Path, node: yaml.Node | None) -> _EntryIn:
    if not isinstance(data, dict):
        raise KnowledgeError([Problem(str(path), 1, "expected a mapping of fields (id, category, title, ...)")])
    value, errors = validate(_EntryIn, data)
    if value is None:
        problems = [Problem(str(path), line_of(node, loc), msg, field_name(loc)) for loc, msg in errors]
        raise KnowledgeError(problems)
    return value


def parse_entry(data: Any, path: Path, node: yaml.Node | None = None) -> Entry:
    """One entry from its parsed YAML; raises :class:`KnowledgeError` naming file, line and field."""
    raw = _typed(data, path, node)
    return Entry(
        id=raw.id,
        category=raw.category,
        title=dict(raw.title or {}),
        questions={k: list(v or []) for k, v in (raw.questions or {}).items()},
        keywords={k: list(v or []) for k, v in (raw.keywords or {}).items()},
        answer=dict(raw.answer or {}),
        related=list(raw.related or []),
        sources=[Source(s.title or s.url, s.url) for s in raw.sources or []],
        reviewed=raw.reviewed,
        valid_until=raw.valid_until,
        figures_note=raw.figures_note,
        scope=raw.scope,
        path=str(path),
    )


def read_file(path: Path) -> Entry:
    """One entry file, read through the import pipeline's limits (size, aliases, nesting)."""
    try:
        data, node = load_yaml(read_text(path), str(path))
    except FileProblem as exc:
        raise KnowledgeError(exc.problems) from None
    return parse_entry(data, path, node)


def entry_files(folder: Path = ENTRIES_DIR) -> list[Path]:
    return sorted(p for p in folder.glob("*.y*ml") if p.is_file())


def load_entries(folder: Path = ENTRIES_DIR) -> list[Entry]:
    """Every entry in ``folder``; the first unreadable file raises :class:`KnowledgeError`."""
    if not folder.is_dir():
        raise KnowledgeError(f"{folder}: the knowledge folder does not exist")
    return [read_file(p) for p in entry_files(folder)]
