"""Reading import files (courses, slots): YAML, every row checked before anything is written.

Each problem names the row (its number and line in the file) and the field, so a whole
file's mistakes can be fixed in one pass.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)

Check = Callable[[M], Sequence[tuple[str, str]]]
"""Extra checks of one valid row: (field, problem) pairs."""


class FileProblem(Exception):
    """The file cannot be imported; ``errors`` lists every problem, one line each."""

    def __init__(self, errors: Sequence[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class Row(Generic[M]):
    number: int
    line: int
    value: M


def _loc(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _message(err: Any) -> str:
    kind = err["type"]
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a known field"
    return str(err["msg"]).removeprefix("Value error, ")


def _top_list(text: str, key: str) -> tuple[list[Any], list[int]]:
    """The list under ``key`` and the line where each of its items starts."""
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise FileProblem([f"{where}not valid YAML ({problem})"]) from None
    if not isinstance(data, dict) or not isinstance(data.get(key), list) or root is None:
        raise FileProblem([f"line 1: the file must start with '{key}:' followed by a list of entries"])
    node = next(v for k, v in root.value if k.value == key)
    return data[key], [item.start_mark.line + 1 for item in node.value]


def read_rows(text: str, key: str, model: type[M], label: str, check: Check[M]) -> list[Row[M]]:
    """Every row validated; raises :class:`FileProblem` with all the problems found."""
    items, lines = _top_list(text, key)
    if not items:
        raise FileProblem([f"line 1: '{key}:' is empty; nothing to import"])
    rows: list[Row[M]] = []
    errors: list[str] = []
    for n, (item, line) in enumerate(zip(items, lines, strict=True), 1):
        where = f"{label} {n} (line {line})"
        if not isinstance(item, dict):
            errors.append(f"{where}: expected fields such as 'start: ...', got {item!r}")
            continue
        try:
            value = model.model_validate(item)
        except ValidationError as exc:
            errors += [f"{where}: field '{_loc(e['loc']) or '?'}': {_message(e)}" for e in exc.errors()]
            continue
        problems = check(value)
        errors += [f"{where}: field '{field}': {problem}" for field, problem in problems]
        if not problems:
            rows.append(Row(n, line, value))
    if errors:
        raise FileProblem(errors)
    return rows
