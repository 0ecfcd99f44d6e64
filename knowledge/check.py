"""Validate the whole knowledge base; every problem names the file and the field."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from knowledge.loader import ENTRIES_DIR, LANGS, Entry, KnowledgeError, entry_files, read_file
from knowledge.normalise import fold

MIN_QUESTIONS = 4
STALE_AFTER = timedelta(days=365)


@dataclass(frozen=True)
class Problem:
    """An error stops a load (and fails CI); a warning is for the curators."""

    level: str
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.file}: {self.field}: {self.message}"


def check_folder(folder: Path = ENTRIES_DIR, today: date | None = None) -> tuple[list[Entry], list[Problem]]:
    """Read and check every entry; unreadable files are reported, not raised."""
    today = today or date.today()
    entries: list[Entry] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return [], [Problem("error", str(folder), "-", "the knowledge folder does not exist")]
    for path in entry_files(folder):
        try:
            entries.append(read_file(path))
        except KnowledgeError as exc:
            for p in exc.problems:
                where = f"line {p.line}: " if p.line else ""
                problems.append(Problem("error", str(path), p.field or "-", where + p.message))
    problems += check_entries(entries, today)
    return entries, problems


def check_entries(entries: list[Entry], today: date) -> list[Problem]:
    problems: list[Problem] = []
    for entry in entries:
        problems += _check_entry(entry, today)
    problems += _duplicates(entries)
    ids = {e.id for e in entries}
    for entry in entries:
        for rel in entry.related:
            if rel not in ids:
                problems.append(Problem("error", entry.path, "related", f"unknown id {rel!r}"))
        problems += _ids_in_answer(entry, ids)
    return problems


def _ids_in_answer(entry: Entry, ids: set[str]) -> list[Problem]:
    """An entry id is for curators; the person reading an answer would see it as a code."""
    out = []
    for lang in LANGS:
        words = set(re.findall(r"(?<![\w/.])[a-z]+(?:-[a-z0-9]+)+(?![\w/])", entry.answer.get(lang, "")))
        for found in sorted(words & ids):
            msg = f"shows the internal id {found!r}; name the topic in words instead"
            out.append(Problem("error", entry.path, f"answer.{lang}", msg))
    return out


def _check_entry(entry: Entry, today: date) -> list[Problem]:
    out: list[Problem] = []

    def err(field: str, msg: str) -> None:
        out.append(Problem("error", entry.path, field, msg))

    if not entry.category:
        err("category", "missing")
    for lang in LANGS:
        if not entry.title.get(lang, "").strip():
            err(f"title.{lang}", "missing language")
        if not entry.answer.get(lang, "").strip():
            err(f"answer.{lang}", "missing language")
        if len(entry.questions.get(lang, ())) < MIN_QUESTIONS:
            err(f"questions.{lang}", f"needs at least {MIN_QUESTIONS} phrasings")
    if not entry.sources:
        err("sources", "at least one public source is needed")
    if entry.reviewed is None:
        err("reviewed", "missing (YYYY-MM-DD)")
    elif entry.reviewed > today:
        err("reviewed", f"{entry.reviewed} is in the future")
    elif today - entry.reviewed > STALE_AFTER:
        out.append(Problem("warning", entry.path, "reviewed", f"not reviewed since {entry.reviewed}"))
    if entry.valid_until is not None and entry.valid_until < today:
        out.append(Problem("warning", entry.path, "valid_until", f"expired on {entry.valid_until}"))
    if Path(entry.path).stem != entry.id:
        out.append(Problem("warning", entry.path, "id", f"{entry.id!r} differs from the file name"))
    return out


def _duplicates(entries: list[Entry]) -> list[Problem]:
    problems: list[Problem] = []
    seen_ids: dict[str, str] = {}
    for entry in entries:
        if entry.id in seen_ids:
            problems.append(
                Problem("error", entry.path, "id", f"duplicate id {entry.id!r} (also in {seen_ids[entry.id]})")
            )
        seen_ids.setdefault(entry.id, entry.path)
    owners: defaultdict[str, set[str]] = defaultdict(set)
    for entry in entries:
        for lang in LANGS:
            for q in entry.questions.get(lang, ()):
                owners[" ".join(fold(q).split()).strip(" ?!.")].add(entry.id)
    for question, ids in owners.items():
        if len(ids) > 1:
            first = next(e for e in entries if e.id == sorted(ids)[1])
            problems.append(
                Problem("error", first.path, "questions", f"{question!r} is in several entries: {sorted(ids)}")
            )
    return problems
