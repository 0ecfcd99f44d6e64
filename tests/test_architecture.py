"""The shape of the code: the core never imports a feature or the application."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(package: str) -> dict[str, set[str]]:
    """Every module each file of ``package`` imports, at any depth (lazy imports count too)."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("bot", {"handlers", "cedbot"}),
        ("storage", {"handlers", "cedbot", "bot"}),
        ("knowledge", {"handlers", "cedbot", "bot"}),
        ("fileimport", {"handlers", "cedbot", "bot", "storage", "knowledge"}),
    ],
)
def test_lower_layers_import_nothing_above_them(package: str, forbidden: set[str]) -> None:
    offending = {
        path: sorted(name for name in names if name.split(".")[0] in forbidden)
        for path, names in imported_modules(package).items()
    }
    assert {path: names for path, names in offending.items() if names} == {}


def test_the_check_sees_an_offending_import(tmp_path: Path) -> None:
    names = imported_modules("tests")
    assert "cedbot" in names["tests/conftest.py"]  # the scan finds a plain top-level import


def test_every_command_a_feature_adds_is_listed_in_the_application() -> None:
    """A command missing from ``cedbot.py`` would be neither in ``--help`` nor runnable."""
    import argparse

    from cedbot import APP

    listed = {group.name for group in APP.commands}
    for group in APP.commands:
        sub = argparse.ArgumentParser().add_subparsers()
        for add_cli in group.load():
            add_cli(sub)
        assert set(sub.choices) <= listed, group.name
