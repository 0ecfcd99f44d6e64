"""``cedbot courses`` and ``cedbot slots``: imports checked in full, all or nothing; listings."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.runtime import Runtime
from bot.settings import load_settings
from cedbot import main, routers
from storage.models import OutboxMessage
from tests.bookings_support import person_with_details
from tests.chat import Chat

SOON = (datetime.now(UTC) + timedelta(days=60)).date()


def catalogue(capacity: int = 1, extra: str = "") -> str:
    return f"""\
courses:
  - code: TEST-1
    title: {{en: Cluster strategy, da: Klyngestrategi}}
    description: {{en: A day on strategy., da: En dag om strategi.}}
    language: da
    location: Odense
    capacity: {capacity}
    registration_deadline: {SOON - timedelta(days=7)} 12:00
    sessions:
      - {{start: {SOON} 09:00, end: {SOON} 16:00}}
  - code: TEST-2
    title: {{en: Online basics, da: Grundkursus online}}
    description: {{en: Basics., da: Det grundlæggende.}}
    language: en
    online: true
    price: 1500
    capacity: 30
    registration_deadline: {SOON} 08:00
    sessions:
      - {{start: {SOON} 09:00, end: {SOON} 12:00}}
{extra}"""


BROKEN = f"""\
courses:
  - code: OK-1
    title: {{en: Fine, da: Fint}}
    description: {{en: Fine., da: Fint.}}
    language: da
    online: true
    capacity: 10
    registration_deadline: {SOON} 08:00
    sessions: [{{start: {SOON} 09:00, end: {SOON} 12:00}}]
  - code: BAD-2
    titel: {{en: Typo, da: Tastefejl}}
    description: {{en: x, da: x}}
    language: de
    online: true
    price: -5
    registration_deadline: {SOON} 08:00
    sessions: [{{start: {SOON} 09:00, end: {SOON} 08:00}}]
  - code: BAD-3
    title: {{en: Past, da: Fortid}}
    description: {{en: x, da: x}}
    language: en
    capacity: 5
    registration_deadline: 2020-01-01 08:00
    sessions: [{{start: 2020-01-02 09:00, end: 2020-01-02 12:00}}]
"""


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("CEDBOT_DATABASE_URL", url)
    return url


async def cedbot(*args: str) -> int:
    return await asyncio.to_thread(main, list(args))


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


async def test_a_broken_file_names_every_row_and_field_and_imports_nothing(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await cedbot("courses", "import", write(tmp_path, "c.yaml", BROKEN)) == 1
    err = capsys.readouterr().err
    assert "nothing was imported" in err
    for problem in (
        "c.yaml:11: course 2, field 'titel': is not a known field",
        "c.yaml:10: course 2, field 'title': is required",
        "c.yaml:13: course 2, field 'language': Input should be 'da' or 'en'",
        "c.yaml:15: course 2, field 'price': Input should be greater than or equal to 0",
        "c.yaml:10: course 2, field 'capacity': is required",
        "c.yaml:18: course 3, field 'location': give a location, or 'online: true'",
        "c.yaml:24: course 3, field 'sessions[0].start': is in the past",
        "c.yaml:23: course 3, field 'registration_deadline': is in the past",
    ):
        assert problem in err
    await cedbot("courses", "list")
    assert "No courses yet" in capsys.readouterr().out

    assert await cedbot("courses", "import", write(tmp_path, "x.yaml", "courses:\n  - code: [unclosed\n")) == 1
    assert "x.yaml:3: column 1: not valid YAML" in capsys.readouterr().err
    assert await cedbot("courses", "import", write(tmp_path, "y.yaml", "- just a list\n")) == 1
    assert "must start with 'courses:'" in capsys.readouterr().err
    assert await cedbot("courses", "import", str(tmp_path / "missing.yaml")) == 1
    assert "missing.yaml: cannot be read" in capsys.readouterr().err


async def test_dry_run_import_update_list_and_participants(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "c.yaml", catalogue())
    assert await cedbot("courses", "import", path, "--dry-run") == 0
    assert "2 new and 0 updated courses would be imported (dry run" in capsys.readouterr().out
    await cedbot("courses", "list")
    assert "No courses yet" in capsys.readouterr().out
    assert await cedbot("courses", "import", path) == 0
    assert "2 new and 0 updated courses were imported" in capsys.readouterr().out

    async with Runtime(load_settings(database_url=db), routers()) as rt:
        for user in ("anna", "bo"):
            await person_with_details(rt, user, rt.clock())
            await Chat(rt, user).send("/courses")
            await Chat(rt, user).press_action("course:confirm:1")

    await cedbot("courses", "list")
    out = capsys.readouterr().out
    assert "TEST-1" in out and "1/1" in out and "Cluster strategy" in out
    assert await cedbot("courses", "participants", "TEST-1", "--csv") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "status,name,organisation,email,booked"
    assert lines[1].startswith("seat,Person anna,Test Cluster,anna@example.dk,")
    assert lines[2].startswith("waiting 1,Person bo,")
    assert await cedbot("courses", "participants", "NOPE") == 1
    assert "no course 'NOPE'" in capsys.readouterr().err

    assert await cedbot("courses", "import", write(tmp_path, "c0.yaml", catalogue(capacity=2))) == 0
    assert "0 new and 2 updated courses were imported; 1 people were moved" in capsys.readouterr().out
    async with Runtime(load_settings(database_url=db), routers()) as rt, rt.sessions() as session:
        [note] = (await session.execute(select(OutboxMessage))).scalars()
        assert note.chat_id == "bo" and "a seat has become free" in note.payload["text"]


async def test_capacity_below_the_seats_booked_is_refused(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await cedbot("courses", "import", write(tmp_path, "c.yaml", catalogue(capacity=3)))
    async with Runtime(load_settings(database_url=db), routers()) as rt:
        for user in ("anna", "bo"):
            await person_with_details(rt, user, rt.clock())
            await Chat(rt, user).press_action("course:confirm:1")
    capsys.readouterr()
    assert await cedbot("courses", "import", write(tmp_path, "c1.yaml", catalogue(capacity=1))) == 1
    assert "field 'capacity': 1 is less than the 2 seats already booked on TEST-1" in capsys.readouterr().err


async def test_slots_import_checks_and_skips_what_is_there(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = f"slots:\n  - {{start: {SOON} 10:00, minutes: 0, adviser: Mette, online: true}}\n"
    bad += "  - {start: 2020-01-01 10:00, minutes: 30, adviser: Mette}\n"
    assert await cedbot("slots", "import", write(tmp_path, "bad.yaml", bad)) == 1
    err = capsys.readouterr().err
    assert "bad.yaml:2: slot 1, field 'minutes': Input should be greater than or equal to 1" in err
    assert "bad.yaml:3: slot 2, field 'start': is in the past" in err
    assert "bad.yaml:3: slot 2, field 'place': give a place, or 'online: true'" in err
    good = f"slots:\n  - {{start: {SOON} 10:00, minutes: 60, adviser: Mette, place: Odense}}\n"
    good += f"  - {{start: {SOON} 11:00, minutes: 60, adviser: Mette, online: true}}\n"
    path = write(tmp_path, "good.yaml", good)
    assert await cedbot("slots", "import", path) == 0
    assert "2 slots were added" in capsys.readouterr().out
    assert await cedbot("slots", "import", path) == 0
    assert "0 slots were added, 2 already there" in capsys.readouterr().out
    await cedbot("slots", "list")
    out = capsys.readouterr().out
    assert "Mette, Odense  free" in out and out.count("#") == 2
