"""Turn an adviser's answer (a FAQ draft) into a knowledge entry file that ``kb check`` accepts.

Nothing is written unless the whole folder, with the change, passes the checker: a curator
gets the list of what is missing instead of a broken knowledge base.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from knowledge.check import Problem, check_folder
from knowledge.loader import LANGS, KnowledgeError, read_file

ID_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+")
DEFAULT_SOURCE = {"title": "Cluster Excellence Denmark", "url": "https://clusterexcellencedenmark.dk/"}


@dataclass(frozen=True)
class Draft:
    """What a resolved ticket left behind: one question and the adviser's answer, in one language."""

    number: int
    lang: str
    question: str
    answer: str


@dataclass
class Extra:
    """What the curator adds on the command line, per language."""

    titles: dict[str, str] = field(default_factory=dict)
    questions: dict[str, list[str]] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)
    keywords: dict[str, list[str]] = field(default_factory=dict)
    category: str | None = None
    sources: list[dict[str, str]] = field(default_factory=list)
    related: list[str] = field(default_factory=list)


class PublishError(Exception):
    """The draft cannot be published as asked; the message says what to add or change."""


def new_entry(folder: Path, draft: Draft, entry_id: str, extra: Extra, today: date) -> Path:
    """Write ``ENTRY-ID.yaml`` with the draft in its language and the curator's additions."""
    if not ID_PATTERN.fullmatch(entry_id):
        raise PublishError(f"{entry_id!r} is not an entry id: lower-case words joined by '-', e.g. ced-opening-hours")
    path = folder / f"{entry_id}.yaml"
    if path.exists():
        raise PublishError(f"{path.name} exists already; use --into {entry_id} to add the question to it")
    data = _entry_data(draft, entry_id, extra, today)
    missing = _missing(data, draft.lang)
    if missing:
        raise PublishError("the entry needs more before it can be published:\n" + "\n".join(f"- {m}" for m in missing))
    _write_checked(folder, path, dump(data), today)
    return path


def add_phrasings(folder: Path, draft: Draft, entry_id: str, extra: Extra, today: date) -> Path:
    """Add the draft's question (and any given phrasings) to an existing entry's questions."""
    path = _entry_path(folder, entry_id)
    text = path.read_text(encoding="utf-8")
    current = read_file(path).questions
    added = {lang: list(extra.questions.get(lang, [])) for lang in LANGS}
    added[draft.lang].insert(0, draft.question.strip())
    for lang in LANGS:
        seen = {q.casefold() for q in current.get(lang, ())}
        added[lang] = [q for q in dict.fromkeys(added[lang]) if q.casefold() not in seen]
    if not any(added.values()):
        raise PublishError(f"{entry_id} already has the question {draft.question.strip()!r}")
    for lang, questions in added.items():
        if questions:
            text = _insert_questions(text, lang, questions)
    text = re.sub(r"(?m)^reviewed: .*$", f"reviewed: {today.isoformat()}", text, count=1)
    _write_checked(folder, path, text, today)
    return path


def _entry_path(folder: Path, entry_id: str) -> Path:
    for path in sorted(folder.glob("*.y*ml")):
        try:
            if read_file(path).id == entry_id:
                return path
        except KnowledgeError:
            continue
    raise PublishError(f"there is no entry {entry_id!r} in {folder}")


def _insert_questions(text: str, lang: str, questions: Sequence[str]) -> str:
    """Append list items under ``questions: / LANG:`` keeping the rest of the file as it was."""
    block = re.search(rf"(?m)^questions:\n(?:  .*\n)*?  {lang}:\n((?:  - .*\n)+)", text)
    if block is None:
        data = yaml.safe_load(text)
        data.setdefault("questions", {}).setdefault(lang, []).extend(questions)
        return dump(data)
    lines = "".join(f"  - {_scalar(q)}\n" for q in questions)
    return text[: block.end(1)] + lines + text[block.end(1) :]


def _scalar(text: str) -> str:
    dumped: str = yaml.safe_dump(text, allow_unicode=True, width=10_000, default_flow_style=True)
    return dumped.removesuffix("\n...\n").strip()


def _entry_data(draft: Draft, entry_id: str, extra: Extra, today: date) -> dict[str, Any]:
    titles = dict(extra.titles)
    titles.setdefault(draft.lang, draft.question.strip().rstrip("?").strip())
    questions = {lang: list(extra.questions.get(lang, [])) for lang in LANGS}
    questions[draft.lang].insert(0, draft.question.strip())
    answers = dict(extra.answers)
    answers.setdefault(draft.lang, draft.answer.strip())
    data: dict[str, Any] = {
        "id": entry_id,
        "category": extra.category or "",
        "title": {lang: titles.get(lang, "") for lang in LANGS},
        "questions": {lang: list(dict.fromkeys(questions[lang])) for lang in LANGS},
        "keywords": {lang: extra.keywords.get(lang, []) for lang in LANGS},
        "answer": {lang: answers.get(lang, "") for lang in LANGS},
        "related": list(extra.related),
        "sources": list(extra.sources) or [dict(DEFAULT_SOURCE)],
        "reviewed": today,
    }
    return data


def _missing(data: Mapping[str, Any], draft_lang: str) -> list[str]:
    from knowledge.check import MIN_QUESTIONS

    out = []
    if not data["category"]:
        out.append("a category: --category (e.g. ced, labels, funding, management)")
    for lang in LANGS:
        if not data["title"][lang]:
            out.append(f"a title in {_name(lang)}: --title-{lang}")
        if not data["answer"][lang]:
            out.append(f"the answer in {_name(lang)}: --answer-{lang}")
        have = len(data["questions"][lang])
        if have < MIN_QUESTIONS:
            more = MIN_QUESTIONS - have
            out.append(f"{more} more {_name(lang)} phrasing{'s' if more > 1 else ''}: --question-{lang} (repeat it)")
    return out


def _name(lang: str) -> str:
    return {"en": "English", "da": "Danish"}[lang]


def _write_checked(folder: Path, path: Path, text: str, today: date) -> None:
    """Check the folder as it would be with ``text`` at ``path``; write only when it passes."""
    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp)
        for other in folder.glob("*.y*ml"):
            if other.name != path.name:
                (trial / other.name).write_bytes(other.read_bytes())
        (trial / path.name).write_text(text, encoding="utf-8")
        _, problems = check_folder(trial, today)
    errors = [p for p in problems if p.level == "error"]
    if errors:
        raise PublishError("kb check would fail, nothing was written:\n" + "\n".join(_short(p, trial) for p in errors))
    partial = path.with_name(f".{path.name}.tmp")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def _short(problem: Problem, trial: Path) -> str:
    return str(problem).replace(f"{trial}{os.sep}", "")


class _Dumper(yaml.SafeDumper):  # type: ignore[misc]  # PyYAML ships no types here
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(data: Mapping[str, Any]) -> str:
    """YAML in the entries' own layout: fields in order, answers as literal blocks."""
    answers = data.get("answer")
    if isinstance(answers, dict):
        data = {**data, "answer": {k: v.rstrip() + "\n" for k, v in answers.items()}}
    text: str = yaml.dump(dict(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)
    return text
