"""Hostile import files: each is refused with a report line naming file, line and field.

Courses, slots, the label register and the knowledge entries share one import pipeline;
these files once gave tracebacks, gigabytes of memory or rows the database refused.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select

from bot.runtime import Runtime
from bot.settings import load_settings
from cedbot import main, routers
from fileimport import INT32_MAX, FileProblem, read_text, spreadsheet_cell
from handlers.advice import importing as slots
from handlers.courses import importing as courses
from handlers.labels import register
from knowledge.loader import KnowledgeError, read_file
from storage import labels as store
from storage.bookings import Course, Slot
from storage.models import utcnow
from tests.bookings_support import person_with_details
from tests.chat import Chat

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
HEADER = "name,aliases,region,website,label,awarded_on,valid_until\n"

# A "billion laughs": 9 levels of 9 aliases, 387,420,489 strings once expanded.
LAUGHS = "".join(
    f"  - &{chr(97 + n)} [{','.join([f'*{chr(96 + n)}'] * 9) if n else ','.join(['lol'] * 9)}]\n" for n in range(9)
)
DEEP = "[" * 20_000 + "]" * 20_000


def course(**fields: Any) -> str:
    values = {
        "code": "C-1",
        "title": "{en: Strategy, da: Strategi}",
        "location": "Odense",
        "price": "0",
        "deadline": "2027-01-10",
        "day": "2027-01-12",
        **fields,
    }
    return f"""courses:
  - code: {values["code"]}
    title: {values["title"]}
    description: {{en: A day., da: En dag.}}
    language: da
    location: {values["location"]}
    price: {values["price"]}
    capacity: 10
    registration_deadline: {values["deadline"]} 10:00
    sessions: [{{start: {values["day"]} 09:00, end: {values["day"]} 16:00}}]
"""


def slot(**fields: str) -> str:
    v = {"start": "2027-01-12 10:00", "adviser": "Mette Lund", "place": "Odense", **fields}
    return f"slots:\n  - {{start: {v['start']}, minutes: 60, adviser: {v['adviser']}, place: {v['place']}}}\n"


def csv_file(text: str) -> Path:
    path = Path("register.csv")  # each test runs in its own directory
    path.write_text(text, encoding="utf-8")
    return path


def refused(read: Any, *args: Any) -> list[str]:
    with pytest.raises(FileProblem) as caught:
        read(*args)
    return caught.value.errors


# YAML: aliases, nesting, size


@pytest.mark.parametrize("key", ["courses", "slots"])
def test_a_yaml_alias_bomb_is_refused_at_its_first_alias(key: str) -> None:
    read = courses.read if key == "courses" else slots.read
    text = f"{key}:\n{LAUGHS}"
    assert len(text) < 400
    (error,) = refused(read, text, NOW, "bomb.yaml")
    assert error == "bomb.yaml:2: anchors (&name) are not allowed; write the value out"


def test_a_knowledge_entry_with_aliases_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(f"id: bomb\nlaughs:\n{LAUGHS}answer: {{en: *i, da: x}}\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        read_file(path)
    assert caught.value.errors == [f"{path}:3: anchors (&name) are not allowed; write the value out"]


@pytest.mark.parametrize("key", ["courses", "slots"])
def test_twenty_thousand_levels_of_nesting_are_refused(key: str) -> None:
    read = courses.read if key == "courses" else slots.read
    (error,) = refused(read, f"{key}:\n  - {DEEP}\n", NOW, "deep.yaml")
    assert error == "deep.yaml:2: nested more than 20 levels deep"


def test_a_deeply_nested_knowledge_entry_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text(f"id: deep\ncategory: {DEEP}\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        read_file(path)
    assert "deep.yaml:2: nested more than 20 levels deep" in caught.value.errors[0]


def test_an_oversized_file_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("courses:\n" + "# padding\n" * 300_000, encoding="utf-8")
    assert refused(read_text, path) == [f"{path}: is larger than 2,000,000 bytes; split it into smaller files"]


def test_a_number_too_long_to_convert_is_a_report_line() -> None:
    (error,) = refused(courses.read, course(price="9" * 5000), NOW, "c.yaml")
    assert error.startswith("c.yaml:7: '999") and "is not a valid value" in error


# Values the database cannot store, on both databases


@pytest.mark.parametrize(
    ("fields", "report"),
    [
        ({"price": str(INT32_MAX + 1)}, "c.yaml:7: course 1, field 'price': Input should be less than or equal to"),
        ({"title": '{en: "Strat\\0egy", da: x}'}, "c.yaml:3: course 1, field 'title.en': contains a control"),
        ({"location": "x" * 201}, "c.yaml:6: course 1, field 'location': is longer than 200 characters"),
    ],
)
def test_course_values_beyond_their_column_are_refused(fields: dict[str, str], report: str) -> None:
    (error,) = refused(courses.read, course(**fields), NOW, "c.yaml")
    assert error.startswith(report)


async def test_the_largest_accepted_values_are_stored_on_both_databases(runtime: Runtime) -> None:
    from bot.context import Notifier

    text = course(price=str(INT32_MAX), title=f"{{en: {'T' * 200}, da: Titel}}", location="x" * 200)
    async with runtime.sessions() as session, session.begin():
        n = Notifier(runtime=runtime, session=session, now=NOW)
        await courses.write(n, courses.read(text, NOW, "c.yaml"))
        slot_text = slot(adviser="A" * 100, place="p" * 200)
        await slots.write(session, slots.read(slot_text, NOW, "s.yaml"), NOW)
    async with runtime.sessions() as session:
        assert await session.scalar(select(Course.price).where(Course.code == "C-1")) == INT32_MAX
        assert await session.scalar(select(Slot.place).where(Slot.adviser_name == "A" * 100)) == "p" * 200


@pytest.mark.parametrize(
    ("fields", "report"),
    [
        (
            {"adviser": '"Me\\0tte"'},
            "s.yaml:2: slot 1, field 'adviser': contains a control or invalid character (U+0000); remove it",
        ),
        ({"adviser": '"---"'}, "s.yaml:2: slot 1, field 'adviser': must contain a letter or a digit"),
        ({"start": "9999-12-31 23:59"}, "s.yaml:2: slot 1, field 'start': must be between the years 2000 and 2100"),
        ({"place": "x" * 201}, "s.yaml:2: slot 1, field 'place': is longer than 200 characters"),
    ],
)
def test_slot_values_the_database_cannot_store_are_refused(fields: dict[str, str], report: str) -> None:
    (error,) = refused(slots.read, slot(**fields), NOW, "s.yaml")
    assert error.startswith(report)


# The label register


REFUSED_ROWS = [
    ("A,,{r},,none,,".format(r="r" * 101), ":2: field 'region': is longer than 100 characters"),
    ("N" * 201 + ",,,,none,,", ":2: field 'name': is longer than 200 characters"),
    ("A\0b,,,,none,,", ":2: field 'name': contains a control or invalid character (U+0000); remove it"),
    ("---,,,,none,,", ":2: field 'name': must contain a letter or a digit"),
    ("...!,,,,none,,", ":2: field 'name': must contain a letter or a digit"),
    ("Ωμέγα,,,,none,,", ":2: field 'name': must contain a letter (a-z, æ, ø, å) or a digit"),
    ("A," + "x" * 128 * 1024 + ",,,none,,", ":2: a cell is longer than 10,000 characters"),
    ("A," + "x" * 200 * 1024 + ",,,none,,", ":2: cannot be read as CSV (field larger than field limit"),
    ("A," + "x" * 20_000 + ",,,none,,", ":2: a cell is longer than 10,000 characters"),
]


async def test_register_rows_the_database_cannot_store_are_refused(runtime: Runtime) -> None:
    # One runtime for every row: each is its own file, refused on its own, nothing written.
    async with runtime.sessions() as session:
        before = await store.count_clusters(session)
    for row, report in REFUSED_ROWS:
        path = csv_file(HEADER + row + "\n")
        with pytest.raises(FileProblem) as caught:
            async with runtime.sessions() as session, session.begin():
                await register.import_file(session, path, utcnow(), dry_run=False)
        (error,) = caught.value.errors
        assert error.startswith("register.csv" + report), error
    async with runtime.sessions() as session:
        assert await store.count_clusters(session) == before


async def test_a_large_register_is_written_in_batches_not_row_by_row(runtime: Runtime) -> None:
    levels = ["none,,", "gold,2025-01-01,2027-06-30", "bronze,2025-01-01,2027-06-30"]
    path = csv_file(HEADER + "".join(f"Cluster {i},,,,{levels[i % 3]}\n" for i in range(3000)))
    statements: list[str] = []
    engine = runtime.engine.sync_engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        for expected in ("3000 new", "3000 unchanged"):
            async with runtime.sessions() as session, session.begin():
                changes = await register.import_file(session, path, utcnow(), dry_run=False)
            assert expected in register.describe(changes, dry_run=False)[-1]
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(statements) < 40, len(statements)


def test_a_report_of_a_huge_broken_file_stays_short(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text(HEADER + "".join(f"C{i},,,,gold,,\n" for i in range(5000)), encoding="utf-8")
    errors = refused(register.check, path)
    assert len(errors) == 201 and errors[-1] == "... and 4800 more problem(s)"


# CSV written for spreadsheets


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x")', "=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_that_would_start_a_formula_is_written_as_text(cell: str) -> None:
    assert spreadsheet_cell(cell) == "'" + cell
    assert spreadsheet_cell("Anna Berg") == "Anna Berg"


async def test_participants_csv_neutralises_names_typed_in_the_chat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from storage import bookings_repo

    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("CEDBOT_DATABASE_URL", url)
    catalogue = tmp_path / "c.yaml"
    soon = (datetime.now(UTC) + timedelta(days=60)).date()
    catalogue.write_text(course(deadline=str(soon - timedelta(days=2)), day=str(soon)), encoding="utf-8")
    assert await asyncio.to_thread(main, ["courses", "import", str(catalogue)]) == 0
    async with Runtime(load_settings(database_url=url), routers()) as rt:
        person = await person_with_details(rt, "eve", rt.clock())
        async with rt.sessions() as session, session.begin():
            now = rt.clock()
            await bookings_repo.save_contact(
                session, person, '=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "e@x.dk", now
            )
        await Chat(rt, "eve").send("/courses")
        await Chat(rt, "eve").press_action("course:confirm:1")
    capsys.readouterr()
    assert await asyncio.to_thread(main, ["courses", "participants", "C-1", "--csv"]) == 0
    row = capsys.readouterr().out.splitlines()[1]
    assert row.startswith('seat,"\'=HYPERLINK(""http://x"",""y"")",\'=cmd|\' /C calc\'!A0,e@x.dk,'), row
