"""The labels feature through the installed ``cedbot`` command, as its users run it."""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers.labels.register import SAMPLE
from tests.bot.test_cli import run

pytestmark = pytest.mark.slow

HEADER = "name,aliases,region,website,label,awarded_on,valid_until\n"


def test_piped_chat_shows_a_misspelled_cluster_and_the_overview_chart(tmp_path: Path) -> None:
    result = run(["chat", "--user", "anna"], b"/label sokrog maritme\n/labels\n")
    assert result.returncode == 0, result.stderr
    status, overview = result.stdout.split("Cluster labels in the register")
    assert "Søkrog Maritime Cluster (Nordjylland)" in status and "Label: Gold" in status
    assert "Valid until: 14 December 2026" in status
    assert "(41 clusters, as of " in overview and "Gold: 10" in overview
    saved = overview.split("(file saved: ", 1)[1].split(")", 1)[0]
    assert saved.endswith(".png") and Path(saved).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert Path(saved).parent == tmp_path / "cedbot-files"


def test_broken_csv_changes_nothing_and_lists_every_bad_row(tmp_path: Path) -> None:
    env = {"CEDBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'reg.db'}"}
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "Alpha Cluster,,,,gold,2025-01-01,2027-01-01\n", encoding="utf-8")
    assert run(["labels", "import", str(good)], env=env).returncode == 0
    broken = tmp_path / "broken.csv"
    broken.write_text(
        HEADER
        + "Alpha Cluster,,,,silver,2026-01-01,2028-01-01\n"
        + "Beta Cluster,,,,diamond,2025-01-01,2027-01-01\n"
        + "Gamma Cluster,,,,gold,2025-02-30,2027-01-01\n"
        + "Delta Cluster,,,,bronze,2026-01-01,2025-01-01\n",
        encoding="utf-8",
    )
    result = run(["labels", "import", str(broken)], env=env)
    assert result.returncode == 1
    assert "nothing was imported; fix these 3 problem(s)" in result.stderr
    for line in ("broken.csv:3: field 'label': 'diamond'", "csv:4: field 'awarded_on': '2025-02-30'", "csv:5: field"):
        assert line in result.stderr
    listing = run(["labels", "list"], env=env).stdout
    assert "Alpha Cluster" in listing and "gold" in listing and "1 of 1 clusters" in listing


def test_import_dry_run_then_import_then_list_filters(tmp_path: Path) -> None:
    env = {"CEDBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'reg.db'}"}
    dry = run(["labels", "import", "--dry-run", str(SAMPLE)], env=env)
    assert dry.returncode == 0, dry.stderr
    assert "new: Søkrog Maritime Cluster (gold until 2026-12-14)" in dry.stdout and "dry run" in dry.stdout
    assert "The register is empty" in run(["labels", "list"], env=env).stdout
    done = run(["labels", "import", str(SAMPLE)], env=env)
    assert "41 new" in done.stdout
    gold = run(["labels", "list", "--level", "gold"], env=env).stdout
    assert "Fjordlys Energiklynge" in gold and "Grønskov" not in gold
    soon = run(["labels", "list", "--expiring", "5000d"], env=env).stdout
    assert "Tågeholm" not in soon, "expired labels are not 'expiring'"
    assert "is not a period" in run(["labels", "list", "--expiring", "soon"], env=env).stderr
