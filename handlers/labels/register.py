"""The register as a CSV file: validate every row, then upsert all of them or none.

The file is streamed and written in batches, so a register of hundreds of thousands of
clusters imports in seconds and in bounded memory; a problem anywhere rolls everything back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncSession

from fileimport import Line, Name, Problems, csv_rows, open_lines
from handlers.labels.matching import fold
from storage import labels as store
from storage.labels import Cluster, Level

COLUMNS = ("name", "aliases", "region", "website", "label", "awarded_on", "valid_until")
SAMPLE = Path(__file__).with_name("sample-clusters.csv")
BATCH = 1000
"""Rows written per round trip: large enough to be fast, small enough to keep memory flat."""
MAX_LISTED = 500
"""Changes named one by one in the report; the rest are counted."""


_LEVELS = frozenset(lvl.value for lvl in Level)


def _level(value: object) -> object:
    text = str(value).strip().lower() or "none"
    if text not in _LEVELS:
        raise ValueError(f"{str(value).strip()!r} is unknown; use none, bronze, silver or gold")
    return text


def _date(value: object) -> date | None:
    text = str(value).strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date in the form YYYY-MM-DD") from None


def _website(value: str) -> str:
    if value and not (value.startswith(("https://", "http://")) and " " not in value):
        raise ValueError(f"{value!r} must start with https:// or http:// and contain no spaces")
    return value


def _aliases(value: object) -> tuple[str, ...]:
    return tuple(a.strip() for a in str(value).split(";") if a.strip())


class ClusterIn(BaseModel):
    """One row of the register file."""

    model_config = ConfigDict(str_strip_whitespace=True, frozen=True)
    name: Name = Field(min_length=1, max_length=200)
    aliases: Annotated[tuple[Annotated[Line, Field(max_length=200)], ...], BeforeValidator(_aliases)] = Field(
        (), max_length=50
    )
    region: Line = Field("", max_length=100)
    website: Annotated[Line, AfterValidator(_website)] = Field("", max_length=300)
    label: Annotated[Level, BeforeValidator(_level)] = Level.NONE
    awarded_on: Annotated[date | None, BeforeValidator(_date)] = None
    valid_until: Annotated[date | None, BeforeValidator(_date)] = None


def _check(row: ClusterIn, key: str) -> list[tuple[str, str]]:
    """The rules between columns: (column, problem) pairs."""
    awarded, until = row.awarded_on, row.valid_until
    if not key:
        return [("name", "must contain a letter (a-z, æ, ø, å) or a digit")]
    if awarded and until and until < awarded:
        return [("valid_until", f"{until} is before awarded_on {awarded}")]
    if row.label is not Level.NONE and not (awarded and until):
        return [("label", f"a {row.label} label needs both awarded_on and valid_until")]
    if row.label is Level.NONE and (awarded or until):
        return [("label", "is none, so awarded_on and valid_until must be empty")]
    return []


@dataclass(frozen=True)
class Row:
    """One valid register row and its line."""

    line: int
    key: str
    """The name as matched: see :func:`name_key`."""
    value: ClusterIn


def rows(lines: Iterable[str], found: Problems) -> Iterator[Row]:
    """Stream the valid rows of the file; every problem (duplicates too) goes to ``found``."""
    first_line: dict[str, int] = {}
    for line, record, value in csv_rows(lines, COLUMNS, ClusterIn, found):
        name = (record.get("name") or "").strip()
        key = name_key(name)
        if key and key in first_line:
            found.add(line, f"duplicate name {name!r} (first on line {first_line[key]})", "name")
            continue
        if key:
            first_line[key] = line
        problems = _check(value, key) if value is not None else []
        for column, message in problems:
            found.add(line, message, column)
        if value is not None and not problems:
            yield Row(line, key, value)


def check(path: Path) -> int:
    """Validate the whole file without a database; the number of rows, or :class:`FileProblem`."""
    found = Problems(str(path))
    with open_lines(path) as lines:
        count = sum(1 for _ in rows(lines, found))
    found.raise_any()
    return count


def name_key(name: str) -> str:
    """Names that differ only in case, spacing or how æøå are typed are the same name."""
    return " ".join(re.findall(r"[a-z0-9]+", fold(name)))


@dataclass
class Changes:
    """What an import does (or would do, with ``--dry-run``)."""

    new: int = 0
    relabelled: int = 0
    """Rows whose label or dates differ; the old label goes into the history."""
    updated: int = 0
    """Rows whose name, aliases, region or website differ, label unchanged."""
    unchanged: int = 0
    listed: list[str] = field(default_factory=list)
    """The first :data:`MAX_LISTED` changes, one line each, in file order."""
    not_in_file: list[str] = field(default_factory=list)
    """Clusters in the register that the file does not mention; they are kept."""

    @property
    def any(self) -> bool:
        return bool(self.new or self.relabelled or self.updated)

    def note(self, line: str) -> None:
        if len(self.listed) < MAX_LISTED:
            self.listed.append(line)


async def import_file(session: AsyncSession, path: Path, now: datetime, *, dry_run: bool) -> Changes:
    """Upsert every row of the file, matching clusters by name (case and æøå aside).

    Raises :class:`fileimport.FileProblem` when any row is invalid; the caller's
    transaction then rolls back whatever was written, so it is all or nothing.
    """
    with open_lines(path) as lines:
        return await import_lines(session, lines, str(path), now, dry_run=dry_run)


async def import_lines(
    session: AsyncSession, lines: Iterable[str], file: str, now: datetime, *, dry_run: bool
) -> Changes:
    """:func:`import_file` for text already open (an upload); ``file`` names it in the report."""
    existing = {name_key(name): cid for cid, name in await store.cluster_names(session)}
    seen: set[int] = set()
    changes = Changes()
    found = Problems(file)
    batch: list[Row] = []
    for row in rows(lines, found):
        if found:  # the import will fail: only look for more problems
            continue
        batch.append(row)
        if len(batch) >= BATCH:
            await _write(session, batch, existing, seen, changes, now, dry_run)
            batch = []
    found.raise_any()
    await _write(session, batch, existing, seen, changes, now, dry_run)
    names = dict((cid, name) for cid, name in await store.cluster_names(session))
    changes.not_in_file = sorted(names[cid] for cid in existing.values() if cid not in seen and cid in names)
    return changes


async def _write(
    session: AsyncSession,
    batch: Sequence[Row],
    existing: dict[str, int],
    seen: set[int],
    changes: Changes,
    now: datetime,
    dry_run: bool,
) -> None:
    ids = [existing[r.key] for r in batch if r.key in existing]
    seen.update(ids)
    by_id = {c.id: c for c in await store.clusters_by_id(session, ids)}
    new: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    for row in batch:
        c, cid = row.value, existing.get(row.key)
        cluster = by_id.get(cid) if cid is not None else None
        if cluster is None:
            changes.new += 1
            changes.note(f"new: {c.name} ({_label(c.label.value, c.valid_until)})")
            new.append(_values(c, now))
        elif _label_differs(c, cluster):
            changes.relabelled += 1
            before, after = _label(cluster.label, cluster.valid_until), _label(c.label.value, c.valid_until)
            changes.note(f"label changed: {c.name}: {before} -> {after}")
            if cluster.level is not Level.NONE:
                history.append(_history(cluster, now))
            if not dry_run:
                _fill(cluster, c, now)
        elif _details_differ(c, cluster):
            changes.updated += 1
            changes.note(f"details updated: {c.name}")
            if not dry_run:
                _fill(cluster, c, now)
        else:
            changes.unchanged += 1
    if dry_run:
        session.expunge_all()
        return
    await store.add_clusters(session, new)
    await store.add_history(session, history)
    await session.flush()
    session.expunge_all()  # the batch's clusters are written; do not keep them in memory


def _label_differs(row: ClusterIn, cluster: Cluster) -> bool:
    return (row.label.value, row.awarded_on, row.valid_until) != (
        cluster.label,
        cluster.awarded_on,
        cluster.valid_until,
    )


def _details_differ(row: ClusterIn, cluster: Cluster) -> bool:
    return (row.name, list(row.aliases), row.region, row.website) != (
        cluster.name,
        list(cluster.aliases),
        cluster.region,
        cluster.website,
    )


def _values(row: ClusterIn, now: datetime) -> dict[str, Any]:
    return {
        "name": row.name,
        "aliases": list(row.aliases),
        "region": row.region,
        "website": row.website,
        "label": row.label.value,
        "awarded_on": row.awarded_on,
        "valid_until": row.valid_until,
        "updated_at": now,
    }


def _history(cluster: Cluster, now: datetime) -> dict[str, Any]:
    return {
        "cluster_id": cluster.id,
        "label": cluster.label,
        "awarded_on": cluster.awarded_on,
        "valid_until": cluster.valid_until,
        "replaced_at": now,
    }


def _fill(cluster: Cluster, row: ClusterIn, now: datetime) -> None:
    for name, value in _values(row, now).items():
        setattr(cluster, name, value)


def describe(changes: Changes, *, dry_run: bool) -> list[str]:
    """The import's report, one line per change (the first :data:`MAX_LISTED` of them)."""
    out = list(changes.listed)
    hidden = changes.new + changes.relabelled + changes.updated - len(changes.listed)
    if hidden > 0:
        out.append(f"... and {hidden} more change(s)")
    out += [f"not in the file, kept as it is: {name}" for name in changes.not_in_file[:MAX_LISTED]]
    if len(changes.not_in_file) > MAX_LISTED:
        out.append(f"... and {len(changes.not_in_file) - MAX_LISTED} more cluster(s) not in the file")
    verb = "would change" if dry_run else "changed"
    out.append(
        f"{changes.new} new, {changes.relabelled} label change(s), "
        f"{changes.updated} detail update(s), {changes.unchanged} unchanged; "
        f"{'dry run: nothing ' + verb + ' in the database' if dry_run else 'the register is updated'}."
    )
    return out


def _label(level: str, until: date | None) -> str:
    return level if level == Level.NONE.value or until is None else f"{level} until {until}"
