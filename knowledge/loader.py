"""Read the curated entries (one YAML file each) into typed objects.

Loading is strict about shape only; :mod:`knowledge.check` reports content problems
(missing language, duplicates, unknown related ids, dates) with file and field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

ENTRIES_DIR = Path(__file__).with_name("entries")
LANGS = ("en", "da")


class KnowledgeError(Exception):
    """A file cannot be read as an entry; the message names the file and the field."""


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


def _lang_map(raw: Any, name: str, path: Path) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{path}: field '{name}' must be a mapping with 'en' and 'da'")
    return {str(k): v for k, v in raw.items()}


def _strings(raw: Any, name: str, path: Path) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(x, str | int | float) for x in raw):
        raise KnowledgeError(f"{path}: field '{name}' must be a list of texts")
    return [str(x) for x in raw]


def _date(raw: Any, name: str, path: Path) -> date | None:
    if raw is None or isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise KnowledgeError(f"{path}: field '{name}' is not a date (YYYY-MM-DD): {raw!r}") from None


def parse_entry(data: Any, path: Path) -> Entry:
    """One entry from its parsed YAML; raises :class:`KnowledgeError` naming file and field."""
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path}: expected a mapping of fields (id, category, title, ...)")
    if not isinstance(data.get("id"), str) or not data["id"].strip():
        raise KnowledgeError(f"{path}: field 'id' is missing")
    questions = _lang_map(data.get("questions"), "questions", path)
    keywords = _lang_map(data.get("keywords"), "keywords", path)
    sources = []
    for i, src in enumerate(data.get("sources") or []):
        if not isinstance(src, dict) or not src.get("url"):
            raise KnowledgeError(f"{path}: field 'sources[{i}]' needs a title and a url")
        sources.append(Source(str(src.get("title") or src["url"]), str(src["url"])))
    return Entry(
        id=data["id"].strip(),
        category=str(data.get("category") or ""),
        title={k: str(v) for k, v in _lang_map(data.get("title"), "title", path).items()},
        questions={k: _strings(v, f"questions.{k}", path) for k, v in questions.items()},
        keywords={k: _strings(v, f"keywords.{k}", path) for k, v in keywords.items()},
        answer={k: str(v).strip() for k, v in _lang_map(data.get("answer"), "answer", path).items()},
        related=_strings(data.get("related"), "related", path),
        sources=sources,
        reviewed=_date(data.get("reviewed"), "reviewed", path),
        valid_until=_date(data.get("valid_until"), "valid_until", path),
        figures_note=data.get("figures_note"),
        scope=_scope(data.get("scope"), path),
        path=str(path),
    )


SCOPES = ("denmark",)


def _scope(raw: Any, path: Path) -> str | None:
    if raw is None:
        return None
    if raw in SCOPES:
        return str(raw)
    raise KnowledgeError(f"{path}: field 'scope' must be one of {', '.join(SCOPES)} (or left out), not {raw!r}")


def read_file(path: Path) -> Entry:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(f"{path}: cannot be read: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise KnowledgeError(f"{path}:{where} is not valid YAML: {getattr(exc, 'problem', exc)}") from None
    except ValueError as exc:  # YAML reads 2026-13-01 as a date and fails on it
        raise KnowledgeError(f"{path}: a date field is not a valid date (YYYY-MM-DD): {exc}") from None
    return parse_entry(data, path)


def entry_files(folder: Path = ENTRIES_DIR) -> list[Path]:
    return sorted(p for p in folder.glob("*.y*ml") if p.is_file())


def load_entries(folder: Path = ENTRIES_DIR) -> list[Entry]:
    """Every entry in ``folder``; the first unreadable file raises :class:`KnowledgeError`."""
    if not folder.is_dir():
        raise KnowledgeError(f"{folder}: the knowledge folder does not exist")
    return [read_file(p) for p in entry_files(folder)]
