"""Generated files drive the three importers: a report or an import, never a traceback.

Each importer gets two kinds of input: arbitrary text (what a broken or hostile file looks
like), and well-formed files whose values are drawn from hostile alphabets and sizes, which
must either be refused with a report or be stored by the database as they are.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.context import Notifier
from bot.runtime import Runtime
from bot.settings import Settings
from fileimport import FileProblem, Problems, load_yaml, text_lines
from handlers.advice import importing as slots
from handlers.courses import importing as courses
from handlers.labels import register
from knowledge.loader import KnowledgeError, parse_entry

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
STORED = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Text as hostile files hold it: control characters, surrogates, YAML and CSV syntax.
SYNTAX = st.sampled_from([*"&*!|>-:[]{},#'\"\n\t\x00\r;=+@%`", "\ud800", "\u202e", "æøå", "2027-01-12 10:00"])
HOSTILE = st.one_of(
    st.text(max_size=40),
    st.lists(st.one_of(SYNTAX, st.text(max_size=3)), max_size=20).map("".join),
    st.integers(min_value=1, max_value=70_000).map(lambda n: "x" * n),
)
VALUE = st.one_of(
    HOSTILE,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=True),
)


def _knowledge(text: str) -> None:
    data, node = load_yaml(text, "entry.yaml")
    parse_entry(data, Path("entry.yaml"), node)


def _register(text: str) -> None:
    found = Problems("register.csv")
    for _ in register.rows(text_lines(text), found):
        pass


READERS: dict[str, Callable[[str], Any]] = {
    "courses": lambda text: courses.read(text, NOW, "c.yaml"),
    "slots": lambda text: slots.read(text, NOW, "s.yaml"),
    "knowledge": _knowledge,
    "register": _register,
}


@pytest.mark.parametrize("importer", list(READERS))
@FUZZ
@given(text=st.one_of(st.text(max_size=400), st.lists(SYNTAX, max_size=80).map("".join)))
def test_any_text_gets_a_report_or_an_import(importer: str, text: str) -> None:
    try:
        READERS[importer](text)
    except (FileProblem, KnowledgeError):
        pass


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True)


def _csv(row: list[Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(register.COLUMNS)
    writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


COURSE = st.fixed_dictionaries(
    {
        "code": st.one_of(st.just("C-1"), HOSTILE),
        "title": st.fixed_dictionaries({"en": HOSTILE, "da": st.just("Titel")}),
        "description": st.fixed_dictionaries({"en": HOSTILE, "da": st.just("x")}),
        "language": st.sampled_from(["da", "en", "de"]),
        "location": VALUE,
        "price": VALUE,
        "capacity": st.one_of(st.just(5), VALUE),
        "registration_deadline": st.one_of(st.just("2027-01-10 10:00"), VALUE),
        "sessions": st.just([{"start": "2027-01-12 09:00", "end": "2027-01-12 16:00"}]),
    }
)
SLOT = st.fixed_dictionaries(
    {
        "start": st.one_of(st.just("2027-01-12 10:00"), st.sampled_from(["9999-12-31 23:59", "0001-01-01 00:00"])),
        "minutes": st.one_of(st.just(60), VALUE),
        "adviser": st.one_of(st.just("Mette Lund"), HOSTILE),
        "adviser_id": st.one_of(st.none(), HOSTILE),
        "place": VALUE,
    }
)
CLUSTER = st.tuples(
    HOSTILE,
    HOSTILE,
    HOSTILE,
    st.one_of(st.just(""), HOSTILE.map(lambda s: "https://" + s)),
    st.sampled_from(["none", "gold", "GOLD", "x"]),
    st.one_of(st.just("2025-01-01"), HOSTILE),
    st.one_of(st.just("2027-01-01"), HOSTILE),
).map(list)


@pytest.fixture
def loop_runtime(make_settings: Callable[..., Settings], db_url: tuple[str, str | None]) -> Any:
    """A runtime on the test database and the loop it runs on, for a synchronous fuzz test."""
    loop = asyncio.new_event_loop()
    rt = Runtime(make_settings(sample_data=False), clock=lambda: NOW, schema=db_url[1])
    loop.run_until_complete(rt.start(migrate=True))
    yield loop, rt
    loop.run_until_complete(rt.close())
    loop.close()


async def _store(rt: Runtime, kind: str, text: str) -> None:
    """Import into a transaction that is rolled back, so each example starts from the same database."""
    async with rt.sessions() as session, session.begin():
        try:
            if kind == "courses":
                await courses.write(Notifier(runtime=rt, session=session, now=NOW), courses.read(text, NOW, "c.yaml"))
            elif kind == "slots":
                await slots.write(session, slots.read(text, NOW, "s.yaml"), NOW)
            else:
                await register.import_lines(session, text_lines(text), "register.csv", NOW, dry_run=False)
            await session.flush()
        except FileProblem:
            pass
        await session.rollback()


@pytest.mark.parametrize("kind", ["courses", "slots", "register"])
def test_generated_values_are_refused_or_stored_on_both_databases(kind: str, loop_runtime: Any) -> None:
    loop, rt = loop_runtime
    strategy = {
        "courses": COURSE.map(lambda c: _dump({"courses": [c]})),
        "slots": SLOT.map(lambda s: _dump({"slots": [s]})),
        "register": CLUSTER.map(_csv),
    }[kind]

    @STORED
    @given(text=strategy)
    def one(text: str) -> None:
        loop.run_until_complete(_store(rt, kind, text))

    one()
