"""Command-line details staff notice, run in this process (no start-up cost per test)."""

from __future__ import annotations

import pytest

from bot.cli import main
from handlers.labels.register import SAMPLE


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
