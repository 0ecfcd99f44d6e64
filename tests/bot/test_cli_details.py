"""Command-line details staff notice, run in this process (no start-up cost per test)."""

from __future__ import annotations

import io
import os
import sys

import pytest

from cedbot import main
from handlers.labels.register import SAMPLE
from storage.db import MIGRATIONS


def test_labels_list_shows_award_and_expiry_dates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["labels", "import", str(SAMPLE)]) == 0
    capsys.readouterr()
    assert main(["labels", "list"]) == 0
    listing = capsys.readouterr().out
    row = next(line for line in listing.splitlines() if line.startswith("Søkrog Maritime Cluster"))
    assert "2026-12-14" in row and "<1" not in row
    assert main(["labels", "list", "--expiring", "5000d"]) == 0
    soon = capsys.readouterr().out
    assert "<1" not in soon and "2026-12-14" in soon


def test_db_upgrade_says_what_it_applied_then_that_nothing_was_left(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    out = capsys.readouterr().out
    shipped = len(list(MIGRATIONS.glob("versions/*.py")))
    assert f"Applied {shipped} migrations" in out and "0006_handoff: Hand-off: tickets" in out
    assert main(["db", "upgrade"]) == 0
    assert "Nothing to apply" in capsys.readouterr().out


PG_URL = os.environ.get("CEDBOT_TEST_POSTGRES_URL")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://postgres@127.0.0.1:1/cedbot", "cannot reach the database at 127.0.0.1:1 (connection refused)"),
        ("sqlite:////proc/no-such-folder/cedbot.db", "cannot open the SQLite file '/proc/no-such-folder/cedbot.db'"),
        pytest.param(
            (PG_URL or "").rsplit("/", 1)[0] + "/cedbot_no_such_db",
            "the database 'cedbot_no_such_db' does not exist",
            marks=pytest.mark.skipif(not PG_URL, reason="CEDBOT_TEST_POSTGRES_URL is not set"),
        ),
    ],
)
@pytest.mark.parametrize("command", [["courses", "list"], ["queue", "list"], ["kb", "gaps"], ["db", "check"]])
def test_a_database_that_cannot_be_used_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], url: str, expected: str, command: list[str]
) -> None:
    monkeypatch.setenv("CEDBOT_DATABASE_URL", url)
    assert main(command) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("cedbot: CEDBOT_DATABASE_URL: ") and expected in err


def test_postgresql_without_its_driver_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "asyncpg", None)  # as if `pip install -e .` without [postgres]
    monkeypatch.setenv("CEDBOT_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/cedbot")
    assert main(["courses", "list"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "the asyncpg driver is not installed" in err and ".[postgres]" in err


class ClosedPipe(io.StringIO):
    """Standard output whose reader has gone away, as with ``cedbot ... | head``."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


@pytest.mark.parametrize(
    "command",
    [
        ["kb", "gaps", "--since", "1000d"],
        ["kb", "check"],
        ["labels", "list"],
        ["courses", "list"],
        ["slots", "list"],
        ["queue", "list", "--all"],
        ["db", "upgrade"],
    ],
)
def test_a_closed_pipe_ends_a_command_quietly(monkeypatch: pytest.MonkeyPatch, command: list[str]) -> None:
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(command) == 141
