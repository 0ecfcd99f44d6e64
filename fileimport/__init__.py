"""One way to import a file: read it within limits, validate typed rows, report every problem.

The lowest layer: the core, the knowledge base and the features use it; it imports none of them.

Every importer (courses, slots, the label register, the knowledge entries) reads its file
through here, so each gets the same protections and the same report: a problem names the
file, the line and the field, and nothing is written unless the whole file is valid.

The files come from people, and sometimes from attackers: YAML aliases (a 400-byte "billion
laughs" grows to gigabytes), deep nesting (a recursion error in the parser), oversized files
or cells, NUL and other control characters, numbers beyond what the database stores. Each is
refused here with a report line, never a traceback, and memory stays bounded.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Annotated, Any, Generic, TypeVar

import yaml
from pydantic import BaseModel, BeforeValidator, ValidationError

M = TypeVar("M", bound=BaseModel)

MAX_YAML_BYTES = 2_000_000
"""A course catalogue or a knowledge entry is a few kilobytes; this leaves room for big ones."""
MAX_DEPTH = 20
"""Our formats nest five levels at most; deeper input is refused before it can recurse."""
MAX_CELL_CHARS = 10_000
"""The longest CSV cell read; longer ones are refused (usually a quote left open)."""
MAX_PROBLEMS = 200
"""Problems kept for the report; the rest are counted, so a broken huge file stays cheap."""
INT32_MAX = 2**31 - 1


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where it is (file, line, item, field) and what to do."""

    file: str
    line: int | None
    message: str
    field: str | None = None
    item: str | None = None
    """Which entry, when the file's entries are numbered: ``course 2``."""

    def __str__(self) -> str:
        if self.file:
            where = f"{self.file}:{self.line}" if self.line else self.file
        else:  # text without a file name (a form on the desk)
            where = f"line {self.line}" if self.line else "the file"
        item = f"{self.item}, " if self.item else ""
        field = f"field '{self.field}': " if self.field else ""
        return f"{where}: {item}{field}{self.message}"


class FileProblem(Exception):
    """The file cannot be imported; nothing was written. ``problems`` lists what to fix."""

    def __init__(self, problems: Sequence[Problem], more: int = 0) -> None:
        self.problems = list(problems)
        self.more = more
        """Problems found beyond the ones kept."""
        super().__init__("\n".join(self.errors))

    @property
    def errors(self) -> list[str]:
        """The report, one line per problem."""
        tail = [f"... and {self.more} more problem(s)"] if self.more else []
        return [str(p) for p in self.problems] + tail


class Problems:
    """Collects a file's problems; keeps the first :data:`MAX_PROBLEMS` and counts the rest."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.kept: list[Problem] = []
        self.more = 0

    def add(self, line: int | None, message: str, field: str | None = None, item: str | None = None) -> None:
        if len(self.kept) < MAX_PROBLEMS:
            self.kept.append(Problem(self.file, line, message, field, item))
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.kept)

    def raise_any(self) -> None:
        if self.kept:
            raise FileProblem(self.kept, self.more)


def problem(file: str, message: str, line: int | None = None, field: str | None = None) -> FileProblem:
    return FileProblem([Problem(file, line, message, field)])


def report(path: Path | str, exc: FileProblem) -> int:
    """Print the report of a refused file on standard error; the command's exit code."""
    count = len(exc.problems) + exc.more
    print(f"{path}: nothing was imported; fix these {count} problem(s) and try again:", file=sys.stderr)
    for line in exc.errors:
        print(f"  {line}", file=sys.stderr)
    return 1


# Text that reaches the database: no control characters (PostgreSQL refuses NUL outright),
# no lone surrogates (not encodable as UTF-8), and names that name something.


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _refuse_control(value: object, pattern: re.Pattern[str]) -> object:
    bad = pattern.search(value) if isinstance(value, str) else None
    if bad:
        raise ValueError(f"contains a control or invalid character (U+{ord(bad.group()):04X}); remove it")
    return value


def _line(value: object) -> object:
    return _refuse_control(value, _CONTROL_LINE)


def _para(value: object) -> object:
    return _refuse_control(value, _CONTROL)


def _named(value: object) -> object:
    if isinstance(value, str) and value and not any(ch.isalnum() for ch in value):
        raise ValueError("must contain a letter or a digit")
    return value


Line = Annotated[str, BeforeValidator(_line)]
"""One line of text, no control characters (add ``max_length`` with ``Field``)."""
Para = Annotated[str, BeforeValidator(_para)]
"""Text that may span lines."""
Name = Annotated[str, BeforeValidator(_named), BeforeValidator(_line)]
"""A name people search and read: one line, with at least one letter or digit."""


def validate(model: type[M], data: Any) -> tuple[M | None, list[tuple[tuple[int | str, ...], str]]]:
    """The typed value, or the problems as (location, message) pairs."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, [(tuple(e["loc"]), _message(e)) for e in exc.errors(include_url=False)]


def field_name(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "?"


def _message(err: Mapping[str, Any]) -> str:
    kind = err["type"]
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a known field"
    ctx = err.get("ctx") or {}
    if kind in ("string_too_short", "too_short") and ctx.get("min_length") == 1:
        return "is empty"
    if kind in ("string_too_long", "too_long"):  # a text, or a list: "Value ... items after validation"
        unit = "characters" if kind == "string_too_long" or isinstance(err.get("input"), str) else "entries"
        return f"is longer than {ctx.get('max_length')} {unit}"
    return str(err["msg"]).removeprefix("Value error, ")


# Reading files


def read_text(path: Path, limit: int = MAX_YAML_BYTES) -> str:
    """The file as UTF-8 text, refused when it is larger than ``limit`` bytes."""
    name = str(path)
    try:
        with path.open("rb") as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise problem(name, f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise problem(name, f"is larger than {limit:,} bytes; split it into smaller files")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise problem(name, f"is not UTF-8 text ({exc.reason}); save it as UTF-8", line) from None


class _Refused(yaml.MarkedYAMLError):  # type: ignore[misc]  # PyYAML ships no types
    pass


class SafeLoader(yaml.SafeLoader):  # type: ignore[misc]
    """PyYAML's safe loader without aliases and anchors, and with a nesting limit.

    Aliases are what a "billion laughs" file is made of, and none of our formats needs them.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(None, None, "aliases (*name) are not allowed; write the value out", event.start_mark)
        if getattr(event, "anchor", None):
            raise _Refused(None, None, "anchors (&name) are not allowed; write the value out", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(None, None, f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:  # 2026-13-01, an integer of 5,000 digits
            kind = "date (YYYY-MM-DD)" if str(node.tag).endswith(":timestamp") else "value"
            raise _Refused(None, None, f"{node.value!r} is not a valid {kind}: {exc}", node.start_mark) from None


def load_yaml(text: str, file: str) -> tuple[Any, yaml.Node | None]:
    """The document and its node tree (for line numbers); raises :class:`FileProblem`."""
    try:
        loader = SafeLoader(text)
    except yaml.reader.ReaderError as exc:  # a control character, found before parsing starts
        line = text[: exc.position].count("\n") + 1
        raise problem(file, f"contains a character YAML does not allow (#x{exc.character:04x})", line) from None
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise problem(file, *_yaml_problem(exc)) from None
    finally:
        loader.dispose()
    return data, node


def _yaml_problem(exc: yaml.YAMLError) -> tuple[str, int | None]:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    if isinstance(exc, _Refused):
        return str(exc.problem), line
    if isinstance(exc, yaml.reader.ReaderError):
        return f"contains a character YAML does not allow (#x{exc.character:04x})", None
    column = f"column {mark.column + 1}: " if mark is not None else ""
    return f"{column}not valid YAML: {getattr(exc, 'problem', None) or exc}", line


def line_of(node: yaml.Node | None, loc: Sequence[int | str]) -> int | None:
    """The line of the deepest node on ``loc`` (a pydantic error location)."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            node = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
        else:
            break
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


@dataclass(frozen=True)
class Row(Generic[M]):
    """One valid entry of a file: where it was, and its typed value."""

    file: str
    number: int
    line: int
    value: M


Check = Callable[[M], Sequence[tuple[str, str]]]
"""Extra checks of one valid row: (field, problem) pairs."""


def yaml_rows(text: str, file: str, key: str, model: type[M], label: str, check: Check[M]) -> list[Row[M]]:
    """Every entry of the list under ``key``, validated; raises :class:`FileProblem` listing all problems."""
    data, root = load_yaml(text, file)
    node = None
    if isinstance(root, yaml.MappingNode):
        node = next((v for k, v in root.value if getattr(k, "value", None) == key), None)
    if not isinstance(data, dict) or not isinstance(data.get(key), list) or not isinstance(node, yaml.SequenceNode):
        raise problem(file, f"the file must start with '{key}:' followed by a list of entries", 1)
    if not data[key]:
        raise problem(file, f"'{key}:' is empty; nothing to import", node.start_mark.line + 1)
    found = Problems(file)
    rows: list[Row[M]] = []
    for n, (item, item_node) in enumerate(zip(data[key], node.value, strict=True), 1):
        where, line = f"{label} {n}", item_node.start_mark.line + 1
        if not isinstance(item, dict):
            found.add(line, "expected fields such as 'start: ...'", item=where)
            continue
        value, errors = validate(model, item)
        for loc, message in errors:
            found.add(line_of(item_node, loc), message, field_name(loc), where)
        if value is None:
            continue
        problems = check(value)
        for name, message in problems:
            found.add(line_of(item_node, name.replace("[", ".").replace("]", "").split(".")), message, name, where)
        if not problems:
            rows.append(Row(file, n, line, value))
    found.raise_any()
    return rows


# CSV


def _lines(f: Iterable[str]) -> Iterator[str]:
    # Comment lines are blanked rather than dropped, so line numbers match the file.
    for line in f:
        yield "\n" if line.lstrip().startswith("#") else line


@contextmanager
def open_lines(path: Path) -> Iterator[Iterator[str]]:
    """The lines of a text file, read as they are needed; raises :class:`FileProblem` when it cannot be opened."""
    try:
        f = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise problem(str(path), f"cannot be read: {exc.strerror or exc}") from None
    with f:
        yield iter(f)


def text_lines(text: str) -> Iterator[str]:
    """The lines of a text held in memory (an upload), as :func:`open_lines` gives a file's."""
    return iter(io.StringIO(text.removeprefix("\ufeff"), newline=""))


def csv_records(lines: Iterable[str], columns: Sequence[str], found: Problems) -> Iterator[tuple[int, dict[str, str]]]:
    """Stream the records of CSV text with a header line, each with the line it starts on.

    A problem with the file itself (not UTF-8, a cell too long, no header) is added to
    ``found`` and ends the reading; a record with more cells than columns is reported and skipped.
    """
    yield from _csv_records(csv.reader(_lines(lines)), columns, found)


def _csv_records(reader: Any, columns: Sequence[str], found: Problems) -> Iterator[tuple[int, dict[str, str]]]:
    header: list[str] | None = None
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if any(len(c) > MAX_CELL_CHARS for c in cells):
                found.add(line, f"a cell is longer than {MAX_CELL_CHARS:,} characters")
                continue
            if header is None:
                header = [c.strip().lower() for c in cells]
                missing = [c for c in columns if c not in header]
                if missing:
                    found.add(line, f"the header lacks {', '.join(missing)}; expected the columns {', '.join(columns)}")
                    return
                continue
            if len(cells) > len(header):
                found.add(line, "more cells than columns (quote a value that has a comma)")
                continue
            yield line, dict(zip(header, cells, strict=False))
    except UnicodeDecodeError as exc:
        found.add(start, f"is not UTF-8 text ({exc.reason}); save it as UTF-8")
        return
    except csv.Error as exc:
        found.add(start, f"cannot be read as CSV ({exc}); is a quote left open?")
        return
    if header is None:
        found.add(None, f"the file is empty; expected a header line: {','.join(columns)}")


def csv_rows(
    lines: Iterable[str], columns: Sequence[str], model: type[M], found: Problems
) -> Iterator[tuple[int, dict[str, str], M | None]]:
    """Stream validated CSV records: (line, raw cells, typed value or None when invalid)."""
    for line, record in csv_records(lines, columns, found):
        value, errors = validate(model, {k: record.get(k) or "" for k in columns})
        for loc, message in errors:
            found.add(line, message, field_name(loc) if loc else None)
        yield line, record, value


# Writing CSV for spreadsheets

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: a leading = + - @ tab or CR would start a formula.

    The OWASP rule for CSV injection: prefix such cells with a single quote.
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv(out: IO[str], rows: Iterable[Sequence[object]]) -> None:
    """CSV for people to open in a spreadsheet, every cell neutralised."""
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([spreadsheet_cell(v) for v in row])
