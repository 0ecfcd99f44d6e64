"""The register file: every bad row reported at once, all or nothing, label history kept."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.runtime import Runtime
from fileimport import FileProblem, Problems, open_lines
from handlers.labels import register
from storage import labels as store
from storage.labels import LabelHistory
from tests.labels_helpers import load_sample

HEADER = "name,aliases,region,website,label,awarded_on,valid_until\n"


def csv_file(text: str) -> Path:
    """The text as a file in the test's own directory (each test runs in its own tmp_path)."""
    path = Path("register.csv")
    path.write_text(text, encoding="utf-8")
    return path


def errors_of(text: str) -> list[str]:
    """The report lines, without the file name every line starts with."""
    with pytest.raises(FileProblem) as caught:
        register.check(csv_file(text))
    return [e.removeprefix("register.csv:") for e in caught.value.errors]


def test_the_sample_is_valid_fictional_and_covers_every_case() -> None:
    text = register.SAMPLE.read_text(encoding="utf-8")
    assert "FICTIONAL" in text.splitlines()[0]
    found = Problems(str(register.SAMPLE))
    with open_lines(register.SAMPLE) as lines:
        rows = [r.value for r in register.rows(lines, found)]
    assert not found and 35 <= len(rows) <= 45
    today = date(2026, 11, 27)
    left = [(r.valid_until - today).days for r in rows if r.valid_until]
    assert {r.label.value for r in rows} == {"none", "bronze", "silver", "gold"}
    assert any(d < 0 for d in left), "some labels have expired"
    assert any(0 <= d <= 30 for d in left) and any(30 < d <= 90 for d in left)
    assert all(r.website.endswith(".example") for r in rows)


def test_each_kind_of_error_is_reported_with_its_line() -> None:
    text = (
        HEADER
        + "Alpha,,,,platinum,2025-01-01,2027-01-01\n"  # line 2: unknown label
        + "Beta,,,,gold,2025-13-01,2027-01-01\n"  # line 3: bad month
        + "Gamma,,,,gold,2025-02-30,2027-01-01\n"  # line 4: impossible day
        + "Delta,,,,silver,2026-05-01,2026-04-30\n"  # line 5: ends before it starts
        + "alpha,,,,bronze,2025-01-01,2027-01-01\n"  # line 6: duplicate (case aside)
        + ",,,,bronze,2025-01-01,2027-01-01\n"  # line 7: no name
        + "Epsilon,,,,gold,,\n"  # line 8: label without dates
        + "Zeta,,,,none,2025-01-01,\n"  # line 9: dates without a label
        + "Eta,,,eta.example,bronze,2025-01-01,2027-01-01\n"  # line 10: not a web address
        + "Theta,,,,bronze,01/02/2025,2027-01-01\n"  # line 11: not ISO
    )
    errors = errors_of(text)
    expected = {
        2: "field 'label': 'platinum' is unknown",
        3: "field 'awarded_on': '2025-13-01' is not a real date",
        4: "field 'awarded_on': '2025-02-30' is not a real date",
        5: "field 'valid_until': 2026-04-30 is before awarded_on 2026-05-01",
        6: "field 'name': duplicate name 'alpha' (first on line 2)",
        7: "field 'name': is empty",
        8: "field 'label': a gold label needs both awarded_on and valid_until",
        9: "field 'label': is none, so awarded_on and valid_until must be empty",
        10: "field 'website': 'eta.example' must start with https://",
        11: "field 'awarded_on': '01/02/2025' is not a real date",
    }
    for line, message in expected.items():
        assert any(e.startswith(f"{line}: ") and message in e for e in errors), (line, errors)
    assert len(errors) == len(expected)


def test_comments_keep_line_numbers_and_a_missing_column_is_named() -> None:
    errors = errors_of("# a comment\n" + HEADER + "# another\nAlpha,,,,gold,2025-01-01,2024-01-01\n")
    assert errors == ["4: field 'valid_until': 2024-01-01 is before awarded_on 2025-01-01"]
    (error,) = errors_of("name,label\nAlpha,gold\n")
    assert "lacks aliases, region, website, awarded_on, valid_until" in error
    assert "the file is empty" in errors_of("# only a comment\n")[0]


async def _snapshot(runtime: Runtime) -> list[tuple[str, str, Any]]:
    async with runtime.sessions() as session:
        return [(c.name, c.label, c.valid_until) for c in await store.all_clusters(session)]


async def test_a_file_with_one_bad_row_changes_nothing(runtime: Runtime, tmp_path: Path) -> None:
    await load_sample(runtime)
    before = await _snapshot(runtime)
    path = tmp_path / "update.csv"
    path.write_text(HEADER + "Fjordlys Energiklynge,,,,silver,2026-01-01,2028-01-01\nNew One,,,,gold,x,y\n")
    with pytest.raises(FileProblem):
        async with runtime.sessions() as session, session.begin():
            await register.import_file(session, path, runtime.clock(), dry_run=False)
    assert await _snapshot(runtime) == before


async def test_import_upserts_keeps_history_and_never_removes(runtime: Runtime, clock: Any) -> None:
    await _import(runtime, clock, HEADER + "Alpha,A1,Sjælland,,bronze,2024-01-01,2026-01-01\nBeta,,,,none,,\n")
    changes = await _import(
        runtime,
        clock,
        HEADER
        + "alpha,A1;Alfa,Sjælland,,silver,2025-06-01,2027-06-01\n"  # relabelled (name case aside)
        + "Gamma,,,,gold,2026-01-01,2028-01-01\n",  # new; Beta is not mentioned: kept
    )
    assert (changes.new, changes.relabelled) == (1, 1)
    assert "Beta" in changes.not_in_file
    report = "\n".join(register.describe(changes, dry_run=False))
    assert "new: Gamma (gold until 2028-01-01)" in report
    assert "label changed: alpha: bronze until 2026-01-01 -> silver until 2027-06-01" in report
    async with runtime.sessions() as session:
        clusters = {c.name: c for c in await store.all_clusters(session)}
        assert {"alpha", "Beta", "Gamma"} <= set(clusters)
        assert clusters["alpha"].aliases == ["A1", "Alfa"]
        (old,) = (await session.execute(select(LabelHistory))).scalars()
        assert (old.cluster_id, old.label, old.valid_until) == (
            clusters["alpha"].id,
            "bronze",
            date(2026, 1, 1),
        )


async def test_dry_run_reports_but_writes_nothing(runtime: Runtime, clock: Any) -> None:
    await load_sample(runtime)
    before = await _snapshot(runtime)
    changes = await _import(runtime, clock, HEADER + "Brand New,,,,gold,2026-01-01,2028-01-01\n", dry_run=True)
    assert changes.new == 1 and "new: Brand New (gold until 2028-01-01)" in changes.listed
    assert "dry run" in register.describe(changes, dry_run=True)[-1]
    assert await _snapshot(runtime) == before


async def test_reimporting_the_same_file_changes_nothing(runtime: Runtime, clock: Any) -> None:
    await load_sample(runtime)
    changes = await _import(runtime, clock, register.SAMPLE.read_text(encoding="utf-8"))
    assert not changes.any and changes.unchanged == register.check(register.SAMPLE)


async def _import(runtime: Runtime, clock: Any, text: str, dry_run: bool = False) -> register.Changes:
    async with runtime.sessions() as session, session.begin():
        return await register.import_file(session, csv_file(text), clock(), dry_run=dry_run)


def test_names_differ_by_more_than_the_word_cluster() -> None:
    assert register.check(csv_file(HEADER + "Søkrog Cluster,,,,none,,\nSøkrog Network,,,,none,,\n")) == 2
    errors = errors_of(HEADER + "Søkrog Cluster,,,,none,,\nsoekrog  CLUSTER,,,,none,,\n")
    assert errors == ["3: field 'name': duplicate name 'soekrog  CLUSTER' (first on line 2)"]
