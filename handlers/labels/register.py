"""The register as a CSV file: validate every row, then upsert all of them or none."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.labels.matching import fold
from storage import labels as store
from storage.labels import Cluster, LabelHistory, Level

COLUMNS = ("name", "aliases", "region", "website", "label", "awarded_on", "valid_until")
SAMPLE = Path(__file__).with_name("sample-clusters.csv")


@dataclass(frozen=True)
class Row:
    """One valid register row."""

    line: int
    name: str
    aliases: tuple[str, ...]
    region: str
    website: str
    level: Level
    awarded_on: date | None
    valid_until: date | None


@dataclass
class Changes:
    """What an import does (or would do, with ``--dry-run``)."""

    new: list[Row] = field(default_factory=list)
    relabelled: list[tuple[Row, Cluster]] = field(default_factory=list)
    """Rows whose label or dates differ; the old label goes into the history."""
    previous: dict[int, str] = field(default_factory=dict)
    """The label each relabelled cluster had, as the report shows it."""
    updated: list[tuple[Row, Cluster]] = field(default_factory=list)
    """Rows whose aliases, region or website differ, label unchanged."""
    unchanged: int = 0
    not_in_file: list[str] = field(default_factory=list)
    """Clusters in the register that the file does not mention; they are kept."""

    @property
    def any(self) -> bool:
        return bool(self.new or self.relabelled or self.updated)


class RegisterError(Exception):
    """The file has errors; nothing was imported. ``errors`` holds one line per problem."""

    def __init__(self, errors: Sequence[str]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = list(errors)


def name_key(name: str) -> str:
    """Names that differ only in case, spacing or how æøå are typed are the same name."""
    return " ".join(re.findall(r"[a-z0-9]+", fold(name)))


def _date(value: str, column: str, problems: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(f"{column} {value!r} is not a real date in the form YYYY-MM-DD")
        return None


def _row(line: int, record: dict[str, str]) -> tuple[Row | None, list[str]]:
    """Check one record; returns the row, or the problems with it."""
    get = {key: (record.get(key) or "").strip() for key in COLUMNS}
    problems: list[str] = []
    if not get["name"]:
        problems.append("name is empty")
    level: Level | None = None
    try:
        level = Level(get["label"].lower() or "none")
    except ValueError:
        problems.append(f"label {get['label']!r} is unknown; use none, bronze, silver or gold")
    awarded = _date(get["awarded_on"], "awarded_on", problems)
    until = _date(get["valid_until"], "valid_until", problems)
    if awarded and until and until < awarded:
        problems.append(f"valid_until {until} is before awarded_on {awarded}")
    if level not in (None, Level.NONE) and not problems and not (awarded and until):
        problems.append(f"a {level} label needs both awarded_on and valid_until")
    if level is Level.NONE and (get["awarded_on"] or get["valid_until"]):
        problems.append("label is none, so awarded_on and valid_until must be empty")
    if get["website"] and not get["website"].startswith(("https://", "http://")):
        problems.append(f"website {get['website']!r} must start with https:// or http://")
    if problems or level is None:
        return None, problems
    aliases = tuple(a.strip() for a in get["aliases"].split(";") if a.strip())
    return Row(line, get["name"], aliases, get["region"], get["website"], level, awarded, until), []


def _records(text: str) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """Rows with their line numbers; lines starting with ``#`` are comments."""
    # Comment lines are blanked rather than removed, so line numbers match the file.
    lines = ["" if line.lstrip().startswith("#") else line for line in text.splitlines()]
    reader = csv.reader(io.StringIO("\n".join(lines)))
    header: list[str] | None = None
    records: list[tuple[int, dict[str, str]]] = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header = [c.strip().lower() for c in cells]
            missing = [c for c in COLUMNS if c not in header]
            if missing:
                return [], [
                    f"line {reader.line_num}: the header lacks {', '.join(missing)}; "
                    f"expected the columns {', '.join(COLUMNS)}"
                ]
            continue
        if len(cells) > len(header):
            records.append((reader.line_num, {"__extra__": "yes"}))
            continue
        records.append((reader.line_num, dict(zip(header, cells, strict=False))))
    if header is None:
        return [], [f"the file is empty; expected a header line: {','.join(COLUMNS)}"]
    return records, []


def parse(text: str) -> list[Row]:
    """Validate the whole file; raises :class:`RegisterError` listing every bad row."""
    records, errors = _records(text)
    rows: list[Row] = []
    first_line: dict[str, int] = {}
    for line, record in records:
        if "__extra__" in record:
            errors.append(f"line {line}: more cells than columns (quote a name that has a comma)")
            continue
        row, problems = _row(line, record)
        errors += [f"line {line}: {p}" for p in problems]
        name = (record.get("name") or "").strip()
        key = name_key(name)
        if key and key in first_line:
            errors.append(f"line {line}: duplicate name {name!r} (first on line {first_line[key]})")
        elif key:
            first_line[key] = line
        if row is not None:
            rows.append(row)
    if errors:
        raise RegisterError(errors)
    return rows


def read(path: Path) -> list[Row]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RegisterError([f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8"]) from None
    return parse(text)


def _label_differs(row: Row, cluster: Cluster) -> bool:
    return (row.level.value, row.awarded_on, row.valid_until) != (
        cluster.label,
        cluster.awarded_on,
        cluster.valid_until,
    )


def _details_differ(row: Row, cluster: Cluster) -> bool:
    return (list(row.aliases), row.region, row.website) != (
        list(cluster.aliases),
        cluster.region,
        cluster.website,
    )


async def plan(session: AsyncSession, rows: Sequence[Row]) -> Changes:
    """Compare the rows with the register, matching clusters by name (case and æøå aside)."""
    existing = {name_key(c.name): c for c in await store.all_clusters(session)}
    changes = Changes()
    seen: set[str] = set()
    for row in rows:
        key = name_key(row.name)
        seen.add(key)
        cluster = existing.get(key)
        if cluster is None:
            changes.new.append(row)
        elif _label_differs(row, cluster):
            changes.relabelled.append((row, cluster))
            changes.previous[cluster.id] = _label(cluster.label, cluster.valid_until)
        elif _details_differ(row, cluster) or row.name != cluster.name:
            changes.updated.append((row, cluster))
        else:
            changes.unchanged += 1
    changes.not_in_file = sorted(c.name for k, c in existing.items() if k not in seen)
    return changes


def _fill(cluster: Cluster, row: Row, now: datetime) -> None:
    cluster.name, cluster.aliases, cluster.region, cluster.website = (
        row.name,
        list(row.aliases),
        row.region,
        row.website,
    )
    cluster.label, cluster.awarded_on, cluster.valid_until = row.level.value, row.awarded_on, row.valid_until
    cluster.updated_at = now


async def apply(session: AsyncSession, changes: Changes, now: datetime) -> None:
    """Write the planned changes; the caller's transaction makes it all-or-nothing."""
    for row in changes.new:
        cluster = Cluster()
        _fill(cluster, row, now)
        session.add(cluster)
    for row, cluster in changes.relabelled:
        if cluster.level is not Level.NONE:
            session.add(
                LabelHistory(
                    cluster_id=cluster.id,
                    label=cluster.label,
                    awarded_on=cluster.awarded_on,
                    valid_until=cluster.valid_until,
                    replaced_at=now,
                )
            )
        _fill(cluster, row, now)
    for row, cluster in changes.updated:
        _fill(cluster, row, now)
    await session.flush()


async def import_rows(session: AsyncSession, rows: Sequence[Row], now: datetime, *, dry_run: bool) -> Changes:
    changes = await plan(session, rows)
    if not dry_run:
        await apply(session, changes, now)
    return changes


def describe(changes: Changes, *, dry_run: bool) -> list[str]:
    """The import's report, one line per change."""
    out: list[str] = []
    for row in changes.new:
        out.append(f"new: {row.name} ({_label(row.level.value, row.valid_until)})")
    for row, cluster in changes.relabelled:
        before = changes.previous[cluster.id]
        out.append(f"label changed: {row.name}: {before} -> {_label(row.level.value, row.valid_until)}")
    for row, _cluster in changes.updated:
        out.append(f"details updated: {row.name}")
    for name in changes.not_in_file:
        out.append(f"not in the file, kept as it is: {name}")
    verb = "would change" if dry_run else "changed"
    out.append(
        f"{len(changes.new)} new, {len(changes.relabelled)} label change(s), "
        f"{len(changes.updated)} detail update(s), {changes.unchanged} unchanged; "
        f"{'dry run: nothing ' + verb + ' in the database' if dry_run else 'the register is updated'}."
    )
    return out


def _label(level: str, until: date | None) -> str:
    return level if level == Level.NONE.value or until is None else f"{level} until {until}"
